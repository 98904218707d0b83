"""/api/v1/experts/ and /api/v1/organizations/."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.db.models import Max
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.api.experts import ExpertViewSet, OrganizationViewSet
from core.models import PublicationStatus
from experts.models import Expert, Organization
from tests.factories import (
    AffiliationFactory,
    ArticleFactory,
    ClaimFactory,
    ClaimTopicFactory,
    ExpertFactory,
    NameVariantFactory,
    OrganizationFactory,
    QuoteFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db

EXPERTS = reverse("api:expert-list")
ORGANIZATIONS = reverse("api:organization-list")


def expert_url(expert):
    return reverse("api:expert-detail", kwargs={"pk": expert.pk})


def organization_url(organization):
    return reverse("api:organization-detail", kwargs={"pk": organization.pk})


def slugs(response):
    assert response.status_code == 200, response.content
    return [row["slug"] for row in response.json()["results"]]


def errors(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


def not_found(response):
    """The `errors` of a 404 for a filter value that names nothing."""
    assert response.status_code == 404, response.content
    return response.json()["errors"]


def query_count(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries)


def public_expert(**fields):
    """An expert with one published claim, so with a public profile."""
    expert = ExpertFactory(**fields)
    ClaimFactory(speaker=expert)
    return expert


def only_row(client, url=EXPERTS):
    [row] = client.get(url).json()["results"]
    return row


# /api/v1/experts/: content


def test_expert_list_item_has_the_profile_fields(client):
    public_expert()
    assert set(only_row(client)) == {
        "id",
        "slug",
        "url",
        "html_url",
        "display_name",
        "name_variants",
        "bio",
        "country",
        "wikidata_id",
        "wikidata_url",
        "current_role",
        "affiliations",
        "claim_count",
        "first_quoted",
        "last_quoted",
        "claims_url",
    }


def test_expert_list_item_shows_the_expert(client):
    expert = public_expert(
        display_name="Oleksandr Musienko",
        slug="oleksandr-musienko",
        bio="Military and legal analyst.",
        country="UA",
        wikidata_id="Q12345",
    )
    row = only_row(client)
    assert row["id"] == expert.pk
    assert row["slug"] == "oleksandr-musienko"
    assert row["display_name"] == "Oleksandr Musienko"
    assert row["bio"] == "Military and legal analyst."
    assert row["country"] == "UA"
    assert row["wikidata_id"] == "Q12345"
    assert row["wikidata_url"] == "https://www.wikidata.org/wiki/Q12345"


def test_expert_without_a_wikidata_id_has_no_wikidata_url(client):
    public_expert(wikidata_id="")
    assert only_row(client)["wikidata_url"] is None


def test_expert_links_their_api_detail_public_page_and_claims(client):
    expert = public_expert(slug="musienko")
    row = only_row(client)
    assert row["url"] == f"http://testserver{expert_url(expert)}"
    assert row["html_url"] == f"http://testserver{expert.get_absolute_url()}"
    assert row["claims_url"] == "http://testserver/api/v1/claims/?expert=musienko"


def test_expert_lists_name_variants_as_strings(client):
    expert = public_expert()
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    NameVariantFactory(expert=expert, name="Олександр Мусієнко")
    assert only_row(client)["name_variants"] == ["Alexander Musienko", "Олександр Мусієнко"]


def test_current_role_is_the_affiliation_held_now(client):
    expert = public_expert()
    organization = OrganizationFactory(slug="cmlr", name="Center for Military Legal Research")
    AffiliationFactory(
        expert=expert,
        role_title="Analyst",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 1, 1),
    )
    AffiliationFactory(expert=expert, organization=organization, role_title="Head")
    assert only_row(client)["current_role"] == {
        "title": "Head",
        "organization": {
            "slug": "cmlr",
            "name": "Center for Military Legal Research",
            "url": f"http://testserver{organization_url(organization)}",
        },
    }


def test_expert_whose_roles_have_all_ended_has_no_current_role(client):
    expert = public_expert()
    AffiliationFactory(expert=expert, end_date=datetime.date(2021, 1, 1))  # started 2020
    assert only_row(client)["current_role"] is None


def test_affiliations_list_roles_current_first(client):
    expert = public_expert()
    organization = OrganizationFactory(slug="cmlr", name="CMLR")
    AffiliationFactory(
        expert=expert,
        organization=organization,
        role_title="Analyst",
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2015, 6, 30),
    )
    AffiliationFactory(expert=expert, role_title="Head", start_date=datetime.date(2016, 1, 1))
    affiliations = only_row(client)["affiliations"]
    assert [a["role_title"] for a in affiliations] == ["Head", "Analyst"]
    assert affiliations[1] == {
        "role_title": "Analyst",
        "organization": {
            "slug": "cmlr",
            "name": "CMLR",
            "url": f"http://testserver{organization_url(organization)}",
        },
        "start_date": "2010-01-01",
        "end_date": "2015-06-30",
    }


def test_claim_count_counts_published_claims_only(client):
    expert = public_expert()
    ClaimFactory(speaker=expert)
    ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT)
    assert only_row(client)["claim_count"] == 2


def test_first_and_last_quoted_are_the_dates_of_the_articles_quoting_the_expert(client):
    expert = public_expert()
    for day in (datetime.date(2023, 9, 1), datetime.date(2024, 6, 20), datetime.date(2024, 1, 5)):
        QuoteFactory(claim=ClaimFactory(speaker=expert), article=ArticleFactory(published_on=day))
    row = only_row(client)
    assert (row["first_quoted"], row["last_quoted"]) == ("2023-09-01", "2024-06-20")


def test_quoted_dates_ignore_unpublished_articles_and_claims(client):
    expert = public_expert()
    QuoteFactory(
        claim=ClaimFactory(speaker=expert),
        article=ArticleFactory(published_on=datetime.date(2024, 1, 1)),
    )
    QuoteFactory(
        claim=ClaimFactory(speaker=expert),
        article=ArticleFactory(
            published_on=datetime.date(2020, 1, 1), status=PublicationStatus.DRAFT
        ),
    )
    QuoteFactory(
        claim=ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT),
        article=ArticleFactory(published_on=datetime.date(2025, 1, 1)),
    )
    row = only_row(client)
    assert (row["first_quoted"], row["last_quoted"]) == ("2024-01-01", "2024-01-01")


def test_expert_never_quoted_has_no_quoted_dates(client):
    public_expert()
    row = only_row(client)
    assert (row["first_quoted"], row["last_quoted"]) == (None, None)


def test_expert_detail_shows_the_expert(client):
    expert = public_expert(slug="musienko")
    response = client.get(expert_url(expert))
    assert response.status_code == 200
    assert response.json()["slug"] == "musienko"


# /api/v1/experts/: public experts only


def test_expert_without_published_claims_is_absent_from_the_list(client):
    public_expert(slug="public")
    ClaimFactory(speaker=ExpertFactory(slug="draft-only"), status=PublicationStatus.DRAFT)
    ExpertFactory(slug="no-claims")
    assert slugs(client.get(EXPERTS)) == ["public"]


def test_expert_without_published_claims_detail_is_404(client):
    expert = ExpertFactory()
    ClaimFactory(speaker=expert, status=PublicationStatus.IN_REVIEW)
    response = client.get(expert_url(expert))
    assert response.status_code == 404
    assert "detail" in response.json()


def test_expert_detail_with_a_non_integer_id_is_404(client):
    assert client.get(reverse("api:expert-detail", kwargs={"pk": "musienko"})).status_code == 404


# /api/v1/experts/: filters


def test_q_finds_text_in_the_display_name_ignoring_case(client):
    public_expert(slug="musienko", display_name="Oleksandr Musienko")
    public_expert(slug="fesenko", display_name="Volodymyr Fesenko")
    assert slugs(client.get(EXPERTS, {"q": "musienko"})) == ["musienko"]


def test_q_finds_text_in_a_name_variant(client):
    expert = public_expert(slug="musienko", display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    public_expert(slug="fesenko", display_name="Volodymyr Fesenko")
    assert slugs(client.get(EXPERTS, {"q": "Alexander"})) == ["musienko"]


def test_q_matching_several_variants_lists_the_expert_once(client):
    expert = public_expert(slug="musienko", display_name="Oleksandr Musienko")
    NameVariantFactory(expert=expert, name="Alexander Musienko")
    NameVariantFactory(expert=expert, name="Alexander Musienko Jr")
    assert slugs(client.get(EXPERTS, {"q": "Musienko"})) == ["musienko"]


def test_q_without_a_match_gives_an_empty_list(client):
    public_expert()
    assert slugs(client.get(EXPERTS, {"q": "Nobody"})) == []


def test_q_does_not_reveal_experts_without_published_claims(client):
    ClaimFactory(speaker=ExpertFactory(display_name="Hidden Person"), status="draft")
    assert slugs(client.get(EXPERTS, {"q": "Hidden"})) == []


@pytest.mark.parametrize(
    "text",
    [
        "Musiienko",
        # Oleksandr Kovalenko shares the first name only: the better name match wins.
        "Alexander Musienko",
        "Мусієнко",
    ],
)
def test_q_finds_musienko_in_the_demo_by_any_spelling(client, demo, text):
    assert slugs(client.get(EXPERTS, {"q": text})) == ["oleksandr-musienko"]


def test_organization_filter_keeps_experts_affiliated_with_it(client):
    organization = OrganizationFactory(slug="cmlr")
    AffiliationFactory(expert=public_expert(slug="member"), organization=organization)
    AffiliationFactory(expert=public_expert(slug="elsewhere"))
    public_expert(slug="unaffiliated")
    assert slugs(client.get(EXPERTS, {"organization": "cmlr"})) == ["member"]


def test_organization_filter_includes_past_roles_once(client):
    organization = OrganizationFactory(slug="cmlr")
    expert = public_expert(slug="former")
    AffiliationFactory(
        expert=expert,
        organization=organization,
        start_date=datetime.date(2010, 1, 1),
        end_date=datetime.date(2012, 1, 1),
    )
    AffiliationFactory(
        expert=expert,
        organization=organization,
        start_date=datetime.date(2014, 1, 1),
        end_date=datetime.date(2016, 1, 1),
    )
    assert slugs(client.get(EXPERTS, {"organization": "cmlr"})) == ["former"]


def test_organization_filter_with_an_unknown_slug_is_404(client):
    assert list(not_found(client.get(EXPERTS, {"organization": "nowhere"}))) == ["organization"]


def test_topic_filter_keeps_experts_with_published_claims_on_it(client):
    topic = TopicFactory(slug="china-role")
    ClaimTopicFactory(claim=ClaimFactory(speaker=ExpertFactory(slug="on-topic")), topic=topic)
    public_expert(slug="off-topic")
    assert slugs(client.get(EXPERTS, {"topic": "china-role"})) == ["on-topic"]


def test_topic_filter_includes_sub_topics(client):
    topic = TopicFactory(slug="china-role")
    sub_topic = TopicFactory(parent=topic)
    ClaimTopicFactory(claim=ClaimFactory(speaker=ExpertFactory(slug="on-sub")), topic=sub_topic)
    assert slugs(client.get(EXPERTS, {"topic": "china-role"})) == ["on-sub"]


def test_topic_filter_ignores_unpublished_claims(client):
    topic = TopicFactory(slug="china-role")
    expert = public_expert(slug="drafted-on-topic")
    ClaimTopicFactory(
        claim=ClaimFactory(speaker=expert, status=PublicationStatus.DRAFT), topic=topic
    )
    assert slugs(client.get(EXPERTS, {"topic": "china-role"})) == []


def test_topic_filter_with_an_unknown_slug_is_404(client):
    assert list(not_found(client.get(EXPERTS, {"topic": "no-such-topic"}))) == ["topic"]


def test_expert_list_rejects_an_unknown_parameter(client):
    response = client.get(EXPERTS, {"name": "Musienko"})
    assert list(errors(response)) == ["name"]
    assert response.json()["detail"]


# /api/v1/experts/: ordering and pagination


def test_experts_are_a_to_z_by_default(client):
    public_expert(slug="b", display_name="Bohdan")
    public_expert(slug="a", display_name="Anna")
    assert slugs(client.get(EXPERTS)) == ["a", "b"]


@pytest.mark.parametrize(
    "ordering, expected",
    [("-display_name", ["b", "a"]), ("id", ["b", "a"]), ("-id", ["a", "b"])],
)
def test_experts_order_by_an_allowed_field(client, ordering, expected):
    public_expert(slug="b", display_name="Bohdan")
    public_expert(slug="a", display_name="Anna")
    assert slugs(client.get(EXPERTS, {"ordering": ordering})) == expected


def test_expert_ordering_by_a_field_not_allowed_is_400(client):
    assert list(errors(client.get(EXPERTS, {"ordering": "claim_count"}))) == ["ordering"]


def test_expert_list_is_page_numbered(client):
    for _ in range(3):
        public_expert()
    body = client.get(EXPERTS, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert parse_qs(urlsplit(body["next"]).query)["page"] == ["2"]


def test_expert_page_size_over_100_is_400(client):
    assert list(errors(client.get(EXPERTS, {"page_size": 101}))) == ["page_size"]


def test_expert_non_integer_page_size_is_400(client):
    assert list(errors(client.get(EXPERTS, {"page_size": "many"}))) == ["page_size"]


# /api/v1/experts/: queries


def experts_with_everything(count):
    for _ in range(count):
        expert = public_expert()
        NameVariantFactory.create_batch(2, expert=expert)
        AffiliationFactory(
            expert=expert, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 1, 1)
        )
        AffiliationFactory(expert=expert)
        QuoteFactory(claim=ClaimFactory(speaker=expert))


def test_expert_list_runs_the_same_queries_whatever_the_page_size(client):
    experts_with_everything(55)
    small = query_count(client, EXPERTS, {"page_size": 5})
    large = query_count(client, EXPERTS, {"page_size": 50})
    assert small == large


def test_expert_list_runs_five_queries(client, django_assert_num_queries):
    experts_with_everything(3)
    # The ETag's aggregates, the count, the page with counts and dates, variants, affiliations.
    with django_assert_num_queries(5):
        assert client.get(EXPERTS).status_code == 200


def test_expert_freshness_fields_are_lookups_the_database_understands():
    Expert.objects.aggregate(*(Max(path) for path in ExpertViewSet.freshness_fields))


# /api/v1/organizations/


def public_organization(**fields):
    """An organization readers see: a public expert holds a role there."""
    organization = OrganizationFactory(**fields)
    AffiliationFactory(expert=public_expert(), organization=organization)
    return organization


def test_organization_of_a_non_public_expert_only_is_not_listed(client):
    AffiliationFactory(expert=ExpertFactory(), organization=OrganizationFactory())

    assert slugs(client.get(ORGANIZATIONS)) == []


def test_organization_nobody_holds_a_role_at_is_a_404(client):
    organization = OrganizationFactory()

    assert client.get(organization_url(organization)).status_code == 404


def test_organization_is_listed_once_its_expert_has_a_published_claim(client, editor):
    from claims.services import claim_publish

    expert = ExpertFactory()
    AffiliationFactory(expert=expert, organization=OrganizationFactory(slug="new"))
    claim = ClaimFactory(speaker=expert, status=PublicationStatus.IN_REVIEW)

    claim_publish(claim=claim, user=editor)

    assert slugs(client.get(ORGANIZATIONS)) == ["new"]


def test_organization_list_item_shows_the_organization(client):
    organization = public_organization(
        slug="cmlr",
        name="Center for Military Legal Research",
        kind=Organization.Kind.RESEARCH_CENTRE,
        country="UA",
    )
    assert only_row(client, ORGANIZATIONS) == {
        "id": organization.pk,
        "slug": "cmlr",
        "url": f"http://testserver{organization_url(organization)}",
        "html_url": None,
        "name": "Center for Military Legal Research",
        "kind": "research",
        "country": "UA",
        "expert_count": 1,
        "experts_url": "http://testserver/api/v1/experts/?organization=cmlr",
    }


def test_expert_count_counts_public_experts_once_each(client):
    organization = OrganizationFactory()
    expert = public_expert()
    AffiliationFactory(
        expert=expert,
        organization=organization,
        start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2019, 1, 1),
    )
    AffiliationFactory(expert=expert, organization=organization)
    AffiliationFactory(expert=public_expert(), organization=organization)
    AffiliationFactory(expert=ExpertFactory(), organization=organization)  # no published claim
    assert only_row(client, ORGANIZATIONS)["expert_count"] == 2


def test_organization_detail_shows_the_organization(client):
    organization = public_organization(slug="cmlr")
    response = client.get(organization_url(organization))
    assert response.status_code == 200
    assert response.json()["slug"] == "cmlr"


def test_organization_detail_of_a_missing_id_is_404(client):
    response = client.get(reverse("api:organization-detail", kwargs={"pk": 999}))
    assert response.status_code == 404


def test_kind_filter_keeps_organizations_of_the_kind(client):
    public_organization(slug="university", kind=Organization.Kind.UNIVERSITY)
    public_organization(slug="ngo", kind=Organization.Kind.CIVIC_GROUP)
    assert slugs(client.get(ORGANIZATIONS, {"kind": "university"})) == ["university"]


def test_kind_filter_with_an_unknown_kind_is_400(client):
    assert list(errors(client.get(ORGANIZATIONS, {"kind": "club"}))) == ["kind"]


def test_organization_country_filter_keeps_the_countrys_organizations(client):
    public_organization(slug="ukrainian", country="UA")
    public_organization(slug="polish", country="PL")
    assert slugs(client.get(ORGANIZATIONS, {"country": "PL"})) == ["polish"]


def test_organization_country_filter_with_a_malformed_code_is_400(client):
    assert list(errors(client.get(ORGANIZATIONS, {"country": "Poland"}))) == ["country"]


def test_organization_q_finds_text_in_the_name_ignoring_case(client):
    public_organization(slug="cmlr", name="Center for Military Legal Research")
    public_organization(slug="kse", name="Kyiv School of Economics")
    assert slugs(client.get(ORGANIZATIONS, {"q": "military"})) == ["cmlr"]
    assert slugs(client.get(ORGANIZATIONS, {"q": "Harvard"})) == []


def test_organization_list_rejects_an_unknown_parameter(client):
    assert list(errors(client.get(ORGANIZATIONS, {"expert": "x"}))) == ["expert"]


def test_organizations_are_by_name_by_default(client):
    public_organization(slug="z", name="Zeta")
    public_organization(slug="a", name="Alpha")
    assert slugs(client.get(ORGANIZATIONS)) == ["a", "z"]


def test_organizations_order_by_name_descending(client):
    public_organization(slug="a", name="Alpha")
    public_organization(slug="z", name="Zeta")
    assert slugs(client.get(ORGANIZATIONS, {"ordering": "-name"})) == ["z", "a"]


def test_organization_ordering_by_a_field_not_allowed_is_400(client):
    assert list(errors(client.get(ORGANIZATIONS, {"ordering": "kind"}))) == ["ordering"]


def test_organization_page_size_over_100_is_400(client):
    assert list(errors(client.get(ORGANIZATIONS, {"page_size": 101}))) == ["page_size"]


def test_organization_list_runs_the_same_queries_whatever_the_page_size(client):
    for organization in OrganizationFactory.create_batch(55):
        AffiliationFactory(expert=public_expert(), organization=organization)
    small = query_count(client, ORGANIZATIONS, {"page_size": 5})
    large = query_count(client, ORGANIZATIONS, {"page_size": 50})
    assert small == large


def test_organization_list_runs_three_queries(client, django_assert_num_queries):
    AffiliationFactory(expert=public_expert())
    with django_assert_num_queries(3):  # the ETag's aggregates, the count and the page
        assert client.get(ORGANIZATIONS).status_code == 200


def test_organization_freshness_fields_are_lookups_the_database_understands():
    Organization.objects.aggregate(*(Max(path) for path in OrganizationViewSet.freshness_fields))
