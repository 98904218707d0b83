"""The editorial workflow of claims: the services, and what readers see of each state."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim, Quote, Topic
from claims.roles import CONTRIBUTORS, EDITORS
from claims.search import results as kb_search
from claims.services import (
    claim_correct,
    claim_publish,
    claim_return_to_draft,
    claim_submit_for_review,
    claim_withdraw,
)
from core.models import PublicationStatus
from core.workflow import InvalidTransition, TransitionNotAllowed
from experts.models import Expert
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ContributorFactory,
    EditorFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
CORRECTED = PublicationStatus.CORRECTED
WITHDRAWN = PublicationStatus.WITHDRAWN
CLAIMS = reverse("api:claim-list")
QUOTES = reverse("api:quote-list")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# Each transition as (service, state it starts from, the text it needs, where it leads).
TRANSITIONS = {
    "submit_for_review": (claim_submit_for_review, DRAFT, {}, IN_REVIEW),
    "publish": (claim_publish, IN_REVIEW, {}, PUBLISHED),
    "return_to_draft": (claim_return_to_draft, IN_REVIEW, {}, DRAFT),
    "correct": (claim_correct, PUBLISHED, {"note": "The quote was misattributed."}, CORRECTED),
    "withdraw": (claim_withdraw, PUBLISHED, {"reason": "Speaker disputed it."}, WITHDRAWN),
}
CONTRIBUTOR_MAY = {"submit_for_review"}


def corrected_claim(**kwargs):
    return ClaimFactory(
        status=CORRECTED,
        correction_note="The claim was made in July, not June.",
        corrected_at=timezone.make_aware(datetime.datetime(2024, 7, 3, 9, 30)),
        **kwargs,
    )


def withdrawn_claim(**kwargs):
    return ClaimFactory(
        status=WITHDRAWN,
        withdrawn_reason="The speaker never said it.",
        withdrawn_at=timezone.now(),
        **kwargs,
    )


# Services: each group's allowed and denied transitions


@pytest.mark.parametrize("name", sorted(CONTRIBUTOR_MAY))
def test_contributor_may_make(name):
    service, start, text, target = TRANSITIONS[name]
    claim = ClaimFactory(status=start)

    claim = service(claim=claim, user=ContributorFactory(), **text)

    assert claim.status == target


@pytest.mark.parametrize("name", sorted(set(TRANSITIONS) - CONTRIBUTOR_MAY))
def test_contributor_may_not_make(name):
    service, start, text, _ = TRANSITIONS[name]
    claim = ClaimFactory(status=start)

    with pytest.raises(TransitionNotAllowed, match=f"claims.{name.split('_')[0]}_claim"):
        service(claim=claim, user=ContributorFactory(), **text)

    claim.refresh_from_db()
    assert claim.status == start


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_editor_may_make(name):
    service, start, text, target = TRANSITIONS[name]
    claim = ClaimFactory(status=start)

    claim = service(claim=claim, user=EditorFactory(), **text)

    assert claim.status == target


@pytest.mark.parametrize(
    ("name", "wrong_start"),
    [
        ("submit_for_review", IN_REVIEW),
        ("publish", DRAFT),
        ("publish", PUBLISHED),
        ("return_to_draft", PUBLISHED),
        ("correct", IN_REVIEW),
        ("withdraw", DRAFT),
        ("correct", WITHDRAWN),
    ],
)
def test_transition_from_the_wrong_state_is_refused(name, wrong_start):
    service, _, text, _ = TRANSITIONS[name]
    claim = ClaimFactory(status=wrong_start)

    with pytest.raises(InvalidTransition):
        service(claim=claim, user=EditorFactory(), **text)

    claim.refresh_from_db()
    assert claim.status == wrong_start


def test_submission_records_who_and_when():
    contributor = ContributorFactory()

    claim = claim_submit_for_review(claim=ClaimFactory(status=DRAFT), user=contributor)

    assert claim.submitted_by == contributor
    assert claim.submitted_at is not None
    assert claim.updated_by == contributor


def test_publication_records_the_reviewer_and_the_date():
    editor = EditorFactory()

    claim = claim_publish(claim=ClaimFactory(status=IN_REVIEW), user=editor)

    assert claim.reviewed_by == editor
    assert claim.published_at is not None


def test_correction_records_the_note_and_its_date():
    claim = claim_correct(claim=ClaimFactory(), user=EditorFactory(), note="Wrong month.")

    assert (claim.status, claim.correction_note) == (CORRECTED, "Wrong month.")
    assert claim.corrected_at is not None


def test_correction_without_a_note_is_refused():
    claim = ClaimFactory()

    with pytest.raises(ValidationError):
        claim_correct(claim=claim, user=EditorFactory(), note="")

    claim.refresh_from_db()
    assert claim.status == PUBLISHED


def test_withdrawal_records_the_reason_and_keeps_the_claim():
    claim = claim_withdraw(claim=corrected_claim(), user=EditorFactory(), reason="Disputed.")

    assert Claim.objects.get(pk=claim.pk).withdrawn_reason == "Disputed."
    assert claim.correction_note == "The claim was made in July, not June."


def test_transition_is_a_history_version():
    editor = EditorFactory()
    claim = ClaimFactory(status=IN_REVIEW)
    versions = claim.history.count()

    claim_publish(claim=claim, user=editor)

    assert claim.history.count() == versions + 1
    assert claim.history.latest().history_user == editor


# Groups


def test_contributors_hold_the_submit_permission_but_none_of_the_editors():
    codenames = set(
        Group.objects.get(name=CONTRIBUTORS).permissions.values_list("codename", flat=True)
    )

    assert {"add_claim", "change_claim", "submit_claim", "submit_article"} <= codenames
    assert not codenames & {
        "publish_claim",
        "return_claim",
        "correct_claim",
        "withdraw_claim",
        "publish_article",
        "delete_claim",
    }


def test_editors_hold_every_transition_permission():
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))

    assert {
        f"{verb}_{model}"
        for verb in ["submit", "publish", "return", "correct", "withdraw"]
        for model in ["article", "claim"]
    } <= codenames


# Published means published or corrected, everywhere


def test_public_quotes_include_corrected_and_leave_out_withdrawn():
    kept = QuoteFactory(claim=corrected_claim())
    QuoteFactory(claim=withdrawn_claim())
    QuoteFactory(
        article=ArticleFactory(
            status=WITHDRAWN, withdrawn_reason="Gone.", withdrawn_at=timezone.now()
        )
    )

    assert list(Quote.objects.public()) == [kept]


def test_expert_whose_only_claim_is_withdrawn_is_not_public():
    withdrawn = withdrawn_claim().speaker
    corrected = corrected_claim().speaker

    public = set(Expert.objects.public())

    assert corrected in public
    assert withdrawn not in public


def test_topic_counts_corrected_claims_and_not_withdrawn_ones():
    topic = TopicFactory()
    ClaimTopicFactory(topic=topic, claim=corrected_claim())
    ClaimTopicFactory(topic=topic, claim=withdrawn_claim())

    assert Topic.objects.with_counts().get(pk=topic.pk).claims_count == 1


# What readers see


def test_corrected_claim_page_shows_the_dated_correction(client):
    claim = corrected_claim()

    content = client.get(claim.get_absolute_url()).content.decode()

    assert '<h2 id="correction-heading" class="correction__heading">Correction</h2>' in content
    assert "3 July 2024</time>: The claim was made in July, not June." in content


def test_claim_page_lists_every_correction_newest_first(client):
    editor = EditorFactory()
    claim = claim_correct(claim=ClaimFactory(), user=editor, note="First fix.")
    claim_correct(claim=claim, user=editor, note="Second fix.")

    content = client.get(claim.get_absolute_url()).content.decode()

    assert "Corrections</h2>" in content
    assert content.index("Second fix.") < content.index("First fix.")


def test_corrected_claim_jsonld_carries_the_correction(client):
    claim = corrected_claim()

    data = client.get(claim.get_absolute_url()).context["structured_data"]

    assert data["correction"] == {
        "@type": "CorrectionComment",
        "text": "The claim was made in July, not June.",
        "datePublished": "2024-07-03T06:30:00+00:00",
    }


def test_withdrawn_claim_page_is_gone(client):
    claim = withdrawn_claim()

    response = client.get(claim.get_absolute_url())

    assert response.status_code == 410
    assert "The speaker never said it." not in response.content.decode()


def test_unknown_claim_page_is_still_not_found(client):
    assert client.get(reverse("claims:detail", kwargs={"pk": 999999})).status_code == 404


def test_api_claim_carries_its_correction(client):
    claim = corrected_claim()

    row = client.get(reverse("api:claim-detail", kwargs={"pk": claim.pk})).json()

    assert row["correction"] == {
        "note": "The claim was made in July, not June.",
        "date": "2024-07-03T09:30:00+03:00",
    }


def test_api_claim_never_corrected_has_a_null_correction(client):
    ClaimFactory()

    [row] = client.get(CLAIMS).json()["results"]

    assert row["correction"] is None


def test_withdrawn_claim_leaves_the_api_list_and_detail(client):
    claim = withdrawn_claim()
    corrected = corrected_claim()

    ids = [row["id"] for row in client.get(CLAIMS).json()["results"]]

    assert ids == [corrected.pk]
    assert client.get(reverse("api:claim-detail", kwargs={"pk": claim.pk})).status_code == 404


def test_quotes_of_a_withdrawn_claim_leave_the_api(client):
    hidden = QuoteFactory(claim=withdrawn_claim())

    assert client.get(QUOTES).json()["results"] == []
    assert client.get(reverse("api:quote-detail", kwargs={"pk": hidden.pk})).status_code == 404


def test_withdrawn_claim_leaves_the_sitemap(client):
    withdrawn = withdrawn_claim()
    corrected = corrected_claim()

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}

    assert f"http://testserver{corrected.get_absolute_url()}" in locations
    assert f"http://testserver{withdrawn.get_absolute_url()}" not in locations


def test_withdrawn_claim_leaves_search_results():
    withdrawn_claim(summary="Shells travel by rail (withdrawn).")
    corrected = corrected_claim(summary="Shells travel by rail (corrected).")

    results = kb_search.search("shells travel by rail", filters={"kind": "claim"})
    assert [hit.object for hit in results.hits] == [corrected]


def test_withdrawn_claim_leaves_the_topic_feed(client):
    topic = TopicFactory()
    ClaimTopicFactory(topic=topic, claim=withdrawn_claim(summary="Withdrawn claim."))
    ClaimTopicFactory(topic=topic, claim=corrected_claim(summary="Corrected claim."))

    response = client.get(reverse("claims:topic_feed", kwargs={"slug": topic.slug}))

    titles = [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]
    assert [title.split(": ", 1)[1] for title in titles] == ["Corrected claim."]


def test_withdrawn_claim_leaves_the_expert_feed(client):
    corrected = corrected_claim(summary="Corrected claim.")
    withdrawn_claim(speaker=corrected.speaker, summary="Withdrawn claim.")

    response = client.get(reverse("experts:feed", kwargs={"slug": corrected.speaker.slug}))

    titles = [item.findtext("title") for item in ET.fromstring(response.content).iter("item")]
    assert titles == ["Corrected claim."]


def test_withdrawn_claim_leaves_the_expert_page(client):
    corrected = corrected_claim(summary="Corrected claim.")
    withdrawn_claim(speaker=corrected.speaker, summary="Withdrawn claim.")

    content = client.get(corrected.speaker.get_absolute_url()).content.decode()

    assert "Corrected claim." in content
    assert "Withdrawn claim." not in content
