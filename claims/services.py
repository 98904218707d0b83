from django.db import transaction

from claims.models import Claim, ClaimProvision, ClaimTopic, Quote
from config.models import PublicationStatus
from config.services import save_stamped, set_status


def claims_publish(*, claims, user=None):
    """Publish the given claims; returns how many changed."""
    return set_status(items=claims, status=PublicationStatus.PUBLISHED, user=user)


def claims_unpublish(*, claims, user=None):
    """Take the given claims back to draft; returns how many changed."""
    return set_status(items=claims, status=PublicationStatus.DRAFT, user=user)


def quote_create(*, claim, article, text, after=None, occurrence=None, user=None):
    """Anchor `text` in the article body and save it as a quote of `claim`.

    Raises ValidationError naming the article when the text is not in its body.
    """
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
    `quotes` (article, text) pairs or (article, text, occurrence) triples.
    """
    claim = save_stamped(
        Claim(
            speaker=speaker,
            summary=summary,
            kind=kind,
            made_on=made_on,
            made_precision=made_precision,
            status=status,
            **extra,
        ),
        user=user,
    )
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
