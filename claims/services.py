"""The claims app's writes: workflow transitions, claims with their links, quotes and their
anchoring in article bodies."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from claims.models import (
    Claim,
    ClaimProvision,
    ClaimTopic,
    Provision,
    Quote,
    Stance,
    Topic,
    find_again,
)
from core.models import PublicationStatus
from core.services import save_stamped
from core.workflow import apply_transition, check_edit

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser

    from articles.models import Article
    from experts.models import Expert

# The workflow's transitions (core/workflow.py). Each checks the user's permission
# (claims.<transition>_claim), locks the row, validates, records who and when and writes a
# history version; an illegal move raises and saves nothing.


def claim_submit_for_review(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Send a draft to the editors (contributors and editors)."""
    return apply_transition(item=claim, name="submit_for_review", user=user)


def claim_publish(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Publish a claim in review (editors)."""
    return apply_transition(item=claim, name="publish", user=user)


def claim_return_to_draft(*, claim: Claim, user: AbstractBaseUser) -> Claim:
    """Send a claim in review back to its author as a draft (editors)."""
    return apply_transition(item=claim, name="return_to_draft", user=user)


def claim_correct(*, claim: Claim, user: AbstractBaseUser, note: str) -> Claim:
    """Publish a dated correction note on a public claim (editors); it stays public."""
    return apply_transition(item=claim, name="correct", user=user, text=note)


def claim_withdraw(*, claim: Claim, user: AbstractBaseUser, reason: str) -> Claim:
    """Take a public claim down for `reason` (editors); it is kept, but no reader sees it."""
    return apply_transition(item=claim, name="withdraw", user=user, text=reason)


def quote_create(
    *,
    claim: Claim,
    article: Article,
    text: str,
    after: int | None = None,
    occurrence: int | None = None,
    user: AbstractBaseUser | None = None,
) -> Quote:
    """Anchor `text` in the article body and save it as a quote of `claim`.

    Raises ValidationError naming the article when the text is not in its body, and
    EditNotAllowed when `user` may not edit the claim (its quotes are part of it).
    """
    check_edit(user=user, item=claim)
    quote = Quote(claim=claim, article=article, text=text)
    quote.anchor(after=after, occurrence=occurrence)
    return save_stamped(quote, user=user)


@transaction.atomic
def claim_create(
    *,
    speaker: Expert,
    summary: str,
    kind: str,
    made_on: datetime.date,
    made_precision: str = "day",
    status: str = PublicationStatus.DRAFT,
    topics: Iterable[tuple[Topic, Stance | str]] = (),
    provisions: Iterable[tuple[Provision, str, str]] = (),
    quotes: Iterable[tuple[Article, str] | tuple[Article, str, int]] = (),
    user: AbstractBaseUser | None = None,
    **extra: Any,
) -> Claim:
    """Create a claim with its topics, provision links and quotes, all or nothing.

    `topics` holds (topic, stance) pairs, `provisions` (provision, relation, note) triples and
    `quotes` (article, text) pairs or (article, text, occurrence) triples. Raises
    EditNotAllowed when `user` may not add it (a contributor and anything but a draft).
    """
    claim = Claim(
        speaker=speaker,
        summary=summary,
        kind=kind,
        made_on=made_on,
        made_precision=made_precision,
        status=status,
        **extra,
    )
    check_edit(user=user, item=claim)
    claim = save_stamped(claim, user=user)
    for topic, stance in topics:
        link = ClaimTopic(claim=claim, topic=topic, stance=stance)
        link.full_clean()
        link.save()
    for provision, relation, note in provisions:
        link = ClaimProvision(claim=claim, provision=provision, relation=relation, note=note)
        link.full_clean()
        link.save()
    for article, text, *occurrence in quotes:
        quote_create(
            claim=claim,
            article=article,
            text=text,
            occurrence=occurrence[0] if occurrence else None,
            user=user,
        )
    return claim


@dataclass(frozen=True)
class Reanchoring:
    """What re-anchoring did to an article's quotes, each list holding the quotes themselves.

    `moved`: found again at other offsets; `orphaned`: their text is gone, newly orphaned;
    `restored`: orphans whose exact text is back; `kept`: still where they were (their context
    may have been refreshed); `still_orphaned`: orphans whose text is still missing.
    """

    moved: list[Quote]
    orphaned: list[Quote]
    restored: list[Quote]
    kept: list[Quote]
    still_orphaned: list[Quote]

    @property
    def changed(self) -> bool:
        return bool(self.moved or self.orphaned or self.restored)

    def __str__(self) -> str:
        """One line for a command's output: what happened to the quotes, and where the
        orphans wait for an editor ("" when the article has no quote)."""
        counts = [
            (len(self.moved), "followed their text"),
            (len(self.orphaned), "orphaned"),
            (len(self.restored), "repaired (their text is back)"),
            (len(self.kept), "in place"),
            (len(self.still_orphaned), "still orphaned"),
        ]
        said = ", ".join(f"{number} {what}" for number, what in counts if number)
        if not said:
            return ""
        orphans = [*self.orphaned, *self.still_orphaned]
        if orphans:
            changelist = reverse("admin:claims_quote_changelist")
            said += f"; to repair: {changelist}?orphaned=yes&article__id__exact="
            said += str(orphans[0].article_id)
        return f"quotes: {said}"


@transaction.atomic
def quotes_reanchor(
    *, article: Article, user: AbstractBaseUser | None = None, previous_body: str | None = None
) -> Reanchoring:
    """Anchor every quote of `article` again in its saved body; returns a Reanchoring.

    The exact text found once takes its new offsets; found several times, the occurrence
    whose surrounding words best match the quote's prefix and suffix (the nearest to the old
    place on a tie). A quote whose exact text is gone is marked orphaned with its text and old
    offsets kept: it is never moved to look-alike text and never deleted.
    """
    now = timezone.now()
    result = Reanchoring(moved=[], orphaned=[], restored=[], kept=[], still_orphaned=[])
    for quote in article.quotes.select_for_update().order_by("pk"):
        quote.article = article  # the body just saved, not a stale copy
        was = (quote.orphaned, quote.start, quote.prefix, quote.suffix)
        start = find_again(
            article.body,
            text=quote.text,
            prefix=quote.prefix,
            suffix=quote.suffix,
            near=quote.start,
            previous_body=previous_body,
        )
        if start is None:
            if quote.orphaned:
                result.still_orphaned.append(quote)
                continue
            quote.orphan(at=now)
            result.orphaned.append(quote)
        else:
            quote.place_at(start)
            if was[0]:
                result.restored.append(quote)
            elif start != was[1]:
                result.moved.append(quote)
            else:
                result.kept.append(quote)
                if (quote.prefix, quote.suffix) == was[2:]:
                    continue  # nothing to write: no new history row
        save_stamped(quote, user=user)
    return result


@transaction.atomic
def quote_repair(
    *,
    quote: Quote,
    text: str,
    occurrence: int | None = None,
    user: AbstractBaseUser | None = None,
) -> Quote:
    """Anchor a quote (typically an orphan) at the passage an editor chose and save it.

    `text` is the passage as the body now reads, the `occurrence`-th one (1-based) when it
    repeats, else the first. The quote is no longer orphaned; its history keeps the old text.
    (On an anchored quote it re-anchors; without an occurrence, unchanged text stays put.)
    Raises ValidationError, saving nothing, when the text is not in the body, and
    EditNotAllowed when `user` may not edit the quote's claim.
    """
    Quote.objects.select_for_update().only("pk").get(pk=quote.pk)  # lock the row
    check_edit(user=user, item=quote.claim)
    quote.text = text
    quote.anchor(occurrence=occurrence)
    return save_stamped(quote, user=user)
