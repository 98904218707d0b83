"""schema.org JSON-LD for a claim: the public claim page and the API's `?format=jsonld`."""

from django.conf import settings

from claims.models import Claim
from core.jsonld import correction_data


def claim_data(claim, request):
    """schema.org `Claim`: the summary, who made it and when, and the articles it appears in.

    A prediction whose outcome an editor recorded also carries that verdict as a `ClaimReview`.
    Expects the claim from `Claim.objects.with_card_data()`, so building it runs no query.
    """
    url = request.build_absolute_uri(claim.get_absolute_url())
    appearances = [
        article_data(article, request)
        for article in dict.fromkeys(quote.article for quote in claim.quotes.all())
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Claim",
        "@id": url,
        "text": claim.summary,
        "url": url,
        "author": author_data(claim, request),
        "datePublished": claim.made_on.isoformat(),
        "dateModified": claim.updated.isoformat(),
        "appearance": appearances,
        "about": [{"@type": "Thing", "name": link.topic.title} for link in claim.topic_links.all()],
    }
    if appearances:
        data["firstAppearance"] = min(appearances, key=lambda a: a["datePublished"])
    review = review_data(claim, url=url)
    if review is not None:
        data["review"] = review
    if claim.is_corrected:
        data["correction"] = correction_data(claim)
    return data


def author_data(claim, request):
    """The speaker as a schema.org `Person`, with the role they held when making the claim."""
    role = claim.speaker_role
    author = {
        "@type": "Person",
        "name": claim.speaker.display_name,
        "url": request.build_absolute_uri(claim.speaker.get_absolute_url()),
    }
    if role is not None:
        author["jobTitle"] = role.role_title
        author["affiliation"] = {"@type": "Organization", "name": role.organization.name}
    if claim.speaker.wikidata_id:
        author["sameAs"] = f"https://www.wikidata.org/wiki/{claim.speaker.wikidata_id}"
    return author


def article_data(article, request):
    """An article quoting the claim, as a schema.org `NewsArticle`."""
    data = {
        "@type": "NewsArticle",
        "headline": article.title,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "datePublished": article.published_on.isoformat(),
        "publisher": {"@type": "Organization", "name": article.outlet.name},
    }
    if article.source_url:
        data["sameAs"] = article.source_url
    return data


def review_data(claim, *, url):
    """The editor's verdict on a prediction as a schema.org `ClaimReview`, or None while pending."""
    if claim.kind != Claim.Kind.PREDICTION or claim.outcome in ("", Claim.Outcome.PENDING):
        return None
    rating = {"@type": "Rating", "alternateName": str(claim.get_outcome_display())}
    if claim.outcome_note:
        rating["ratingExplanation"] = claim.outcome_note
    review = {
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.summary,
        "itemReviewed": {"@type": "Claim", "@id": url},
        "reviewRating": rating,
        "author": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if claim.outcome_source_url:
        review["citation"] = claim.outcome_source_url
    return review
