import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from experts.models import Affiliation, Expert, NameVariant, Organization
from tests.admin_helpers import (
    assert_queries_do_not_grow,
    changelist_url,
    form_data,
    listed,
)
from tests.factories import (
    AffiliationFactory,
    ClaimFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    UserFactory,
)


def make_experts(count):
    for _ in range(count):
        expert = ExpertFactory()
        NameVariantFactory(expert=expert)
        AffiliationFactory(expert=expert)
        ClaimFactory(speaker=expert)


@pytest.fixture
def expert(db):
    expert = ExpertFactory(display_name="Andrei Lankov", country="KR")
    NameVariantFactory(expert=expert, name="Андрей Ланьков")
    return expert


@pytest.fixture
def affiliation(expert):
    return AffiliationFactory(
        expert=expert, organization=OrganizationFactory(name="Kookmin University")
    )


@pytest.mark.parametrize("model", ["expert", "organization", "affiliation"])
def test_editor_opens_changelist(editor_client, affiliation, model):
    assert editor_client.get(changelist_url(f"experts.{model}")).status_code == 200


@pytest.mark.parametrize("model", ["expert", "organization", "affiliation"])
def test_editor_opens_add_page(editor_client, model):
    assert editor_client.get(reverse(f"admin:experts_{model}_add")).status_code == 200


@pytest.mark.parametrize(
    "model, pick",
    [
        ("expert", lambda a: a.expert),
        ("organization", lambda a: a.organization),
        ("affiliation", lambda a: a),
    ],
)
def test_editor_opens_change_page(editor_client, affiliation, model, pick):
    url = reverse(f"admin:experts_{model}_change", args=[pick(affiliation).pk])

    assert editor_client.get(url).status_code == 200


def test_staff_without_permissions_is_refused_the_expert_changelist(client, db):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(changelist_url("experts.expert")).status_code == 403


def test_expert_search_matches_display_name(editor_client, expert):
    ExpertFactory(display_name="Fyodor Tertitskiy")

    assert listed(editor_client, "experts.expert", q="Lankov") == {expert}


def test_expert_search_matches_name_variant(editor_client, expert):
    ExpertFactory(display_name="Fyodor Tertitskiy")

    assert listed(editor_client, "experts.expert", q="Ланьков") == {expert}


def test_expert_filter_by_country(editor_client, expert):
    ukrainian = ExpertFactory(country="UA")

    assert listed(editor_client, "experts.expert", country="UA") == {ukrainian}


def test_expert_changelist_shows_variants_and_claim_count(editor_client, expert):
    ClaimFactory.create_batch(2, speaker=expert)

    response = editor_client.get(changelist_url("experts.expert"))

    (row,) = response.context["cl"].result_list
    assert row.claim_count == 2
    assertContains(response, "Андрей Ланьков")


def test_expert_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(editor_client, "experts.expert", make_experts)


def test_expert_page_adds_a_name_variant(editor_client, expert):
    url = reverse("admin:experts_expert_change", args=[expert.pk])
    data = form_data(editor_client.get(url))
    data |= {"name_variants-TOTAL_FORMS": "2", "name_variants-1-name": "Andrey Lankov"}

    response = editor_client.post(url, data)

    assert response.status_code == 302
    assert set(expert.name_variants.values_list("name", flat=True)) == {
        "Андрей Ланьков",
        "Andrey Lankov",
    }


def test_expert_with_claims_cannot_be_deleted(editor_client, affiliation):
    expert = affiliation.expert
    ClaimFactory(speaker=expert)

    editor_client.post(reverse("admin:experts_expert_delete", args=[expert.pk]), {"post": "yes"})

    assert Expert.objects.filter(pk=expert.pk).exists()


def test_expert_delete_page_lists_protecting_claims(editor_client, affiliation):
    expert = affiliation.expert
    claim = ClaimFactory(speaker=expert)

    response = editor_client.get(reverse("admin:experts_expert_delete", args=[expert.pk]))

    assert not response.context["perms_lacking"]
    assertContains(response, "would require deleting the following protected related objects")
    assertContains(response, claim.summary)


def test_expert_without_claims_is_deleted_with_variants_and_affiliations(
    editor_client, affiliation
):
    expert = affiliation.expert

    editor_client.post(reverse("admin:experts_expert_delete", args=[expert.pk]), {"post": "yes"})

    assert not Expert.objects.filter(pk=expert.pk).exists()
    assert not NameVariant.objects.exists()
    assert not Affiliation.objects.exists()


def test_organization_search_matches_name(editor_client, affiliation):
    OrganizationFactory(name="Carnegie Endowment")

    assert listed(editor_client, "experts.organization", q="Kookmin") == {affiliation.organization}


def test_organization_filter_by_kind(editor_client, affiliation):
    media = OrganizationFactory(kind=Organization.Kind.MEDIA)

    assert listed(editor_client, "experts.organization", kind__exact="media") == {media}


def test_organization_filter_by_country(editor_client, affiliation):
    german = OrganizationFactory(country="DE")

    assert listed(editor_client, "experts.organization", country="DE") == {german}


def test_organization_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(
        editor_client, "experts.organization", lambda n: AffiliationFactory.create_batch(n)
    )


def test_affiliation_search_matches_expert_name(editor_client, affiliation):
    AffiliationFactory()

    assert listed(editor_client, "experts.affiliation", q="Lankov") == {affiliation}


def test_affiliation_filter_by_organization(editor_client, affiliation):
    AffiliationFactory()

    params = {"organization__id__exact": affiliation.organization_id}
    assert listed(editor_client, "experts.affiliation", **params) == {affiliation}


def test_affiliation_filter_by_organization_kind(editor_client, affiliation):
    media = AffiliationFactory(organization=OrganizationFactory(kind=Organization.Kind.MEDIA))

    assert listed(editor_client, "experts.affiliation", organization__kind__exact="media") == {
        media
    }


def test_affiliation_changelist_queries_do_not_grow_with_rows(editor_client):
    assert_queries_do_not_grow(
        editor_client, "experts.affiliation", lambda n: AffiliationFactory.create_batch(n)
    )
