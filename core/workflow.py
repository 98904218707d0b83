"""The editorial workflow shared by articles and claims: states, transitions and who may move.

    draft ──submit──▶ in review ──publish──▶ published ──correct──▶ corrected ──correct──▶ …
      ▲                  │                       │                      │
      └─────return───────┘                       └───────withdraw───────┴──▶ withdrawn

Each transition is guarded by a custom permission of the model (`articles.publish_article`,
`claims.withdraw_claim`, …), so the admin, the API and commands share one rule. The apps'
services.py name one service per transition; they all run `apply_transition()`.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.db.models.options import Options
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PublicationStatus
from core.services import User, save_stamped

Status = PublicationStatus
# An article, a claim: any model with the workflow's fields (core.models.Reviewed).
Item = TypeVar("Item", bound=Model)


class InvalidTransition(ValidationError):
    """The item is not in a state this transition starts from (e.g. publishing a draft)."""


class TransitionNotAllowed(PermissionDenied):
    """The user lacks the permission for this transition (e.g. a contributor publishing)."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # the button
    verb: str  # "%(count)d … were <verb>" and the history entry
    sources: tuple
    target: str
    # The text the transition requires, as the service's keyword and the field it fills.
    text_argument: str = ""
    text_field: str = ""
    text_label: str = ""

    @property
    def action(self) -> str:
        """The transition as a verb phrase: "submit for review", "publish", …"""
        return self.name.replace("_", " ")

    def permission(self, opts: Options) -> str:
        """The permission, e.g. "claims.publish_claim", for the model of `opts`."""
        return f"{opts.app_label}.{self.codename(opts)}"

    def codename(self, opts: Options) -> str:
        return f"{self.name.split('_')[0]}_{opts.model_name}"


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit_for_review",
            _("Submit for review"),
            _("submitted for review"),
            (Status.DRAFT,),
            Status.IN_REVIEW,
        ),
        Transition("publish", _("Publish"), _("published"), (Status.IN_REVIEW,), Status.PUBLISHED),
        Transition(
            "return_to_draft",
            _("Return to draft"),
            _("returned to draft"),
            (Status.IN_REVIEW,),
            Status.DRAFT,
        ),
        Transition(
            "correct",
            _("Publish a correction"),
            _("corrected"),
            (Status.PUBLISHED, Status.CORRECTED),
            Status.CORRECTED,
            text_argument="note",
            text_field="correction_note",
            text_label=_("Correction note (shown to readers, dated today)"),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            _("withdrawn"),
            (Status.PUBLISHED, Status.CORRECTED),
            Status.WITHDRAWN,
            text_argument="reason",
            text_field="withdrawn_reason",
            text_label=_("Reason for withdrawing (kept on record, never shown to readers)"),
        ),
    ]
}


@dataclass(frozen=True)
class ReviewedModel:
    """A model on the admin's review queue, with the link each row shows beside the item."""

    model: type
    source: str = ""  # a many-to-one field: an article's outlet, a claim's speaker


# Filled by the apps' AppConfig.ready() (register_reviewed), so this module names no app.
REVIEWED_MODELS: dict[str, ReviewedModel] = {}


def register_reviewed(model: type, *, source: str = "") -> None:
    """List `model`'s items in review on the admin's review queue, each beside its `source`."""
    REVIEWED_MODELS[model._meta.label_lower] = ReviewedModel(model, source)


def reviewed_models() -> list[ReviewedModel]:
    """The models registered for the review queue, in the order they registered."""
    return list(REVIEWED_MODELS.values())


def allowed_transitions(user: User, item: Model) -> list[Transition]:
    """The transitions `user` may apply to `item` now, in the order of TRANSITIONS."""
    return [
        transition
        for transition in TRANSITIONS.values()
        if item.status in transition.sources and user.has_perm(transition.permission(item._meta))
    ]


class EditNotAllowed(PermissionDenied):
    """The user may not write this record as it stands; the message is the sentence saying why
    (e.g. "Needs an editor: article #3 “…” is published.")."""


def review_permission(model: type[Model]) -> str:
    """The permission of whoever may write `model`'s records in every state (the editors).

    A model names it in `review_permission` (an expert's name variants and affiliations: who
    may change experts); a workflow model's is its publish permission; any other model's is
    its change permission.
    """
    explicit = getattr(model, "review_permission", "")
    if explicit:
        return explicit
    opts = model._meta
    if hasattr(model, "status"):
        return TRANSITIONS["publish"].permission(opts)
    return f"{opts.app_label}.change_{opts.model_name}"


