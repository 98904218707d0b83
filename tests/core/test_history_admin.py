"""The admin's history pages: who changed what, field by field, and reverting to a version."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from core.history import revertable_fields
from core.services import save_stamped
from tests.admin_helpers import form_data
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimProvisionFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def admin_url(obj, view, *args):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk, *args])


def version_url(obj, version):
    return admin_url(obj, "simple_history", version.history_id)


def save_in_admin(client, obj, **changes):
    """POST the change page back with `changes` (form field names, inline rows included)."""
    url = admin_url(obj, "change")
    data = form_data(client.get(url))
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    return response


def history_page_queries(client, obj):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(admin_url(obj, "history")).status_code == 200
    return len(captured)


def last_message(response):
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


# (factory, form field, new value): every model with its own admin page.
ADMIN_EDITS = [
    (OutletFactory, "name", "Kyiv Independent"),
    (ArticleFactory, "title", "A new headline"),
    (ExpertFactory, "bio", "Studies the Korean peninsula."),
    (OrganizationFactory, "name", "Centre for Military and Legal Studies"),
    (AffiliationFactory, "role_title", "Director"),
    (ClaimFactory, "summary", "Beijing will tolerate the pact."),
    (QuoteFactory, "text", "Nobody knows what comes next."),
    (TopicFactory, "title", "China and the pact"),
    (TreatyFactory, "title", "Treaty on Comprehensive Strategic Partnership"),
    (ProvisionFactory, "heading", "Military assistance"),
]


@pytest.mark.parametrize(
    "factory, field, value", ADMIN_EDITS, ids=[e[0]._meta.model.__name__ for e in ADMIN_EDITS]
)
def test_an_admin_edit_is_recorded_with_the_editor(editor_client, editor, factory, field, value):
    obj = factory()

    save_in_admin(editor_client, obj, **{field: value})

    latest = obj.history.latest()
    assert (latest.history_type, latest.history_user, getattr(latest, field)) == (
        "~",
        editor,
        value,
    )


def test_an_inline_topic_link_edit_is_recorded_with_the_editor(editor_client, editor):
    link = ClaimTopicFactory(stance="no")

    save_in_admin(editor_client, link.claim, **{"topic_links-0-stance": "yes"})

    latest = link.history.latest()
    assert (latest.history_user, latest.stance) == (editor, "yes")


def test_an_inline_provision_link_edit_is_recorded_with_the_editor(editor_client, editor):
    link = ClaimProvisionFactory()

    save_in_admin(editor_client, link.claim, **{"provision_links-0-note": "Cites paragraph 2."})

    latest = link.history.latest()
    assert (latest.history_user, latest.note) == (editor, "Cites paragraph 2.")


def test_an_inline_quote_edit_is_recorded_with_the_editor(editor_client, editor):
    quote = QuoteFactory()

    save_in_admin(editor_client, quote.claim, **{"quotes-0-text": "Nobody knows what comes next."})

    latest = quote.history.latest()
    assert (latest.history_user, latest.text) == (editor, "Nobody knows what comes next.")


def test_an_inline_name_variant_edit_is_recorded_with_the_editor(editor_client, editor):
    variant = NameVariantFactory(name="Oleksandr Musienko")

    save_in_admin(editor_client, variant.expert, **{"name_variants-0-name": "Олександр Мусієнко"})

    latest = variant.history.latest()
    assert (latest.history_user, latest.name) == (editor, "Олександр Мусієнко")


def test_an_inline_affiliation_edit_is_recorded_with_the_editor(editor_client, editor):
    affiliation = AffiliationFactory(role_title="Analyst")

    save_in_admin(editor_client, affiliation.expert, **{"affiliations-0-role_title": "Director"})

    latest = affiliation.history.latest()
    assert (latest.history_user, latest.role_title) == (editor, "Director")


def test_an_inline_provision_edit_is_recorded_with_the_editor(editor_client, editor):
    provision = ProvisionFactory(heading="Assistance")

    save_in_admin(editor_client, provision.treaty, **{"provisions-0-heading": "Military aid"})

    latest = provision.history.latest()
    assert (latest.history_user, latest.heading) == (editor, "Military aid")


def test_deleting_an_inline_row_is_recorded_with_the_editor(editor_client, editor):
    variant = NameVariantFactory()

    save_in_admin(editor_client, variant.expert, **{"name_variants-0-DELETE": "on"})

    deleted = variant.history.model.objects.filter(id=variant.pk).latest()
    assert (deleted.history_type, deleted.history_user) == ("-", editor)


def test_adding_an_inline_row_is_recorded_with_the_editor(editor_client, editor):
    expert = ExpertFactory()

    save_in_admin(
        editor_client,
        expert,
        **{"name_variants-TOTAL_FORMS": "1", "name_variants-0-name": "Aleksandr Musienko"},
    )

    added = expert.name_variants.get().history.get()
    assert (added.history_type, added.history_user) == ("+", editor)


# The history page


def test_the_history_page_lists_each_version_with_its_user(editor_client, editor):
    expert = ExpertFactory()
    save_in_admin(editor_client, expert, bio="Studies the Korean peninsula.")

    response = editor_client.get(admin_url(expert, "history"))

    assertContains(response, "2 versions")
    assertContains(response, f"<td>{editor.username}</td>", html=True)


def test_the_history_page_shows_a_change_by_field_label_and_choice_label(editor_client):
    claim = ClaimFactory(kind="assessment")
    save_in_admin(editor_client, claim, kind="recommendation")

    response = editor_client.get(admin_url(claim, "history"))

    assertContains(response, "<strong>Kind:</strong>", html=True)
    assertContains(response, '<del class="history-old">Assessment</del>', html=True)
    assertContains(response, '<ins class="history-new">Recommendation</ins>', html=True)


def test_the_history_page_shows_a_link_as_the_linked_record(editor_client):
    claim = ClaimFactory(speaker=ExpertFactory(display_name="Andrei Lankov"))
    save_in_admin(editor_client, claim, speaker=ExpertFactory(display_name="Fyodor Tertitskiy").pk)

    response = editor_client.get(admin_url(claim, "history"))

    assertContains(response, '<del class="history-old">Andrei Lankov</del>', html=True)


def test_the_history_page_shows_only_the_changed_words_of_a_long_text(editor_client):
    article = ArticleFactory()
    save_in_admin(editor_client, article, body=article.body.replace("Nobody", "No one"))

    response = editor_client.get(admin_url(article, "history"))

    assertContains(response, "<del>Nobody</del><ins>No one</ins> knows what comes next.")
    assertNotContains(response, "Putin and Kim signed a treaty.")


def test_the_history_page_escapes_the_recorded_text(editor_client):
    expert = ExpertFactory(bio="Plain bio.")
    save_in_admin(editor_client, expert, bio="<script>alert(1)</script>")

    response = editor_client.get(admin_url(expert, "history"))

    assertNotContains(response, "<script>alert(1)</script>")
    assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")


def test_the_history_page_lists_the_changes_of_inline_rows(editor_client):
    quote = QuoteFactory()
    save_in_admin(editor_client, quote.claim, **{"quotes-0-text": "Nobody knows what comes next."})

    response = editor_client.get(admin_url(quote.claim, "history"))

    assertContains(response, "Changes to its quotes")
    assertContains(
        response, '<del class="history-old">China has the leverage to stop it</del>', html=True
    )
    assertContains(response, f'href="{admin_url(quote, "history")}"')


def test_the_history_page_lists_rows_without_an_admin_unlinked(editor_client):
    link = ClaimTopicFactory(topic=TopicFactory(title="Sanctions"), stance="no")
    save_in_admin(editor_client, link.claim, **{"topic_links-0-stance": "yes"})

    response = editor_client.get(admin_url(link.claim, "history"))

    assertContains(response, "Changes to its claim topics")
    assertContains(response, "<td>Sanctions: Yes</td>", html=True)


def test_the_history_page_runs_as_many_queries_for_many_versions(editor_client, editor):
    claim = ClaimFactory()

    def edit(times):
        for n in range(times):
            claim.summary = f"Summary number {claim.history.count()}-{n}."
            save_stamped(claim, user=editor)

    edit(3)
    history_page_queries(editor_client, claim)  # warm per-process caches
    few = history_page_queries(editor_client, claim)
    edit(20)

    assert history_page_queries(editor_client, claim) == few


def test_the_history_page_runs_as_many_queries_for_many_inline_changes(editor_client, editor):
    claim = ClaimFactory()

    def link(times):
        for _ in range(times):
            topic_link = ClaimTopicFactory(claim=claim, stance="no")
            topic_link.stance = "yes"
            save_stamped(topic_link, user=editor)

    link(2)
    history_page_queries(editor_client, claim)  # warm per-process caches
    few = history_page_queries(editor_client, claim)
    link(10)

    assert history_page_queries(editor_client, claim) == few


# A version and reverting to it


@pytest.fixture
def expert_with_old_bio(editor_client):
    expert = ExpertFactory(bio="Studies the region.")
    old = expert.history.get()
    save_in_admin(editor_client, expert, bio="Studies the Korean peninsula.")
    return expert, old


def test_a_version_page_shows_what_a_revert_would_change(editor_client, expert_with_old_bio):
    expert, old = expert_with_old_bio

    response = editor_client.get(version_url(expert, old))

    assertContains(response, "A revert to this version changes")
    assertContains(response, '<ins class="history-new">Studies the region.</ins>', html=True)
    assertContains(response, "Revert to this version")


def test_a_revert_restores_the_values_of_the_version(editor_client, expert_with_old_bio):
    expert, old = expert_with_old_bio

    editor_client.post(version_url(expert, old))

    expert.refresh_from_db()
    assert expert.bio == "Studies the region."


def test_a_revert_is_recorded_as_a_new_version_with_the_user_and_reason(
    editor_client, editor, expert_with_old_bio
):
    expert, old = expert_with_old_bio

    editor_client.post(version_url(expert, old))

    latest = expert.history.latest()
    assert (expert.history.count(), latest.history_user) == (3, editor)
    assert latest.history_change_reason.startswith("Reverted to version of ")
    assert latest.history_change_reason.endswith(f" by {editor.username}")


def test_a_revert_stamps_the_record_with_the_user(editor_client, editor, expert_with_old_bio):
    expert, old = expert_with_old_bio
    type(expert).objects.filter(pk=expert.pk).update(updated_by=None)

    editor_client.post(version_url(expert, old))

    expert.refresh_from_db()
    assert expert.updated_by == editor


def test_a_revert_says_so_and_returns_to_the_history(editor_client, expert_with_old_bio):
    expert, old = expert_with_old_bio

    response = editor_client.post(version_url(expert, old))

    assert response.url == admin_url(expert, "history")
    assert last_message(response).startswith("Reverted to version of ")


def test_a_revert_restores_the_article_topics(editor_client):
    sanctions = TopicFactory(title="Sanctions")
    article = ArticleFactory(topics=[sanctions])
    old = article.history.latest()
    save_in_admin(editor_client, article, topics=[TopicFactory().pk])

    editor_client.post(version_url(article, old))

    assert list(article.topics.all()) == [sanctions]


def test_a_revert_never_changes_the_publication_status(editor_client):
    claim = ClaimFactory(summary="Old summary.")
    old = claim.history.get()
    status = claim.status
    claim.summary = "New summary."
    claim.save()

    editor_client.post(version_url(claim, old))

    claim.refresh_from_db()
    assert (claim.summary, claim.status) == ("Old summary.", status)
    assert "status" not in revertable_fields(type(claim))


def test_a_revert_to_a_version_equal_to_the_record_changes_nothing(
    editor_client, expert_with_old_bio
):
    expert, _ = expert_with_old_bio
    latest = expert.history.latest()

    response = editor_client.post(version_url(expert, latest))

    assert expert.history.count() == 2
    assert last_message(response) == "This version matches the record as it is; nothing changed."


def test_a_revert_that_breaks_validation_is_refused_with_a_message(editor_client):
    expert = ExpertFactory(slug="musiienko")
    old = expert.history.get()
    save_in_admin(editor_client, expert, slug="o-musiienko")
    ExpertFactory(slug="musiienko")

    response = editor_client.post(version_url(expert, old))

    assert response.url == version_url(expert, old)
    assert "Expert with this Slug already exists." in last_message(response)


def test_a_revert_that_breaks_validation_changes_nothing(editor_client):
    expert = ExpertFactory(slug="musiienko", bio="Old bio.")
    old = expert.history.get()
    save_in_admin(editor_client, expert, slug="o-musiienko", bio="New bio.")
    ExpertFactory(slug="musiienko")

    editor_client.post(version_url(expert, old))

    expert.refresh_from_db()
    assert (expert.slug, expert.bio, expert.history.count()) == ("o-musiienko", "New bio.", 2)


@pytest.fixture
def quote_moved_to_other_text(editor_client):
    """A quote whose first text was later changed; returns it and its first version."""
    quote = QuoteFactory(text="China has the leverage to stop it")
    old = quote.history.get()
    save_in_admin(editor_client, quote, text="Nobody knows what comes next.")
    return quote, old


def test_a_quote_revert_anchors_the_old_text_again(editor_client, quote_moved_to_other_text):
    quote, old = quote_moved_to_other_text

    editor_client.post(version_url(quote, old))

    quote.refresh_from_db()
    assert (quote.text, quote.start, quote.end) == (old.text, old.start, old.end)


def test_a_quote_revert_is_refused_when_its_text_left_the_body(
    editor_client, quote_moved_to_other_text
):
    quote, old = quote_moved_to_other_text
    article = quote.article
    save_in_admin(
        editor_client,
        article,
        body=article.body.replace("China has", "Korea has"),
    )

    response = editor_client.post(version_url(quote, old))

    quote.refresh_from_db()
    assert quote.text == "Nobody knows what comes next."
    assert last_message(response).startswith("The revert was refused and nothing changed")


def test_an_orphaned_quote_is_not_reverted_to_text_the_body_lost(editor_client):
    quote = QuoteFactory(text="China has the leverage to stop it")
    old = quote.history.get()
    article = quote.article
    save_in_admin(editor_client, article, body=article.body.replace(quote.text, "Beijing may act"))
    versions = quote.history.count()

    response = editor_client.post(version_url(quote, old))

    assert last_message(response).startswith("The revert was refused and nothing changed")
    assert quote.history.count() == versions


def test_a_quote_revert_restores_the_occurrence_it_had(editor_client):
    article = ArticleFactory(body="Talks resumed.\n\nTalks resumed, officials said.")
    quote = QuoteFactory(article=article, text="Talks resumed")
    save_in_admin(editor_client, quote, occurrence="2")
    at_second = quote.history.latest()
    save_in_admin(editor_client, quote, occurrence="1")

    editor_client.post(version_url(quote, at_second))

    quote.refresh_from_db()
    assert (quote.start, quote.end) == (16, 29)


# Who may revert


@pytest.fixture
def viewer_client(db):
    """A staff user who may view experts and their history, not change them."""
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_expert", content_type__app_label="experts")
    )
    client = Client()
    client.force_login(viewer)
    return client


def test_a_user_without_change_permission_may_read_a_version(viewer_client, expert_with_old_bio):
    expert, old = expert_with_old_bio

    response = viewer_client.get(version_url(expert, old))

    assertContains(response, "Differences from the record as it is now")
    assertContains(response, '<ins class="history-new">Studies the region.</ins>', html=True)
    assertNotContains(response, "Revert to this version")


def test_a_user_without_change_permission_cannot_revert(viewer_client, expert_with_old_bio):
    expert, old = expert_with_old_bio

    response = viewer_client.post(version_url(expert, old))

    expert.refresh_from_db()
    assert (response.status_code, expert.bio) == (403, "Studies the Korean peninsula.")


def test_a_revert_without_the_csrf_token_is_refused(editor, expert_with_old_bio):
    expert, old = expert_with_old_bio
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)

    response = client.post(version_url(expert, old))

    assert response.status_code == 403


def test_a_deleted_record_keeps_its_versions_readable(editor_client, expert_with_old_bio):
    expert, old = expert_with_old_bio
    expert.delete()

    response = editor_client.get(version_url(old.instance, old))

    assertContains(response, "This record has been deleted")
    assertNotContains(response, "Revert to this version")


def test_a_deleted_record_cannot_be_reverted_here(editor_client, expert_with_old_bio):
    expert, old = expert_with_old_bio
    expert.delete()

    response = editor_client.post(version_url(old.instance, old))

    assert response.status_code == 403


def test_a_version_id_that_is_not_a_number_is_not_found(editor_client):
    expert = ExpertFactory()

    response = editor_client.get(admin_url(expert, "simple_history", "latest"))

    assert response.status_code == 404
