"""Validators come from what a response shows (issue 12, item 7).

Saving a draft, or a row only a draft shows (a draft claim's topic links, provision links and
quotes, a draft article, a non-public expert's affiliation), must leave the ETag and
Last-Modified of every public API response as they were: the bodies do not change, so the
validators must not reveal the activity. Publishing must change them.

Writes run with their on-commit callbacks, so the public cache purge (core/cache.py), whose
generation is part of every ETag, happens as in production.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.models import Article, Outlet
from articles.services import (
    article_import,
    article_publish,
    article_submit_for_review,
    article_update_body,
)
from claims.models import Claim, ClaimProvision, ClaimTopic, Provision, Quote, Topic, Treaty
from claims.services import claim_create, claim_publish, claim_submit_for_review
from core.api.caching import freshness
from core.cache import public_generation
from core.models import PublicationStatus, public_q
from core.services import save_stamped
from experts.models import Affiliation, Expert, NameVariant, Organization
from tests.admin_helpers import form_data
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

STAMP = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)
QUOTED = "China has the leverage to stop it"
STAMPED_MODELS = [
    Outlet,
    Article,
    Expert,
    NameVariant,
    Organization,
    Affiliation,
    Topic,
    Treaty,
    Provision,
    Claim,
    ClaimTopic,
    ClaimProvision,
    Quote,
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """One of everything public, linked, every stamp at STAMP."""
    outlet = OutletFactory()
    article = ArticleFactory(outlet=outlet)
    speaker = ExpertFactory()
    organization = OrganizationFactory()
    AffiliationFactory(expert=speaker, organization=organization)
    topic = TopicFactory()
    provision = ProvisionFactory()
    claim = ClaimFactory(speaker=speaker)
    ClaimTopicFactory(claim=claim, topic=topic)
    ClaimProvisionFactory(claim=claim, provision=provision)
    QuoteFactory(claim=claim, article=article, text=QUOTED)
    for model in STAMPED_MODELS:
        model.objects.update(updated=STAMP)
    return SimpleNamespace(
        outlet=outlet,
        article=article,
        speaker=speaker,
        organization=organization,
        topic=topic,
        provision=provision,
        claim=claim,
    )


def public_urls(world):
    detail = {
        "topic": world.topic,
        "article": world.article,
        "outlet": world.outlet,
        "claim": world.claim,
        "expert": world.speaker,
        "organization": world.organization,
        "treaty": world.provision.treaty,
        "provision": world.provision,
    }
    urls = [reverse(f"api:{name}-detail", kwargs={"pk": obj.pk}) for name, obj in detail.items()]
    urls += [reverse(f"api:{name}-list") for name in [*detail, "quote"]]
    return urls


def validators(client, world):
    """Every public response's (status, ETag, Last-Modified), by URL."""
    found = {}
    for url in public_urls(world):
        response = client.get(url)
        found[url] = (response.status_code, response.get("ETag"), response.get("Last-Modified"))
    return found


def changed(before, after):
    return sorted(url for url in before if before[url] != after[url])


def draft_claim(world, *, user=None, quote_in=None):
    return claim_create(
        speaker=world.speaker,
        summary="Beijing will quietly tolerate the pact.",
        kind=Claim.Kind.ASSESSMENT,
        made_on=datetime.date(2024, 6, 21),
        topics=[(world.topic, "yes")],
        provisions=[(world.provision, ClaimProvision.Relation.INVOKES, "The core clause.")],
        quotes=[(quote_in or world.article, QUOTED)],
        user=user,
    )


# Saving drafts leaves public validators alone ------------------------------------------------


