"""Drafts, items in review, withdrawn items, an expert whose only claim is a draft and an orphaned
quote never show anywhere a reader can look: every URL pattern of the site (filled in with both
published and unpublished records), every feed, the sitemap, robots.txt, the site search, every
API list and detail (with and without `q`), the NDJSON export and the JSON-LD in pages.

Each hidden record carries a marker word of its own in its text; no response may contain one.
The walker enumerates the URL patterns itself, so a new page is walked as soon as it is added —
or, if it takes a parameter the walker cannot fill, the walk fails naming it.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse

from articles.services import article_update_body
from claims.api.filters import ClaimFilter
from config.api_urls import router
from core.api.keys import PartnerKey
from core.models import PublicationStatus
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    EditorFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

Status = PublicationStatus

# One word per hidden record, written capitalised; queries send it in lower case, so a page
# that echoes the query is not mistaken for one that shows the record.
MARKERS = {
    "draft claim": "Zqdraftclaim",
    "article in review": "Zqreviewarticle",
    "withdrawn claim": "Zqwithdrawnclaim",
    "withdrawn article": "Zqwithdrawnarticle",
    "expert with only a draft": "Zqhiddenexpert",
    "orphaned quote": "Zqorphanquote",
}
# In published records: the searches must find it, or a broken search would pass vacuously.
PUBLIC_MARKER = "Zqpublicmarker"

# Patterns the walker leaves out, and why.
STAFF_ONLY_PREFIX = "admin/"
SKIPPED_NAMESPACES = {
    # Staff only (anonymous readers are sent to the login page); editors must see drafts there.
    "admin",
}


@dataclass
class Site:
    """Slugs and ids of the records, published (`public`) and not (`hidden`), by kind."""

    public: dict = field(default_factory=dict)
    hidden: dict = field(default_factory=dict)
    # Hidden items whose pages answer 410 Gone rather than 404.
    withdrawn: dict = field(default_factory=dict)


def build_site():
    editor = EditorFactory()
    outlet = OutletFactory(slug="leak-outlet", name="Leak Outlet")
    topic = TopicFactory(slug="leak-topic", title="Leak topic")
    treaty = TreatyFactory(slug="leak-treaty")
    provision = ProvisionFactory(treaty=treaty, number="Article 1", address="art_1")
    organization = OrganizationFactory(slug="leak-organization")

    public_expert = ExpertFactory(slug="public-expert", display_name="Public Person")
    AffiliationFactory(expert=public_expert, organization=organization)
    public_article = ArticleFactory(
        slug="public-article",
        outlet=outlet,
        topics=[topic],
        body=(
            f"{PUBLIC_MARKER} opens the public story.\n\n"
            "China has the leverage to stop it, said the analyst.\n\n"
            "Beijing stays quiet, said another.\n\n"
            "Moscow wants more shells, said a third."
        ),
    )
    public_claim = ClaimFactory(
        speaker=public_expert, summary=f"{PUBLIC_MARKER} China can stop the alliance."
    )
    ClaimTopicFactory(claim=public_claim, topic=topic)
    ClaimProvisionFactory(claim=public_claim, provision=provision)
    public_quote = QuoteFactory(
        claim=public_claim, article=public_article, text="China has the leverage to stop it"
    )

    marker = MARKERS["draft claim"]
    draft_claim = ClaimFactory(
        speaker=public_expert,
        status=Status.DRAFT,
        summary=f"{marker} Beijing will mediate.",
        kind="prediction",
        outcome_note=f"{marker} outcome",
    )
    ClaimTopicFactory(claim=draft_claim, topic=topic)
    ClaimProvisionFactory(claim=draft_claim, provision=provision, note=f"{marker} note")
    draft_quote = QuoteFactory(
        claim=draft_claim, article=public_article, text="Beijing stays quiet"
    )

    marker = MARKERS["article in review"]
    review_article = ArticleFactory(
        slug="review-article",
        outlet=outlet,
        topics=[topic],
        status=Status.IN_REVIEW,
        translation_of=public_article,
        title=f"{marker} headline",
        byline=f"{marker} Byline",
        standfirst=f"{marker} standfirst",
        body=f"{marker} says China has the leverage.\n\nMore text.",
    )
    review_quote = QuoteFactory(
        claim=public_claim, article=review_article, text=f"{marker} says China"
    )

    marker = MARKERS["withdrawn claim"]
    withdrawn_claim = ClaimFactory(
        speaker=public_expert,
        status=Status.WITHDRAWN,
        summary=f"{marker} Moscow will pay.",
        correction_note=f"{marker} corrected once",
        corrected_at=datetime.datetime(2024, 7, 1, tzinfo=datetime.UTC),
        withdrawn_reason=f"{marker} reason",
        withdrawn_at=datetime.datetime(2024, 8, 1, tzinfo=datetime.UTC),
    )
    ClaimTopicFactory(claim=withdrawn_claim, topic=topic)
    ClaimProvisionFactory(claim=withdrawn_claim, provision=provision, note=f"{marker} note")
    withdrawn_claim_quote = QuoteFactory(
        claim=withdrawn_claim, article=public_article, text="Moscow wants more shells"
    )

    marker = MARKERS["withdrawn article"]
    withdrawn_article = ArticleFactory(
        slug="withdrawn-article",
        outlet=outlet,
        topics=[topic],
        status=Status.WITHDRAWN,
        title=f"{marker} headline",
        byline=f"{marker} Byline",
        standfirst=f"{marker} standfirst",
        body=f"{marker} says the pact is hollow.\n\nMore text.",
        withdrawn_reason=f"{marker} reason",
    )
    withdrawn_article_quote = QuoteFactory(
        claim=public_claim, article=withdrawn_article, text=f"{marker} says the pact"
    )

    marker = MARKERS["expert with only a draft"]
    hidden_expert = ExpertFactory(
        slug="hidden-expert", display_name=f"{marker} Person", bio=f"{marker} biography"
    )
    NameVariantFactory(expert=hidden_expert, name=f"{marker} Variant")
    AffiliationFactory(
        expert=hidden_expert, organization=organization, role_title=f"{marker} Director"
    )
    hidden_expert_claim = ClaimFactory(
        speaker=hidden_expert, status=Status.DRAFT, summary=f"{marker} claim summary"
    )
    ClaimTopicFactory(claim=hidden_expert_claim, topic=topic)

    marker = MARKERS["orphaned quote"]
    orphan_article = ArticleFactory(
        slug="orphan-article",
        outlet=outlet,
        body=f"{marker} was said here.\n\nThe rest stays.",
    )
    orphan_claim = ClaimFactory(speaker=public_expert, summary="Sanctions will bite.")
    ClaimTopicFactory(claim=orphan_claim, topic=topic)
    orphan = QuoteFactory(claim=orphan_claim, article=orphan_article, text=f"{marker} was said")
    article_update_body(article=orphan_article, body="The rest stays.", user=editor)
    orphan.refresh_from_db()
    assert orphan.orphaned

    return Site(
        public={
            "article": [public_article, orphan_article],
            "outlet": [outlet],
            "expert": [public_expert],
            "organization": [organization],
            "claim": [public_claim, orphan_claim],
            "quote": [public_quote],
            "topic": [topic],
            "treaty": [treaty],
            "provision": [provision],
        },
        hidden={
            "article": [review_article],
            "expert": [hidden_expert],
            "claim": [draft_claim, hidden_expert_claim],
            "quote": [
                draft_quote,
                review_quote,
                withdrawn_claim_quote,
                withdrawn_article_quote,
                orphan,
            ],
        },
        withdrawn={"article": [withdrawn_article], "claim": [withdrawn_claim]},
    )


@pytest.fixture(scope="module")
def built_site(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_site()
        transaction.set_rollback(True)


@pytest.fixture
def site(db, built_site):
    return built_site


# --- The URL patterns -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    route: str
    name: str  # namespaced, e.g. "articles:detail"
    parameters: frozenset


def url_patterns(resolver=None, route="", namespace=""):
    """Every URL pattern of the site, included ones too, except SKIPPED_NAMESPACES."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from url_patterns(entry, route + str(entry.pattern), inner)
            continue
        pattern = entry.pattern
        if (route + str(pattern)).lstrip("^").startswith(STAFF_ONLY_PREFIX):
            continue  # outside the admin's namespace, but under its address (an old one's redirect)
        parameters = set(pattern.regex.groupindex) | set(getattr(pattern, "converters", {}))
        yield Pattern(route + str(pattern), f"{namespace}{entry.name}", frozenset(parameters))