def editors_only_reason(item: Model) -> str:
    """Why `item` as it stands is the editors' to write, as a phrase ("article #3 “…” is
    published"), or "" when anyone with the model's permission may.

    A workflow item is the editors' once it leaves draft; another model says it through its
    own `editors_only_reason()` (an expert's parts once the expert is public); any other
    record (an outlet, an organisation: readers see them only once something public uses
    them) is decided by the permission alone.
    """
    own = getattr(item, "editors_only_reason", None)
    if own is not None:
        return own()
    status = getattr(item, "status", None)
    if status is None or status == Status.DRAFT:
        return ""
    name = item._meta.verbose_name
    label = Status(status).label.lower()
    if item.pk is None:
        return f"a new {name} would be {label}"
    return f"{name} #{item.pk} “{item}” is {label}"


def edit_refusal(user: User, item: Model) -> str:
    """The one rule every write path asks: why `user` may not write `item` (a new record when
    it has no primary key) in its current state, as a sentence; "" when they may.

    Writing takes the model's add or change permission; a record in the editors' hands
    (editors_only_reason) takes review_permission() as well. The stored row is judged as well
    as the edited one, so moving a record out of the editors' hands is theirs too.
    `user=None` is the system (load_demo, a command run without --user): it may write anything.
    """
    if user is None:
        return ""
    opts = item._meta
    action = "add" if item.pk is None else "change"
    permission = f"{opts.app_label}.{action}_{opts.model_name}"
    if not user.has_perm(permission):
        return (
            f"You may not {action} {opts.verbose_name_plural}: that takes the “{permission}” "
            "permission."
        )
    if user.has_perm(review_permission(type(item))):
        return ""
    states = [item]
    if item.pk is not None:
        stored = type(item)._default_manager.filter(pk=item.pk).first()
        states += [stored] if stored is not None else []
    for state in states:
        reason = editors_only_reason(state)
        if reason:
            return f"Needs an editor: {reason}."
    return ""


def may_edit(user: User, item: Model) -> bool:
    """Whether `user` may write `item` as it stands (see edit_refusal): drafts are anyone's
    with the change permission; once submitted or public, only the editors'."""
    return not edit_refusal(user, item)


def check_edit(*, user: User, item: Model) -> None:
    """Raise EditNotAllowed, with the sentence saying why, unless `user` may write `item`."""
    refusal = edit_refusal(user, item)
    if refusal:
        raise EditNotAllowed(refusal)


def apply_transition(*, item: Item, name: str, user: User, text: str = "") -> Item:
    """Move `item` along transition `name` for `user`, recording who and when; returns the
    saved item (a fresh instance, locked while it changed).

    Raises TransitionNotAllowed without the permission, InvalidTransition when the item is
    not in a state the transition starts from, ValidationError when a required note or
    reason is empty; in every case nothing is saved.
    """
    transition = TRANSITIONS[name]
    opts = item._meta
    if not user.has_perm(transition.permission(opts)):
        raise TransitionNotAllowed(
            f"You may not {transition.action} {opts.verbose_name_plural}: that takes the "
            f"“{transition.permission(opts)}” permission."
        )
    text = (text or "").strip()
    if transition.text_argument and not text:
        raise ValidationError({transition.text_field: f"Give the {transition.text_argument}."})
    with transaction.atomic():
        locked = type(item)._default_manager.select_for_update().get(pk=item.pk)
        if locked.status not in transition.sources:
            expected = " or ".join(str(Status(s).label).lower() for s in transition.sources)
            raise InvalidTransition(
                f"“{locked}” cannot be {transition.verb}: it is "
                f"{locked.get_status_display().lower()}, not {expected}.",
                code="invalid_transition",
            )
        _record(locked, transition, user=user, text=text, now=timezone.now())
        locked.status = transition.target
        # simple-history stores this on the version the save below writes (the note or
        # reason itself is in the version's fields).
        locked._change_reason = f"Workflow: {transition.verb}"
        save_stamped(locked, user=user)
    return locked


def _record(item: Model, transition: Transition, *, user: User, text: str, now: datetime) -> None:
    """Fill in who and when (and the note or reason) for `transition`."""
    if transition.name == "submit_for_review":
        item.submitted_by, item.submitted_at = user, now
    elif transition.name in ("publish", "return_to_draft"):
        item.reviewed_by, item.reviewed_at = user, now
        if transition.name == "publish" and item.published_at is None:
            item.published_at = now
    elif transition.name == "correct":
        item.correction_note, item.corrected_at = text, now
    elif transition.name == "withdraw":
        item.withdrawn_reason, item.withdrawn_at = text, now
