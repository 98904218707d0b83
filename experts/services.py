"""Writes on experts: their name variants and affiliations (which readers see on a public
expert's profile and published claims at once), merging duplicates and undoing a merge."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from simple_history.models import HistoricalChanges
from simple_history.utils import bulk_update_with_history

from core.services import save_stamped
from core.workflow import check_edit
from experts.models import Affiliation, Expert, ExpertMerge, ExpertSlugRedirect, NameVariant
from experts.signals import expert_records_moved

User = AbstractBaseUser | AnonymousUser

MERGE_PERMISSIONS = ("experts.change_expert", "experts.delete_expert")
# HistoricalRecords keeps a change reason in a CharField(max_length=100).
REASON_LENGTH = 100
# Copied back on undo; the key and the stamps follow from the save.
RESTORED_FIELDS = ("display_name", "slug", "bio", "country", "wikidata_id")
# What a merge moves to the kept expert as it is: (reverse relation on Expert, snapshot key).
# Claims are reached through their relation, so experts imports no claims module.
MOVED = [
    ("claims", "claims"),
    ("affiliations", "affiliations"),
    ("name_variants", "variants"),
]


@transaction.atomic
def name_variant_save(*, variant: NameVariant, user: User) -> NameVariant:
    """Save a new or changed name variant and return it.

    On a public expert (one with a published claim) it is the editors' to write; a
    contributor's is refused with EditNotAllowed, saving nothing. ValidationError when it does
    not validate (e.g. the expert has this name already).
    """
    check_edit(user=user, item=variant)
    return save_stamped(variant, user=user)


@transaction.atomic
def affiliation_save(*, affiliation: Affiliation, user: User) -> Affiliation:
    """Save a new or changed affiliation and return it.

    On a public expert it changes their current role and the role shown on claims already
    published, so it is the editors' to write; a contributor's is refused with
    EditNotAllowed, saving nothing. ValidationError when it does not validate.
    """
    check_edit(user=user, item=affiliation)
    return save_stamped(affiliation, user=user)


def can_merge_experts(*, user: User) -> bool:
    """Whether `user` may merge experts and undo merges: change and delete experts."""
    return user.has_perms(MERGE_PERMISSIONS)


@transaction.atomic
def experts_merge(*, keep: Expert, others: Iterable[Expert], user: User | None) -> ExpertMerge:
    """Merge `others` into `keep`, all or nothing, and return the ExpertMerge recording it.

    Their claims, affiliations and name variants move to `keep`; their display names become
    name variants of `keep` (a name `keep` already has is not repeated); their slugs (and the
    slugs that already redirected to them) redirect to `keep`; then they are deleted. The
    ExpertMerge keeps what moved where, for experts_merge_undo. `user` needs to be allowed to
    change and delete experts (None: a trusted caller such as a command).
    """
    _check_permission(user)
    other_ids = {other.pk for other in others}
    if keep.pk in other_ids:
        raise ValidationError("An expert cannot be merged into itself.")
    if not other_ids:
        raise ValidationError("Choose at least one expert to merge into the one kept.")
    locked = {
        expert.pk: expert
        for expert in Expert.objects.select_for_update()
        .filter(pk__in={keep.pk, *other_ids})
        .order_by("pk")
    }
    if keep.pk not in locked or not other_ids <= locked.keys():
        raise ValidationError("An expert to merge no longer exists; reload the page.")
    keep = locked[keep.pk]
    others = [locked[pk] for pk in sorted(other_ids)]

    merge = save_stamped(
        ExpertMerge(
            keep=keep,
            merged_by=_person(user),
            merged_names=Truncator(", ".join(o.display_name for o in others)).chars(1000),
        ),
        user=user,
    )
    reason = _reason(f"Merged into {keep} (merge #{merge.pk})")
    known_names = {keep.display_name.casefold()} | {
        name.casefold() for name in keep.name_variants.values_list("name", flat=True)
    }
    snapshot = {"experts": [], "added_variants": []}
    for other in others:
        moved = _move_records(other, keep=keep, known=known_names, user=user, reason=reason)
        if other.display_name.casefold() not in known_names:
            known_names.add(other.display_name.casefold())
            variant = NameVariant(expert=keep, name=other.display_name)
            variant._change_reason = reason
            snapshot["added_variants"].append(save_stamped(variant, user=user).pk)
        moved.update(_move_redirects(other, keep=keep, merge=merge, user=user))
        _check_nothing_left(other)
        snapshot["experts"].append({**_expert_fields(other), **moved})
        _explain(other, user=user, reason=reason)
        other.delete()

    keep._change_reason = _reason(f"Merged in {merge.merged_names} (merge #{merge.pk})")
    save_stamped(keep, user=user)
    _records_moved([keep.pk])
    merge.snapshot = snapshot
    return save_stamped(merge, user=user)


@transaction.atomic
def experts_merge_undo(*, merge: ExpertMerge, user: User | None) -> ExpertMerge:
    """Undo `merge`: bring the merged experts back with their ids and slugs, move their claims,
    affiliations and name variants back from the kept expert, and drop their redirects.

    Records that left the kept expert since the merge stay where they are now. Raises
    ValidationError when the merge is already undone or a merged expert's slug or Wikidata id
    has been given to someone else since.
    """
    _check_permission(user)
    merge = ExpertMerge.objects.select_for_update().select_related("keep").get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError("This merge has already been undone.")
    keep = Expert.objects.select_for_update().get(pk=merge.keep_id)
    reason = _reason(f"Merge #{merge.pk} into {keep} undone")

    added = NameVariant.objects.filter(pk__in=merge.snapshot["added_variants"], expert=keep)
    _delete_each(added, user=user, reason=reason)
    for entry in merge.snapshot["experts"]:
        expert = _restore_expert(entry, user=user, reason=reason)
        for relation, key in MOVED:
            model, field = _related(relation)
            rows = model.objects.select_for_update().filter(pk__in=entry[key], **{field: keep})
            _reassign(model, list(rows.order_by("pk")), field, to=expert, user=user, reason=reason)
        for name in entry["dropped_variants"]:
            variant = NameVariant(expert=expert, name=name)
            variant._change_reason = reason
            save_stamped(variant, user=user)
        ExpertMerge.objects.filter(pk__in=entry["merges"], keep=keep).update(keep=expert)
        for previous in entry["redirects"]:
            if Expert.objects.filter(pk=previous["expert"]).exists():
                ExpertSlugRedirect.objects.filter(pk=previous["id"]).update(
                    expert_id=previous["expert"], merge_id=previous["merge"]
                )
    _delete_each(merge.redirects.all(), user=user, reason=reason)

    keep._change_reason = reason
    save_stamped(keep, user=user)
    merge.undone_at = timezone.now()
    merge.undone_by = _person(user)
    _records_moved([entry["id"] for entry in merge.snapshot["experts"]])
    return save_stamped(merge, user=user)


def _records_moved(expert_ids):
    """Records moved by bulk updates send no model signals: say which experts got records, so
    what is derived from them (claims' search entries) is rewritten in this transaction."""
    expert_records_moved.send(sender=Expert, expert_ids=list(expert_ids))


def _related(relation):
    """(model, field naming the expert) of the reverse relation `relation` on Expert."""
    field = Expert._meta.get_field(relation)
    return field.related_model, field.field.name


def _check_permission(user):
    if user is not None and not can_merge_experts(user=user):
        raise PermissionDenied("Merging experts needs the right to change and delete experts.")


def _person(user):
    return user if user is not None and user.is_authenticated else None


def _reason(text):
    return Truncator(text).chars(REASON_LENGTH)


def _move_records(other, *, keep, known, user, reason):
    """Claims, affiliations and name variants of `other` go to `keep`, except the names `keep`
    already has (compared without case), which are deleted; returns the ids moved and the
    names dropped."""
    variants = NameVariant.objects.select_for_update().filter(expert=other)
    repeated = [v for v in variants.order_by("pk") if v.name.casefold() in known]
    _delete_each(repeated, user=user, reason=reason)
    known.update(name.casefold() for name in variants.values_list("name", flat=True))
    moved = {"dropped_variants": [variant.name for variant in repeated]}
    for relation, key in MOVED:
        model, field = _related(relation)
        rows = model.objects.select_for_update().filter(**{field: other}).order_by("pk")
        rows = list(rows)
        _reassign(model, rows, field, to=keep, user=user, reason=reason)
        moved[key] = [row.pk for row in rows]
    return moved


def _delete_each(rows, *, user, reason):
    """Delete one by one, so each history row says who and why."""
    for row in rows:
        _explain(row, user=user, reason=reason)
        row.delete()


def _explain(row, *, user, reason):
    """What the history row of `row`'s next save or delete records besides the change."""
    row._change_reason = reason
    if _person(user):
        row._history_user = user


def _move_redirects(other, *, keep, merge, user):
    """`other`'s slug now redirects to `keep`, and so do the slugs that led to `other` (an
    earlier merge), and the earlier merges into `other` now name `keep`; returns what was
    repointed, for the undo."""
    rows = ExpertSlugRedirect.objects.select_for_update().filter(expert=other)
    previous = [
        {"id": redirect.pk, "expert": other.pk, "merge": redirect.merge_id} for redirect in rows
    ]
    # They stay with the merge that made them: undoing that one still removes them.
    rows.update(expert=keep)
    # A redirect that a later expert took the slug of (the expert wins over it) is replaced.
    stale = ExpertSlugRedirect.objects.select_for_update().filter(old_slug=other.slug).first()
    if stale is not None:
        previous.append({"id": stale.pk, "expert": stale.expert_id, "merge": stale.merge_id})
        stale.expert, stale.merge = keep, merge
        save_stamped(stale, user=user)
    else:
        save_stamped(ExpertSlugRedirect(old_slug=other.slug, expert=keep, merge=merge), user=user)
    merges = list(ExpertMerge.objects.filter(keep=other).values_list("pk", flat=True))
    ExpertMerge.objects.filter(pk__in=merges).update(keep=keep)
    return {"redirects": previous, "merges": merges}


def _check_nothing_left(expert):
    """Refuse to delete an expert something still points to: a relation this merge does not
    know would otherwise be deleted with it, or block the delete half-way."""
    for relation in Expert._meta.related_objects:
        if issubclass(relation.related_model, HistoricalChanges) or relation.many_to_many:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: expert}).exists():
            raise ValidationError(
                f"{expert} still has {relation.related_model._meta.verbose_name_plural}, "
                "which a merge cannot move."
            )