def by_pk(kind):
    def fill(site, visibility):
        return [{"pk": obj.pk} for obj in getattr(site, visibility).get(kind, [])]

    return fill


def by_slug(kind):
    def fill(site, visibility):
        return [{"slug": obj.slug} for obj in getattr(site, visibility).get(kind, [])]

    return fill


def provisions(site, visibility):
    return [
        {"slug": p.treaty.slug, "address": p.address}
        for p in getattr(site, visibility).get("provision", [])
    ]


def lists(site, visibility):
    """A list has no record in its URL: requested once, with the public records."""
    return [{}] if visibility == "public" else []


def with_format(fill, *formats):
    def filled(site, visibility):
        return [kwargs | {"format": fmt} for kwargs in fill(site, visibility) for fmt in formats]

    return filled


API_KINDS = [basename for _, _, basename in router.registry]

# How to fill in each pattern's parameters: (name, parameters) → fill(site, visibility), which
# gives the URL kwargs of the site's public, hidden or withdrawn records of the right kind.
FILL = {
    ("articles:detail", frozenset({"slug"})): by_slug("article"),
    ("articles:outlet", frozenset({"slug"})): by_slug("outlet"),
    ("experts:detail", frozenset({"slug"})): by_slug("expert"),
    ("experts:feed", frozenset({"slug"})): by_slug("expert"),
    ("claims:topic", frozenset({"slug"})): by_slug("topic"),
    ("claims:topic_feed", frozenset({"slug"})): by_slug("topic"),
    ("claims:detail", frozenset({"pk"})): by_pk("claim"),
    ("claims:treaty", frozenset({"slug"})): by_slug("treaty"),
    ("claims:provision", frozenset({"slug", "address"})): provisions,
    ("api:api-root", frozenset({"format"})): with_format(lists, "json"),
    **{(f"api:{kind}-detail", frozenset({"pk"})): by_pk(kind) for kind in API_KINDS},
    **{
        (f"api:{kind}-detail", frozenset({"pk", "format"})): with_format(by_pk(kind), "json")
        for kind in API_KINDS
    },
    **{
        (f"api:{kind}-list", frozenset({"format"})): with_format(lists, "json")
        for kind in API_KINDS
    },
}
# The schema.org form of a claim is a format of its own.
FILL["api:claim-detail", frozenset({"pk", "format"})] = with_format(
    by_pk("claim"), "json", "jsonld"
)

