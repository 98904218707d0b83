from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from claims.models import Claim, ClaimProvision, ClaimTopic, Quote, find_again
from core.models import PublicationStatus
from core.services import save_stamped
from core.workflow import apply_transition, check_edit

# The workflow's transitions (core/workflow.py). Each checks the user's permission
# (claims.<transition>_claim), locks the row, validates, records who and when and writes a
# history version; an illegal move raises and saves nothing.


def claim_submit_for_review(*, claim, user):
    """Send a draft to the editors (contributors and editors)."""
    return apply_transition(item=claim, name="submit_for_review", user=user)


def claim_publish(*, claim, user):
    """Publish a claim in review (editors)."""
    return apply_transition(item=claim, name="publish", user=user)


def claim_return_to_draft(*, claim, user):
    """Send a claim in review back to its author as a draft (editors)."""
    return apply_transition(item=claim, name="return_to_draft", user=user)


def claim_correct(*, claim, user, note):
    """Publish a dated correction note on a public claim (editors); it stays public."""
    return apply_transition(item=claim, name="correct", user=user, text=note)


def claim_withdraw(*, claim, user, reason):
    """Take a public claim down for `reason` (editors); it is kept, but no reader sees it."""
    return apply_transition(item=claim, name="withdraw", user=user, text=reason)


def quote_create(*, claim, article, text, after=None, occurrence=None, user=None):
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
    speaker,
    summary,
    kind,
    made_on,
    made_precision="day",
    status=PublicationStatus.DRAFT,
    topics=(),
    provisions=(),
    quotes=(),
    user=None,
    **extra,
):
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

    moved: list
    orphaned: list
    restored: list
    kept: list
    still_orphaned: list

    @property
    def changed(self):
        return bool(self.moved or self.orphaned or self.restored)


@transaction.atomic
def quotes_reanchor(*, article, user=None):
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
def quote_repair(*, quote, text, occurrence=None, user=None):
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