def _reassign(model, rows, field, *, to, user, reason):
    """Point `field` of `rows` at `to` in one UPDATE, with a history row for each."""
    now = timezone.now()
    for row in rows:
        setattr(row, field, to)
        row.updated = now
        if _person(user):
            row.updated_by = user
    bulk_update_with_history(
        rows,
        model,
        [field, "updated", "updated_by"],
        default_user=_person(user),
        default_change_reason=reason,
    )


def _expert_fields(expert):
    return {
        "id": expert.pk,
        **{name: getattr(expert, name) for name in RESTORED_FIELDS},
        "created": expert.created.isoformat(),
    }


def _restore_expert(entry, *, user, reason):
    if Expert.objects.filter(slug=entry["slug"]).exists():
        raise ValidationError(
            f"The address /experts/{entry['slug']}/ now belongs to another expert; "
            "change that expert's slug before undoing the merge."
        )
    expert = Expert(pk=entry["id"], **{name: entry[name] for name in RESTORED_FIELDS})
    if _person(user):
        expert.updated_by = user
    expert.full_clean(validate_unique=True)
    _explain(expert, user=user, reason=reason)
    expert.save(force_insert=True)
    # auto_now_add stamped the restore time; the expert was created long before.
    created = parse_datetime(entry["created"])
    Expert.objects.filter(pk=expert.pk).update(created=created)
    expert.created = created
    return expert
