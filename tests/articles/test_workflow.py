"""The editorial workflow of articles: the services, and what readers see of each state."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import (
    article_correct,
    article_publish,
    article_return_to_draft,
    article_submit_for_review,
    article_withdraw,
)
from claims.search import results as kb_search
from core.models import PublicationStatus
from core.workflow import InvalidTransition, TransitionNotAllowed
from tests.factories import ArticleFactory, ContributorFactory, EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
CORRECTED = PublicationStatus.CORRECTED
WITHDRAWN = PublicationStatus.WITHDRAWN
ARTICLES = reverse("api:article-list")
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}

# Each transition as (service, state it starts from, the text it needs).
TRANSITIONS = {
    "submit_for_review": (article_submit_for_review, DRAFT, {}),
    "publish": (article_publish, IN_REVIEW, {}),
    "return_to_draft": (article_return_to_draft, IN_REVIEW, {}),
    "correct": (article_correct, PUBLISHED, {"note": "The date was wrong."}),
    "withdraw": (article_withdraw, PUBLISHED, {"reason": "The outlet retracted it."}),
}


def corrected_article(**kwargs):
    return ArticleFactory(
        status=CORRECTED,
        correction_note="An earlier version misnamed the treaty.",
        corrected_at=timezone.make_aware(datetime.datetime(2024, 7, 2, 10, 0)),
        **kwargs,
    )


def withdrawn_article(**kwargs):
    return ArticleFactory(
        status=WITHDRAWN,
        withdrawn_reason="Legal asked us to take it down.",
        withdrawn_at=timezone.now(),
        **kwargs,
    )


# Services: who may make which move


def test_contributor_submits_a_draft_for_review():
    contributor = ContributorFactory()
    article = ArticleFactory(status=DRAFT)

    article = article_submit_for_review(article=article, user=contributor)

    assert article.status == IN_REVIEW
    assert article.submitted_by == contributor
    assert article.submitted_at is not None


def test_editor_submits_a_draft_for_review():
    article = article_submit_for_review(article=ArticleFactory(status=DRAFT), user=EditorFactory())

    assert article.status == IN_REVIEW


@pytest.mark.parametrize("name", ["publish", "return_to_draft", "correct", "withdraw"])
def test_contributor_may_not_review_publish_correct_or_withdraw(name):
    service, start, text = TRANSITIONS[name]
    article = ArticleFactory(status=start)

    with pytest.raises(TransitionNotAllowed):
        service(article=article, user=ContributorFactory(), **text)

    article.refresh_from_db()
    assert article.status == start


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_editor_may_make_every_transition(name):
    service, start, text = TRANSITIONS[name]
    article = ArticleFactory(status=start)

    service(article=article, user=EditorFactory(), **text)

    article.refresh_from_db()
    assert article.status != start


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_user_outside_the_groups_may_make_no_transition(name):
    service, start, text = TRANSITIONS[name]
    article = ArticleFactory(status=start)

    with pytest.raises(TransitionNotAllowed):
        service(article=article, user=UserFactory(is_staff=True), **text)


def test_editor_publishes_an_article_in_review_and_is_recorded():
    editor = EditorFactory()
    article = ArticleFactory(status=IN_REVIEW)

    article = article_publish(article=article, user=editor)

    assert article.status == PUBLISHED
    assert article.reviewed_by == editor
    assert article.reviewed_at is not None
    assert article.published_at == article.reviewed_at


def test_editor_may_not_publish_a_draft_without_review():
    article = ArticleFactory(status=DRAFT)

    with pytest.raises(InvalidTransition, match="cannot be published: it is draft, not in review"):
        article_publish(article=article, user=EditorFactory())

    article.refresh_from_db()
    assert article.status == DRAFT


def test_editor_returns_an_article_in_review_to_draft():
    editor = EditorFactory()

    article = article_return_to_draft(article=ArticleFactory(status=IN_REVIEW), user=editor)

    assert (article.status, article.reviewed_by) == (DRAFT, editor)
    assert article.published_at is None


def test_correction_keeps_the_article_public_with_a_dated_note():
    article = article_correct(
        article=ArticleFactory(status=PUBLISHED), user=EditorFactory(), note="  Wrong date.  "
    )

    assert article.status == CORRECTED
    assert article.is_published
    assert article.correction_note == "Wrong date."
    assert article.corrected_at is not None


def test_correction_needs_a_note():
    article = ArticleFactory(status=PUBLISHED)

    with pytest.raises(ValidationError, match="Give the note"):
        article_correct(article=article, user=EditorFactory(), note="   ")

    article.refresh_from_db()
    assert (article.status, article.correction_note) == (PUBLISHED, "")


def test_second_correction_keeps_the_first_among_the_corrections():
    editor = EditorFactory()
    article = article_correct(article=ArticleFactory(), user=editor, note="First fix.")
    article = article_correct(article=article, user=editor, note="Second fix.")

    assert article.correction_note == "Second fix."
    assert [c.note for c in article.corrections()] == ["Second fix.", "First fix."]


def test_withdrawal_keeps_the_article_with_its_reason():
    article = corrected_article()

    article = article_withdraw(article=article, user=EditorFactory(), reason="Retracted.")

    assert Article.objects.filter(pk=article.pk).exists()
    assert (article.status, article.withdrawn_reason) == (WITHDRAWN, "Retracted.")
    assert article.withdrawn_at is not None
    assert not article.is_published


def test_withdrawal_needs_a_reason():
    article = ArticleFactory(status=PUBLISHED)

    with pytest.raises(ValidationError, match="Give the reason"):
        article_withdraw(article=article, user=EditorFactory(), reason="")

    article.refresh_from_db()
    assert article.status == PUBLISHED


@pytest.mark.parametrize("name", ["submit_for_review", "publish", "correct", "withdraw"])
def test_withdrawn_article_cannot_come_back(name):
    service, _, text = TRANSITIONS[name]
    article = withdrawn_article()

    with pytest.raises(InvalidTransition):
        service(article=article, user=EditorFactory(), **text)


def test_refused_transition_saves_nothing():
    article = ArticleFactory(status=DRAFT)
    versions = article.history.count()
    updated = article.updated

    with pytest.raises(InvalidTransition):
        article_withdraw(article=article, user=EditorFactory(), reason="No.")

    article.refresh_from_db()
    assert (article.status, article.withdrawn_reason, article.updated) == (DRAFT, "", updated)
    assert article.history.count() == versions


def test_transition_writes_a_history_version_naming_the_editor():
    editor = EditorFactory()
    article = ArticleFactory(status=IN_REVIEW)

    article_publish(article=article, user=editor)

    version = article.history.latest()
    assert (version.status, version.history_user) == (PUBLISHED, editor)
    assert version.history_change_reason == "Workflow: published"


def test_transition_works_on_a_stale_instance():
    editor = EditorFactory()
    article = ArticleFactory(status=IN_REVIEW)
    stale = Article.objects.get(pk=article.pk)
    article_return_to_draft(article=article, user=editor)

    with pytest.raises(InvalidTransition, match="it is draft"):
        article_publish(article=stale, user=editor)


# Published means published or corrected


def test_published_queryset_keeps_corrected_and_leaves_out_withdrawn():
    published = ArticleFactory(status=PUBLISHED)
    corrected = corrected_article()
    withdrawn_article()
    ArticleFactory(status=IN_REVIEW)

    assert set(Article.objects.published()) == {published, corrected}


def test_in_review_lists_the_oldest_submission_first():
    now = timezone.now()
    newer = ArticleFactory(status=IN_REVIEW, submitted_at=now)
    older = ArticleFactory(status=IN_REVIEW, submitted_at=now - datetime.timedelta(days=2))
    ArticleFactory(status=DRAFT)

    assert list(Article.objects.in_review()) == [older, newer]


# What readers see


def test_corrected_article_page_shows_the_dated_correction(client):
    article = corrected_article()

    response = client.get(article.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="correction"' in content
    assert "An earlier version misnamed the treaty." in content
    date = '<time class="correction__date" datetime="2024-07-02T10:00:00+03:00">2 July 2024'
    assert date in content


def test_published_article_page_has_no_correction_box(client):
    response = client.get(ArticleFactory().get_absolute_url())

    assert 'class="correction"' not in response.content.decode()


def test_corrected_article_page_carries_the_correction_in_jsonld(client):
    article = corrected_article()

    data = client.get(article.get_absolute_url()).context["structured_data"]

    assert data["correction"]["@type"] == "CorrectionComment"
    assert data["correction"]["text"] == "An earlier version misnamed the treaty."


def test_withdrawn_article_page_is_gone_for_readers(client):
    article = withdrawn_article()

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assert "Legal asked us" not in response.content.decode()


def test_draft_article_page_is_still_not_found(client):
    assert client.get(ArticleFactory(status=DRAFT).get_absolute_url()).status_code == 404


def test_staff_still_preview_a_withdrawn_article(editor_client):
    response = editor_client.get(withdrawn_article().get_absolute_url())

    assert response.status_code == 200
    assert response.context["preview"] == "Withdrawn"


def test_withdrawn_article_leaves_the_article_list(client):
    withdrawn = withdrawn_article()
    corrected = corrected_article()

    listed = list(client.get(reverse("articles:list")).context["page_obj"])

    assert corrected in listed
    assert withdrawn not in listed


def test_withdrawn_article_leaves_the_api(client):
    withdrawn = withdrawn_article()
    corrected = corrected_article()

    ids = [row["id"] for row in client.get(ARTICLES).json()["results"]]

    assert ids == [corrected.pk]
    detail = reverse("api:article-detail", kwargs={"pk": withdrawn.pk})
    assert client.get(detail).status_code == 404


def test_api_article_carries_its_correction(client):
    article = corrected_article()

    row = client.get(reverse("api:article-detail", kwargs={"pk": article.pk})).json()

    assert row["correction"] == {
        "note": "An earlier version misnamed the treaty.",
        "date": "2024-07-02T10:00:00+03:00",
    }


def test_api_article_never_corrected_has_a_null_correction(client):
    ArticleFactory()

    [row] = client.get(ARTICLES).json()["results"]

    assert row["correction"] is None


def test_withdrawn_article_leaves_the_sitemap(client):
    withdrawn = withdrawn_article()
    corrected = corrected_article()

    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {loc.text for loc in root.findall("sm:url/sm:loc", SITEMAP_NS)}

    assert f"http://testserver{corrected.get_absolute_url()}" in locations
    assert f"http://testserver{withdrawn.get_absolute_url()}" not in locations


def test_withdrawn_article_leaves_search_results():
    withdrawn = withdrawn_article(title="Shells by rail, withdrawn")
    corrected = corrected_article(title="Shells by rail, corrected")

    results = kb_search.search("shells by rail", filters={"kind": "article"})
    found = {hit.object for hit in results.hits}

    assert found == {corrected}
    assert withdrawn not in found