def test_a_draft_claim_with_topics_provisions_and_quotes_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    before = validators(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        draft_claim(world, user=editor)

    assert changed(before, validators(client, world)) == []


def test_a_draft_claim_saved_with_its_inlines_in_the_admin_leaves_public_validators_alone(
    client, world, contributor, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(speaker=world.speaker, status=PublicationStatus.DRAFT)
    client.force_login(contributor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = form_data(client.get(url))
    data |= {
        "summary": "Beijing will quietly tolerate the pact.",
        "topic_links-TOTAL_FORMS": "1",
        "topic_links-0-topic": world.topic.pk,
        "topic_links-0-stance": "yes",
        "provision_links-TOTAL_FORMS": "1",
        "provision_links-0-provision": world.provision.pk,
        "provision_links-0-relation": ClaimProvision.Relation.INVOKES,
        "provision_links-0-note": "The core clause.",
        "quotes-TOTAL_FORMS": "1",
        "quotes-0-article": world.article.pk,
        "quotes-0-text": QUOTED,
    }
    client.logout()
    before = validators(client, world)
    client.force_login(contributor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    client.logout()

    assert response.status_code == 302
    assert (claim.topic_links.count(), claim.provision_links.count(), claim.quotes.count()) == (
        1,
        1,
        1,
    )
    assert changed(before, validators(client, world)) == []


def test_a_quote_added_to_a_draft_claim_in_the_admin_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    claim = ClaimFactory(speaker=world.speaker, status=PublicationStatus.DRAFT)
    before = validators(client, world)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:claims_quote_add"),
            {"claim": claim.pk, "article": world.article.pk, "text": QUOTED},
        )
    client.logout()

    assert response.status_code == 302
    assert claim.quotes.exists()
    assert changed(before, validators(client, world)) == []


def test_a_draft_article_from_an_outlet_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    before = validators(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        import_draft_article(world, user=editor)

    assert changed(before, validators(client, world)) == []


def test_editing_a_draft_article_that_quotes_a_public_claim_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(outlet=world.outlet, status=PublicationStatus.DRAFT)
    QuoteFactory(claim=world.claim, article=draft, text=QUOTED)
    Quote.objects.update(updated=STAMP)
    before = validators(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        # The quote moves in the new body, so it is saved again.
        article_update_body(article=draft, body=f"A new first paragraph.\n\n{draft.body}")

    assert draft.quotes.get().start > 0
    assert changed(before, validators(client, world)) == []


def test_an_affiliation_of_an_expert_without_published_claims_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    newcomer = ExpertFactory()
    before = validators(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        save_stamped(
            Affiliation(expert=newcomer, organization=world.organization, role_title="Fellow"),
            user=editor,
        )

    assert changed(before, validators(client, world)) == []


def test_deleting_a_draft_claim_in_the_admin_leaves_public_validators_alone(
    client, world, editor, django_capture_on_commit_callbacks
):
    draft = draft_claim(world, user=editor)
    before = validators(client, world)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:claims_claim_delete", args=[draft.pk]), {"post": "yes"}
        )
    client.logout()

    assert response.status_code == 302
    assert not Claim.objects.filter(pk=draft.pk).exists()
    assert changed(before, validators(client, world)) == []


def test_deleting_a_published_claim_in_the_admin_changes_the_validators(
    client, world, editor, django_capture_on_commit_callbacks
):
    before = validators(client, world)
    client.force_login(editor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:claims_claim_delete", args=[world.claim.pk]), {"post": "yes"}
        )
    client.logout()

    assert response.status_code == 302
    assert reverse("api:claim-list") in changed(before, validators(client, world))


# Publishing changes them ---------------------------------------------------------------------


def test_publishing_a_draft_claim_changes_the_validators_of_the_responses_showing_it(
    client, world, editor, django_capture_on_commit_callbacks
):
    claim = draft_claim(world, user=editor)
    claim_submit_for_review(claim=claim, user=editor)
    before = validators(client, world)

    with django_capture_on_commit_callbacks(execute=True):
        claim_publish(claim=claim, user=editor)

    after = validators(client, world)
    showing = {
        "topic": world.topic,
        "article": world.article,
        "expert": world.speaker,
        "organization": world.organization,
        "provision": world.provision,
        "treaty": world.provision.treaty,
    }
    for name, obj in showing.items():
        url = reverse(f"api:{name}-detail", kwargs={"pk": obj.pk})
        assert after[url][1] != before[url][1], url
        assert after[url][2] != before[url][2], url
    assert after[reverse("api:claim-list")] != before[reverse("api:claim-list")]


def test_publishing_a_draft_article_changes_its_outlets_validators(
    client, world, editor, django_capture_on_commit_callbacks
):
    article = import_draft_article(world, user=editor)
    article_submit_for_review(article=article, user=editor)
    url = reverse("api:outlet-detail", kwargs={"pk": world.outlet.pk})
    before = client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        article_publish(article=article, user=editor)

    after = client.get(url)
    assert after.json()["article_count"] == before.json()["article_count"] + 1
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] != before["Last-Modified"]


def import_draft_article(world, *, user):
    page = SimpleNamespace(
        title="A draft about the pact", body="Talks resumed, officials said.", byline=""
    )
    return article_import(
        page=page,
        outlet=world.outlet,
        language=world.article.language,
        published_on=datetime.date(2024, 6, 22),
        user=user,
    )


# The purge rule (core/services.py) ---------------------------------------------------------


def purges(save, django_capture_on_commit_callbacks):
    """Whether `save()` moved the public generation once its transaction committed."""
    generation = public_generation()
    with django_capture_on_commit_callbacks(execute=True):
        save()
    return public_generation() != generation


def test_a_draft_claims_topic_link_does_not_purge(world, django_capture_on_commit_callbacks):
    draft = ClaimFactory(speaker=world.speaker, status=PublicationStatus.DRAFT)

    def save():
        save_stamped(ClaimTopic(claim=draft, topic=world.topic, stance="yes"))

    assert not purges(save, django_capture_on_commit_callbacks)


def test_a_published_claims_topic_link_purges(world, django_capture_on_commit_callbacks):
    link = world.claim.topic_links.get()
    link.stance = "yes"

    assert purges(lambda: save_stamped(link), django_capture_on_commit_callbacks)


def test_a_quote_of_a_published_claim_in_a_draft_article_does_not_purge(
    world, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(status=PublicationStatus.DRAFT)

    def save():
        quote = Quote(claim=world.claim, article=draft, text=QUOTED)
        quote.anchor()
        save_stamped(quote)

    assert not purges(save, django_capture_on_commit_callbacks)


def test_an_edited_public_expert_purges(world, django_capture_on_commit_callbacks):
    world.speaker.bio = "Heads the centre."

    assert purges(lambda: save_stamped(world.speaker), django_capture_on_commit_callbacks)


def test_an_edited_expert_without_published_claims_does_not_purge(
    world, django_capture_on_commit_callbacks
):
    newcomer = ExpertFactory()
    newcomer.bio = "Not yet quoted."

    assert not purges(lambda: save_stamped(newcomer), django_capture_on_commit_callbacks)


def test_a_quote_moved_from_a_public_claim_to_a_draft_purges(
    world, django_capture_on_commit_callbacks
):
    """A public row that leaves purges: the state before the save counts too."""
    quote = world.claim.quotes.get()
    quote.claim = ClaimFactory(speaker=world.speaker, status=PublicationStatus.DRAFT)

    assert purges(lambda: save_stamped(quote), django_capture_on_commit_callbacks)


def test_a_topic_always_purges(world, django_capture_on_commit_callbacks):
    topic = TopicFactory()
    topic.description = "Listed publicly whatever its claims."

    assert purges(lambda: save_stamped(topic), django_capture_on_commit_callbacks)


# freshness(shown=…) --------------------------------------------------------------------------


def test_freshness_counts_only_the_rows_a_condition_shows(world):
    ArticleFactory(outlet=world.outlet, status=PublicationStatus.DRAFT, updated=STAMP)
    Article.objects.update(updated=STAMP)
    paths = ("updated", "articles__updated")

    everything = freshness(Outlet.objects.all(), paths)
    shown = freshness(Outlet.objects.all(), paths, shown={"articles": public_q("articles__")})

    assert everything.stamps[1] == (STAMP, 2)
    assert shown.stamps[1] == (STAMP, 1)


def test_freshness_refuses_a_condition_on_a_relation_it_does_not_read(world):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="quotes"):
        freshness(Outlet.objects.all(), ("updated",), shown={"quotes": public_q("quotes__")})