# What a pattern without parameters answers when requested bare, where that is not 200.
BARE_STATUS = {"api:search": 400}  # `q` is required


def unfillable(patterns):
    return [p for p in patterns if p.parameters and (p.name, p.parameters) not in FILL]


def test_the_walker_knows_how_to_fill_every_url_pattern():
    missing = unfillable(url_patterns())

    assert not missing, "The leak walker cannot fill these URL patterns; add them to FILL: " + (
        ", ".join(f"{p.name} ({p.route})" for p in missing)
    )


def body_of(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def leaked(text, *, echo=""):
    """The markers `text` shows, once the query it echoes (`echo`) is taken out."""
    if echo:
        text = text.replace(echo, "")
    folded = text.casefold()
    return [what for what, marker in MARKERS.items() if marker.casefold() in folded]


def partner_headers(url):
    """The export answers partners only (anonymous: 401), so it is read with a key."""
    if url != reverse("api:claim-export"):
        return {}
    _, key = PartnerKey.objects.create_key(name="Leak check", contact="leaks@example.org")
    return {"authorization": f"Api-Key {key}"}


def fetch(client, url, params=None):
    response = client.get(url, params or {}, headers=partner_headers(url))
    echo = (params or {}).get("q", "")
    return response, leaked(body_of(response), echo=echo)


def test_no_page_of_any_url_pattern_shows_a_hidden_record(client, site):
    patterns = list(url_patterns())
    assert not unfillable(patterns), "see test_the_walker_knows_how_to_fill_every_url_pattern"
    problems = []
    for pattern in patterns:
        if not pattern.parameters:
            requests = [({}, {BARE_STATUS.get(pattern.name, 200)})]
        else:
            fill = FILL[pattern.name, pattern.parameters]
            requests = [(kwargs, {200}) for kwargs in fill(site, "public")]
            requests += [(kwargs, {404}) for kwargs in fill(site, "hidden")]
            requests += [(kwargs, {404, 410}) for kwargs in fill(site, "withdrawn")]
            assert requests, f"{pattern.name}: FILL gave nothing to request"
        for kwargs, expected in requests:
            url = reverse(pattern.name, kwargs=kwargs)
            response, found = fetch(client, url)
            if response.status_code not in expected or found:
                problems.append(f"{url} ({pattern.name}): {response.status_code}, shows {found}")

    assert not problems, "\n".join(problems)


# --- Searches, lists and filters --------------------------------------------------------------


def searchable_lists():
    """URLs of the API lists (and the export) that take `q`, the site search and the expert
    list, which searches names."""
    urls = [
        reverse(f"api:{basename}-list")
        for _, viewset, basename in router.registry
        if "q" in viewset.filterset_class.base_filters
    ]
    if "q" in ClaimFilter.base_filters:
        urls.append(reverse("api:claim-export"))
    return [*urls, reverse("api:search"), reverse("search"), reverse("experts:list")]


def test_searching_for_a_marker_finds_nothing_hidden(client, site):
    problems = []
    for url in searchable_lists():
        for marker in MARKERS.values():
            response, found = fetch(client, url, {"q": marker.lower()})
            if response.status_code != 200 or found:
                problems.append(f"{url}?q={marker.lower()}: {response.status_code}, shows {found}")

    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("url_name", ["search", "api:search", "api:claim-list"])
def test_the_same_search_finds_the_published_record(client, site, url_name):
    response = client.get(reverse(url_name), {"q": PUBLIC_MARKER.lower()})

    assert response.status_code == 200
    assert PUBLIC_MARKER in body_of(response)


def test_filtering_by_a_hidden_record_shows_nothing_of_it(client, site):
    """Filters naming an unpublished expert or article are refused (404, as for a slug that
    names nothing) or empty, never revealing."""
    hidden = {"expert": "hidden-expert", "article": "review-article"}
    withdrawn = {"article": "withdrawn-article"}
    problems = []
    lists = [(f"api:{b}-list", v.filterset_class) for _, v, b in router.registry]
    lists.append(("api:claim-export", ClaimFilter))
    for name, filterset in lists:
        for values in (hidden, withdrawn):
            for parameter, slug in values.items():
                if parameter not in filterset.base_filters:
                    continue
                response, found = fetch(client, reverse(name), {parameter: slug})
                if response.status_code not in {200, 400, 404} or found:
                    problems.append(f"{name}?{parameter}={slug}: {response.status_code} {found}")
    topic = reverse("claims:topic", kwargs={"slug": "leak-topic"})
    response, found = fetch(client, topic, {"expert": "hidden-expert"})
    if response.status_code != 200 or found:
        problems.append(f"{topic}?expert=hidden-expert: {response.status_code} {found}")

    assert not problems, "\n".join(problems)


def test_staff_see_what_readers_do_not(site):
    """The markers do reach pages when they should, so their absence above means something."""
    client = Client()
    client.force_login(EditorFactory())

    response = client.get(reverse("claims:detail", kwargs={"pk": site.hidden["claim"][0].pk}))

    assert response.status_code == 200
    assert leaked(response.content.decode()) == ["draft claim"]
