"""The workflow in the admin, for articles and claims: buttons, actions, the review queue."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from core.models import PublicationStatus
from tests.admin_helpers import changelist_url, form_data
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    ContributorFactory,
    EditorFactory,
    QuoteFactory,
)
from tests.helpers import count_queries

pytestmark = pytest.mark.django_db

DRAFT = PublicationStatus.DRAFT
IN_REVIEW = PublicationStatus.IN_REVIEW
PUBLISHED = PublicationStatus.PUBLISHED
CORRECTED = PublicationStatus.CORRECTED
WITHDRAWN = PublicationStatus.WITHDRAWN
FACTORIES = {"articles.article": ArticleFactory, "claims.claim": ClaimFactory}
LABELS = list(FACTORIES)
REVIEW_QUEUE = reverse("admin:review_queue")


def make(label, **fields):
    return FACTORIES[label](**fields)


def change_url(label, obj):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_change", args=[obj.pk])


def transition_url(label, obj, name):
    app, model = label.split(".")
    return reverse(f"admin:{app}_{model}_transition", args=[obj.pk, name])


def status_of(obj):
    obj.refresh_from_db()
    return obj.status


def transitions_shown(response):
    return [transition.name for transition, _ in response.context["workflow_transitions"]]


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# The change page shows only the moves the user may make


@pytest.mark.parametrize("label", LABELS)
def test_contributor_sees_only_submit_on_a_draft(contributor_client, label):
    response = contributor_client.get(change_url(label, make(label, status=DRAFT)))

    assert transitions_shown(response) == ["submit_for_review"]
    assertContains(response, "Submit for review")
    assertNotContains(response, ">Publish<")


@pytest.mark.parametrize("label", LABELS)
def test_contributor_sees_no_transition_on_an_item_in_review(contributor_client, label):
    response = contributor_client.get(change_url(label, make(label, status=IN_REVIEW)))

    assert transitions_shown(response) == []


@pytest.mark.parametrize("label", LABELS)
def test_editor_sees_publish_and_return_on_an_item_in_review(editor_client, label):
    response = editor_client.get(change_url(label, make(label, status=IN_REVIEW)))

    assert transitions_shown(response) == ["publish", "return_to_draft"]


@pytest.mark.parametrize("label", LABELS)
def test_editor_sees_correct_and_withdraw_on_a_published_item(editor_client, label):
    response = editor_client.get(change_url(label, make(label, status=PUBLISHED)))

    assert transitions_shown(response) == ["correct", "withdraw"]


@pytest.mark.parametrize("label", LABELS)
def test_editor_sees_no_transition_on_a_withdrawn_item(editor_client, label):
    item = make(label, status=WITHDRAWN, withdrawn_reason="Gone.", withdrawn_at=timezone.now())

    assert transitions_shown(editor_client.get(change_url(label, item))) == []


@pytest.mark.parametrize("label", LABELS)
def test_status_is_not_a_field_of_the_change_form(editor_client, label):
    response = editor_client.get(change_url(label, make(label, status=DRAFT)))

    assert "status" not in response.context["adminform"].form.fields
    assertContains(response, "Workflow")


# A contributor cannot publish: not by the status field, an action or the transition URL


@pytest.mark.parametrize("label", LABELS)
def test_contributor_posting_a_status_leaves_it_unchanged(contributor_client, label):
    item = make(label, status=DRAFT)
    url = change_url(label, item)
    data = form_data(contributor_client.get(url)) | {"status": PUBLISHED}

    response = contributor_client.post(url, data)

    assert response.status_code == 302  # the rest of the edit is saved
    assert status_of(item) == DRAFT


@pytest.mark.parametrize("label", LABELS)
def test_contributor_calling_the_publish_action_changes_nothing(contributor_client, label):
    item = make(label, status=IN_REVIEW)

    contributor_client.post(
        changelist_url(label), {"action": "publish", "_selected_action": [item.pk]}
    )

    assert status_of(item) == IN_REVIEW


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("publish", IN_REVIEW),
        ("return_to_draft", IN_REVIEW),
        ("correct", PUBLISHED),
        ("withdraw", PUBLISHED),
    ],
)
def test_contributor_posting_an_editors_transition_url_is_forbidden(
    contributor_client, label, name, start
):
    item = make(label, status=start)

    response = contributor_client.post(transition_url(label, item, name), {"text": "Because."})

    assert response.status_code == 403
    assert status_of(item) == start


@pytest.mark.parametrize("label", LABELS)
def test_contributor_is_offered_only_the_submit_action(contributor_client, label):
    make(label, status=DRAFT)

    response = contributor_client.get(changelist_url(label))

    actions = [name for name, _ in response.context["action_form"].fields["action"].choices]
    assert actions == ["", "submit_for_review"]


@pytest.mark.parametrize("label", LABELS)
def test_editor_is_offered_every_transition_action(editor_client, label):
    make(label)

    response = editor_client.get(changelist_url(label))

    actions = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert {"submit_for_review", "publish", "return_to_draft", "correct", "withdraw"} <= actions


# Contributors edit drafts only


@pytest.mark.parametrize("label", LABELS)
def test_contributor_cannot_edit_an_item_in_review(contributor_client, label):
    item = make(label, status=IN_REVIEW)
    url = change_url(label, item)
    data = form_data(contributor_client.get(url))

    assert contributor_client.post(url, data).status_code == 403


def test_contributor_edits_a_draft(contributor_client):
    claim = ClaimFactory(status=DRAFT, summary="Old summary.")
    url = change_url("claims.claim", claim)
    data = form_data(contributor_client.get(url)) | {"summary": "New summary."}

    assert contributor_client.post(url, data).status_code == 302
    claim.refresh_from_db()
    assert claim.summary == "New summary."


def test_contributor_cannot_quote_for_a_published_claim(contributor_client):
    published = ClaimFactory(status=PUBLISHED)
    article = ArticleFactory(status=DRAFT)

    response = contributor_client.post(
        reverse("admin:claims_quote_add"),
        {"claim": published.pk, "article": article.pk, "text": "China has the leverage"},
    )

    assert response.status_code == 200
    assert "claim" in response.context["adminform"].form.errors
    assert not published.quotes.exists()


def test_contributor_cannot_change_a_quote_of_a_published_claim(contributor_client):
    quote = QuoteFactory()

    response = contributor_client.get(reverse("admin:claims_quote_change", args=[quote.pk]))

    assert response.context["has_change_permission"] is False


# One transition from the change page


@pytest.mark.parametrize("label", LABELS)
def test_contributor_submits_from_the_change_page(contributor_client, contributor, label):
    item = make(label, status=DRAFT)

    response = contributor_client.post(transition_url(label, item, "submit_for_review"))

    assert response.status_code == 302
    assert response["Location"] == change_url(label, item)
    item.refresh_from_db()
    assert (item.status, item.submitted_by) == (IN_REVIEW, contributor)


@pytest.mark.parametrize("label", LABELS)
def test_editor_publishes_from_the_change_page(editor_client, editor, label):
    item = make(label, status=IN_REVIEW)

    response = editor_client.post(transition_url(label, item, "publish"), follow=True)

    assertContains(response, "was published.")
    item.refresh_from_db()
    assert (item.status, item.reviewed_by) == (PUBLISHED, editor)


def test_transition_page_asks_for_confirmation_first(editor_client):
    claim = ClaimFactory(status=IN_REVIEW)

    response = editor_client.get(transition_url("claims.claim", claim, "publish"))

    assert response.status_code == 200
    assertContains(response, 'value="Publish"')
    assert status_of(claim) == IN_REVIEW


def test_transition_from_the_wrong_state_is_reported_and_changes_nothing(editor_client):
    article = ArticleFactory(status=DRAFT)

    response = editor_client.post(
        transition_url("articles.article", article, "publish"), follow=True
    )

    assertContains(response, "cannot be published: it is draft, not in review.")
    assert status_of(article) == DRAFT


def test_correct_page_asks_for_the_note(editor_client):
    claim = ClaimFactory()

    response = editor_client.get(transition_url("claims.claim", claim, "correct"))

    assertContains(response, "<textarea")
    assertContains(response, "Correction note")


def test_correction_without_a_note_is_a_form_error(editor_client):
    claim = ClaimFactory()

    response = editor_client.post(transition_url("claims.claim", claim, "correct"), {"text": " "})

    assert response.status_code == 200
    assert response.context["form"].errors
    assert status_of(claim) == PUBLISHED


def test_editor_corrects_with_a_note(editor_client):
    article = ArticleFactory()

    editor_client.post(
        transition_url("articles.article", article, "correct"), {"text": "Wrong date."}
    )

    article.refresh_from_db()
    assert (article.status, article.correction_note) == (CORRECTED, "Wrong date.")


def test_editor_withdraws_with_a_reason(editor_client):
    claim = ClaimFactory()

    editor_client.post(transition_url("claims.claim", claim, "withdraw"), {"text": "Disputed."})

    claim.refresh_from_db()
    assert (claim.status, claim.withdrawn_reason) == (WITHDRAWN, "Disputed.")


def test_unknown_transition_is_not_found(editor_client):
    claim = ClaimFactory()

    assert editor_client.post(transition_url("claims.claim", claim, "delete")).status_code == 404


def test_transition_returns_to_a_safe_next_page_only(editor_client):
    claim = ClaimFactory(status=IN_REVIEW)

    response = editor_client.post(
        transition_url("claims.claim", claim, "publish"), {"next": "https://evil.example/"}
    )

    assert response["Location"] == change_url("claims.claim", claim)


# Transitions as list actions


@pytest.mark.parametrize("label", LABELS)
def test_publish_action_publishes_every_selected_item(editor_client, label):
    items = [make(label, status=IN_REVIEW) for _ in range(2)]

    response = editor_client.post(
        changelist_url(label),
        {"action": "publish", "_selected_action": [item.pk for item in items]},
        follow=True,
    )

    assert [status_of(item) for item in items] == [PUBLISHED, PUBLISHED]
    assertContains(response, "2 ")
    assertContains(response, "were published.")


def test_publish_action_changes_nothing_when_one_item_cannot_move(editor_client):
    ready = ClaimFactory(status=IN_REVIEW)
    draft = ClaimFactory(status=DRAFT)

    response = editor_client.post(
        changelist_url("claims.claim"),
        {"action": "publish", "_selected_action": [ready.pk, draft.pk]},
        follow=True,
    )

    assert (status_of(ready), status_of(draft)) == (IN_REVIEW, DRAFT)
    assertContains(response, "Nothing was changed.")


def test_withdraw_action_first_asks_for_the_reason(editor_client):
    claim = ClaimFactory()

    response = editor_client.post(
        changelist_url("claims.claim"), {"action": "withdraw", "_selected_action": [claim.pk]}
    )

    assert response.status_code == 200
    assertContains(response, "Reason for withdrawing")
    assert status_of(claim) == PUBLISHED


def test_withdraw_action_applies_the_reason_to_every_selected_item(editor_client):
    articles = ArticleFactory.create_batch(2)

    editor_client.post(
        changelist_url("articles.article"),
        {
            "action": "withdraw",
            "_selected_action": [article.pk for article in articles],
            "apply": "yes",
            "text": "The outlet retracted the series.",
        },
    )

    for article in articles:
        article.refresh_from_db()
        assert (article.status, article.withdrawn_reason) == (
            WITHDRAWN,
            "The outlet retracted the series.",
        )


def test_submit_action_works_on_the_annotated_changelist(contributor_client):
    claim = ClaimFactory(status=DRAFT)
    QuoteFactory.create_batch(2, claim=claim)

    contributor_client.post(
        changelist_url("claims.claim"),
        {"action": "submit_for_review", "_selected_action": [claim.pk]},
    )

    assert status_of(claim) == IN_REVIEW


# The review queue


def submitted(label, *, days_ago, by, **fields):
    return make(
        label,
        status=IN_REVIEW,
        submitted_by=by,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        **fields,
    )


def test_review_queue_lists_articles_and_claims_in_review_oldest_first(editor_client):
    author = ContributorFactory(username="reporter")
    newest = submitted("claims.claim", days_ago=1, by=author)
    oldest = submitted("articles.article", days_ago=5, by=author)
    middle = submitted("claims.claim", days_ago=3, by=author)
    ClaimFactory(status=DRAFT)
    ArticleFactory(status=PUBLISHED)

    response = editor_client.get(REVIEW_QUEUE)

    assert [row["item"] for row in response.context["rows"]] == [oldest, middle, newest]


def test_review_queue_names_who_submitted_each_item(editor_client):
    submitted("articles.article", days_ago=1, by=ContributorFactory(username="reporter"))

    response = editor_client.get(REVIEW_QUEUE)

    assertContains(response, '<td class="review-queue__submitter">reporter</td>', html=True)


def test_review_queue_offers_editors_publish_and_return(editor_client):
    claim = submitted("claims.claim", days_ago=1, by=ContributorFactory())

    response = editor_client.get(REVIEW_QUEUE)

    [row] = response.context["rows"]
    assert [t.name for t, _ in row["transitions"]] == ["publish", "return_to_draft"]
    assertContains(response, f'action="{transition_url("claims.claim", claim, "publish")}"')


def test_review_queue_offers_contributors_no_button(contributor_client):
    submitted("claims.claim", days_ago=1, by=ContributorFactory())

    [row] = contributor_client.get(REVIEW_QUEUE).context["rows"]

    assert row["transitions"] == []


def test_publishing_from_the_queue_comes_back_to_the_queue(editor_client):
    claim = submitted("claims.claim", days_ago=1, by=ContributorFactory())

    response = editor_client.post(
        transition_url("claims.claim", claim, "publish"), {"next": REVIEW_QUEUE}
    )

    assert response["Location"] == REVIEW_QUEUE
    assert status_of(claim) == PUBLISHED


def test_review_queue_queries_do_not_grow_with_rows(editor_client):
    def fill(count):
        for days in range(count):
            submitted("claims.claim", days_ago=days, by=ContributorFactory())
            submitted("articles.article", days_ago=days, by=ContributorFactory())

    fill(2)
    editor_client.get(REVIEW_QUEUE)  # warm per-process caches
    at_two = count_queries(editor_client, REVIEW_QUEUE)
    fill(20)

    assert count_queries(editor_client, REVIEW_QUEUE) == at_two


def test_review_queue_is_empty_when_nothing_waits(editor_client):
    ClaimFactory(status=DRAFT)

    assertContains(editor_client.get(REVIEW_QUEUE), "Nothing is waiting for review.")


def test_review_queue_is_linked_from_the_admin_index(editor_client):
    assertContains(editor_client.get(reverse("admin:index")), f'href="{REVIEW_QUEUE}"')


def test_review_queue_needs_a_login(client):
    response = client.get(REVIEW_QUEUE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_another_editor_publishes_what_a_contributor_submitted():
    author, reviewer = ContributorFactory(), EditorFactory()
    claim = ClaimFactory(status=DRAFT)

    logged_in(author).post(transition_url("claims.claim", claim, "submit_for_review"))
    logged_in(reviewer).post(transition_url("claims.claim", claim, "publish"))

    claim.refresh_from_db()
    assert (claim.status, claim.submitted_by, claim.reviewed_by) == (PUBLISHED, author, reviewer)
