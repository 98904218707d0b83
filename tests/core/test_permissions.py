"""Who may change what: every write path asks core.workflow's one rule (edit_refusal), for
the record in its state. A contributor writes drafts and what is not yet public; what has
been submitted or is public is the editors'. Each refused case asserts nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from articles.imports.text import clean_page
from articles.models import Article
from articles.services import article_import, article_update_body
from claims.models import Claim, Quote
from claims.services import claim_create, quote_create, quote_repair
from core.models import PublicationStatus
from core.workflow import EditNotAllowed, edit_refusal
from experts.models import Affiliation, NameVariant
from experts.services import affiliation_save, name_variant_save
from tests.admin_helpers import form_data
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ExpertFactory,
    OrganizationFactory,
    OutletFactory,
    ProvisionFactory,
    QuoteFactory,
    TopicFactory,
    TreatyFactory,
)

pytestmark = pytest.mark.django_db

NOT_DRAFT = [
    PublicationStatus.IN_REVIEW,
    PublicationStatus.PUBLISHED,
    PublicationStatus.CORRECTED,
    PublicationStatus.WITHDRAWN,
]
QUOTED = "China has the leverage to stop it"
BODY = f"Putin and Kim signed a treaty.\n\n“{QUOTED},” said the expert."


@pytest.fixture
def editor_page(editor):
    """An editor's own browser, to read a change page as it would be posted back (the
    `editor_client` fixture shares its client with `contributor_client`)."""
    browser = Client()
    browser.force_login(editor)
    return browser


def public_expert():
    expert = ExpertFactory()
    ClaimFactory(speaker=expert)
    return expert


# --- the rule -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_rule_gives_the_contributor_the_sentence_naming_the_record_and_its_state(
    contributor, status
):
    article = ArticleFactory(title="The treaty", status=status)
    label = PublicationStatus(status).label.lower()

    assert edit_refusal(contributor, article) == (
        f"Needs an editor: article #{article.pk} “The treaty” is {label}."
    )


@pytest.mark.parametrize("status", [PublicationStatus.DRAFT, *NOT_DRAFT])
def test_rule_lets_editors_write_articles_and_claims_in_every_state(editor, status):
    assert edit_refusal(editor, ArticleFactory(status=status)) == ""
    assert edit_refusal(editor, ClaimFactory(status=status)) == ""


@pytest.mark.parametrize(
    "make", [OutletFactory, OrganizationFactory, TopicFactory, TreatyFactory, ProvisionFactory]
)
def test_contributor_may_not_change_records_on_file(contributor, make):
    record = make()

    assert "permission" in edit_refusal(contributor, record)


@pytest.mark.parametrize(
    "model_factory", [OutletFactory, OrganizationFactory, ExpertFactory], ids=lambda f: f.__name__
)
def test_contributor_may_add_the_outlets_organisations_and_experts_a_draft_needs(
    contributor, model_factory
):
    assert edit_refusal(contributor, model_factory.build()) == ""


@pytest.mark.parametrize("make", [TopicFactory, TreatyFactory])
def test_contributor_may_not_add_topics_or_treaties(contributor, make):
    assert "permission" in edit_refusal(contributor, make.build())


# --- article services -----------------------------------------------------------------------


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_contributor_body_update_of_a_submitted_or_public_article_is_refused(contributor, status):
    article = ArticleFactory(body=BODY, status=status)
    quote = QuoteFactory(article=article, text=QUOTED)

    with pytest.raises(EditNotAllowed, match=f"article #{article.pk}"):
        article_update_body(article=article, body="Rewritten.", user=contributor)

    article.refresh_from_db()
    quote.refresh_from_db()
    assert (article.body, quote.orphaned) == (BODY, False)


def test_contributor_body_update_of_a_draft_is_saved(contributor):
    article = ArticleFactory(status=PublicationStatus.DRAFT)

    article_update_body(article=article, body="Rewritten.", user=contributor)

    article.refresh_from_db()
    assert article.body == "Rewritten."


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_editor_body_update_of_any_article_is_saved(editor, status):
    article = ArticleFactory(status=status)

    article_update_body(article=article, body="Rewritten.", user=editor)

    article.refresh_from_db()
    assert article.body == "Rewritten."


@pytest.mark.parametrize(
    ("role", "allowed"), [("contributor", False), ("editor", True)], ids=["contributor", "editor"]
)
def test_article_import_service_as_published(request, role, allowed):
    user = request.getfixturevalue(role)
    page = clean_page("Treaty signed\n\nPutin and Kim signed a treaty.")
    arguments = {
        "page": page,
        "outlet": OutletFactory(),
        "language": "en",
        "published_on": "2024-06-20",
        "status": PublicationStatus.PUBLISHED,
        "user": user,
    }

    if allowed:
        article_import(**arguments)
    else:
        with pytest.raises(EditNotAllowed, match="a new article would be published"):
            article_import(**arguments)

    assert Article.objects.filter(status=PublicationStatus.PUBLISHED).exists() is allowed


# --- claim services -------------------------------------------------------------------------


def claim_arguments(status, user):
    return {
        "speaker": ExpertFactory(),
        "summary": "China can stop it.",
        "kind": Claim.Kind.ASSESSMENT,
        "made_on": "2024-06-20",
        "status": status,
        "user": user,
    }


def test_contributor_creates_a_draft_claim(contributor):
    claim_create(**claim_arguments(PublicationStatus.DRAFT, contributor))

    assert Claim.objects.get().status == PublicationStatus.DRAFT


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_contributor_may_not_create_a_claim_past_draft(contributor, status):
    with pytest.raises(EditNotAllowed):
        claim_create(**claim_arguments(status, contributor))

    assert not Claim.objects.exists()


def test_editor_creates_a_published_claim(editor):
    claim_create(**claim_arguments(PublicationStatus.PUBLISHED, editor))

    assert Claim.objects.get().status == PublicationStatus.PUBLISHED


@pytest.mark.parametrize("status", NOT_DRAFT)
def test_contributor_may_not_quote_for_a_submitted_or_public_claim(contributor, status):
    claim = ClaimFactory(status=status)
    article = ArticleFactory(body=BODY)

    with pytest.raises(EditNotAllowed, match=f"claim #{claim.pk}"):
        quote_create(claim=claim, article=article, text=QUOTED, user=contributor)

    assert not Quote.objects.exists()


def test_contributor_quotes_a_published_article_for_a_draft_claim(contributor):
    claim = ClaimFactory(status=PublicationStatus.DRAFT)

    quote_create(claim=claim, article=ArticleFactory(body=BODY), text=QUOTED, user=contributor)

    assert claim.quotes.get().text == QUOTED


@pytest.mark.parametrize(
    ("role", "status", "allowed"),
    [
        ("contributor", PublicationStatus.PUBLISHED, False),
        ("contributor", PublicationStatus.DRAFT, True),
        ("editor", PublicationStatus.PUBLISHED, True),
    ],
)
def test_quote_repair_follows_the_rule_for_the_quotes_claim(request, role, status, allowed):
    user = request.getfixturevalue(role)
    article = ArticleFactory(body=BODY)
    quote = QuoteFactory(article=article, claim=ClaimFactory(status=status), text=QUOTED)
    repaired = "Putin and Kim signed a treaty"

    if allowed:
        quote_repair(quote=quote, text=repaired, user=user)
    else:
        with pytest.raises(EditNotAllowed):
            quote_repair(quote=quote, text=repaired, user=user)

    quote.refresh_from_db()
    assert (quote.text == repaired) is allowed


# --- an expert's name variants and affiliations ---------------------------------------------


def new_variant(expert):
    return NameVariant(expert=expert, name="Олександр Мусієнко")


def new_affiliation(expert):
    return Affiliation(expert=expert, organization=OrganizationFactory(), role_title="Director")


PARTS = [
    (name_variant_save, "variant", new_variant, NameVariant),
    (affiliation_save, "affiliation", new_affiliation, Affiliation),
]


@pytest.mark.parametrize(("service", "keyword", "make", "model"), PARTS)
def test_contributor_may_not_add_to_a_public_expert(contributor, service, keyword, make, model):
    expert = public_expert()

    with pytest.raises(EditNotAllowed, match=f"expert #{expert.pk} .* is public"):
        service(**{keyword: make(expert)}, user=contributor)

    assert not model.objects.exists()


@pytest.mark.parametrize(("service", "keyword", "make", "model"), PARTS)
def test_contributor_adds_to_an_expert_who_is_not_public(
    contributor, service, keyword, make, model
):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, status=PublicationStatus.IN_REVIEW)

    service(**{keyword: make(expert)}, user=contributor)

    assert model.objects.filter(expert=expert).count() == 1


@pytest.mark.parametrize(("service", "keyword", "make", "model"), PARTS)
def test_editor_adds_to_a_public_expert(editor, service, keyword, make, model):
    expert = public_expert()

    service(**{keyword: make(expert)}, user=editor)

    assert model.objects.filter(expert=expert).count() == 1


def test_contributor_may_not_change_an_affiliation_even_of_a_hidden_expert(contributor):
    affiliation = AffiliationFactory(role_title="Head")
    affiliation.role_title = "Deputy"

    with pytest.raises(EditNotAllowed, match="experts.change_affiliation"):
        affiliation_save(affiliation=affiliation, user=contributor)

    affiliation.refresh_from_db()
    assert affiliation.role_title == "Head"


# --- the admin: forms, inlines and actions --------------------------------------------------


def affiliation_post(expert, organization):
    return {
        "expert": expert.pk,
        "organization": organization.pk,
        "role_title": "Director",
        "start_date": "2024-01-01",
        "end_date": "",
    }


def test_admin_refuses_a_contributors_affiliation_for_a_public_expert_keeping_the_form(
    contributor_client,
):
    expert = public_expert()
    organization = OrganizationFactory()

    response = contributor_client.post(
        reverse("admin:experts_affiliation_add"), affiliation_post(expert, organization)
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [
        f"Needs an editor: expert #{expert.pk} “{expert}” is public (has a published claim)."
    ]
    assert form["role_title"].value() == "Director"
    assert not Affiliation.objects.exists()


@pytest.mark.parametrize(
    ("role", "public"),
    [("contributor", False), ("editor", True), ("editor", False)],
    ids=["contributor-hidden-expert", "editor-public-expert", "editor-hidden-expert"],
)
def test_admin_saves_an_allowed_affiliation(request, role, public):
    client = request.getfixturevalue(f"{role}_client")
    expert = public_expert() if public else ExpertFactory()

    response = client.post(
        reverse("admin:experts_affiliation_add"),
        affiliation_post(expert, OrganizationFactory()),
    )

    assert response.status_code == 302
    assert Affiliation.objects.get().expert == expert


def test_admin_expert_page_refuses_a_contributors_name_variant_on_a_public_expert(
    contributor_client, editor_page
):
    expert = public_expert()
    url = reverse("admin:experts_expert_change", args=[expert.pk])
    data = form_data(editor_page.get(url)) | {
        "name_variants-TOTAL_FORMS": "1",
        "name_variants-0-name": "Another Spelling",
    }

    response = contributor_client.post(url, data)

    assert response.status_code == 403
    assert not NameVariant.objects.exists()


def test_admin_add_page_takes_a_contributors_new_expert_with_variants_and_roles(
    contributor_client,
):
    organization = OrganizationFactory()
    url = reverse("admin:experts_expert_add")
    data = form_data(contributor_client.get(url)) | {
        "display_name": "Quite New Person",
        "slug": "quite-new-person",
        "name_variants-TOTAL_FORMS": "1",
        "name_variants-0-name": "Another Spelling",
        "affiliations-TOTAL_FORMS": "1",
        "affiliations-0-organization": organization.pk,
        "affiliations-0-role_title": "Fellow",
    }

    response = contributor_client.post(url, data)

    assert response.status_code == 302
    expert = NameVariant.objects.get().expert
    assert (expert.display_name, expert.affiliations.get().role_title) == (
        "Quite New Person",
        "Fellow",
    )


@pytest.mark.parametrize("status", NOT_DRAFT)
@pytest.mark.parametrize("label", ["articles.article", "claims.claim"])
def test_admin_change_page_refuses_a_contributors_edit_past_draft(
    contributor_client, editor_page, status, label
):
    record = (ArticleFactory if label == "articles.article" else ClaimFactory)(status=status)
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_change", args=[record.pk])
    field = "title" if model == "article" else "summary"
    data = form_data(editor_page.get(url)) | {field: "Rewritten by a contributor"}
    before = getattr(record, field)

    response = contributor_client.post(url, data)

    assert response.status_code == 403
    record.refresh_from_db()
    assert getattr(record, field) == before


@pytest.mark.parametrize("label", ["articles.article", "claims.claim"])
def test_admin_change_page_saves_a_contributors_edit_of_a_draft(
    contributor_client, editor_page, label
):
    record = (ArticleFactory if label == "articles.article" else ClaimFactory)(
        status=PublicationStatus.DRAFT
    )
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_change", args=[record.pk])
    field = "title" if model == "article" else "summary"
    data = form_data(editor_page.get(url)) | {field: "Rewritten by a contributor"}

    response = contributor_client.post(url, data)

    assert response.status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Rewritten by a contributor"


@pytest.mark.parametrize("label", ["articles.outlet", "experts.organization", "claims.topic"])
def test_admin_change_page_refuses_contributors_on_records_on_file(
    contributor_client, editor_page, label
):
    make = {
        "articles.outlet": OutletFactory,
        "experts.organization": OrganizationFactory,
        "claims.topic": TopicFactory,
    }[label]
    record = make()
    app, model = label.split(".")
    url = reverse(f"admin:{app}_{model}_change", args=[record.pk])
    field = "title" if model == "topic" else "name"
    data = form_data(editor_page.get(url)) | {field: "Renamed by a contributor"}
    before = getattr(record, field)

    response = contributor_client.post(url, data)

    assert response.status_code == 403
    record.refresh_from_db()
    assert getattr(record, field) == before


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("publish", PublicationStatus.IN_REVIEW),
        ("withdraw", PublicationStatus.PUBLISHED),
        ("return_to_draft", PublicationStatus.IN_REVIEW),
    ],
)
def test_admin_actions_past_submitting_are_refused_to_contributors(
    contributor_client, action, status
):
    article = ArticleFactory(status=status)

    contributor_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": action, "_selected_action": [article.pk], "apply": "1", "text": "Because"},
    )

    article.refresh_from_db()
    assert article.status == status


def test_service_check_is_a_permission_error_for_callers_that_do_not_catch_it(contributor):
    article = ArticleFactory(status=PublicationStatus.PUBLISHED)

    with pytest.raises(PermissionDenied):
        article_update_body(article=article, body="Rewritten.", user=contributor)
