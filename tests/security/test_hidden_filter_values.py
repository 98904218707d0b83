"""A filter naming an outlet or organisation readers cannot reach answers as one naming nothing
(issue 12, item 2): a partner learns nothing of records a contributor added but nothing public
uses yet."""

import pytest
from django.urls import reverse

from tests.factories import AffiliationFactory, ArticleFactory, OrganizationFactory, OutletFactory

pytestmark = pytest.mark.django_db


def answer(client, url, params):
    response = client.get(url, params)
    return response.status_code, response.json().get("errors")


@pytest.mark.parametrize(
    ("url_name", "parameter"),
    [("api:claim-list", "outlet"), ("api:article-list", "outlet")],
)
def test_an_outlet_without_a_published_article_is_filtered_on_as_an_unknown_one(
    client, url_name, parameter
):
    unused = OutletFactory(slug="new-unused-outlet")
    ArticleFactory(outlet=unused, status="draft")
    url = reverse(url_name)

    hidden = answer(client, url, {parameter: unused.slug})
    unknown = answer(client, url, {parameter: "no-such-outlet"})

    assert hidden[0] == unknown[0] != 200
    assert str(hidden[1]).replace(unused.slug, "?") == str(unknown[1]).replace(
        "no-such-outlet", "?"
    )


def test_an_outlet_with_a_published_article_filters(client):
    outlet = ArticleFactory().outlet

    response = client.get(reverse("api:article-list"), {"outlet": outlet.slug})

    assert response.status_code == 200
    assert len(response.json()["results"]) == 1


def test_an_organization_of_no_public_expert_is_filtered_on_as_an_unknown_one(client):
    organization = OrganizationFactory(slug="new-unused-organization")
    AffiliationFactory(organization=organization)  # an expert without a published claim
    url = reverse("api:expert-list")

    hidden = answer(client, url, {"organization": organization.slug})
    unknown = answer(client, url, {"organization": "no-such-organization"})

    assert hidden[0] == unknown[0] != 200
    assert str(hidden[1]).replace(organization.slug, "?") == str(unknown[1]).replace(
        "no-such-organization", "?"
    )
