"""Input checked before the database sees it (issue 12, items 6 and 9): page numbers and ids
in range, control characters refused at the edge, URL fields held to RFC 3986.

Run on SQLite and on PostgreSQL: the audit's 500s ("bigint out of range", a NUL in a text
query) were PostgreSQL's, SQLite fails differently ("datatype mismatch").
"""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve, reverse

from articles.models import Outlet
from claims.models import Treaty
from core.api.common import MAX_PAGE_NUMBER
from core.validators import encode_uri
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    OutletFactory,
    ProvisionFactory,
    TreatyFactory,
)
from tests.security.xss import REFUSED_URL_PAYLOADS

pytestmark = pytest.mark.django_db

BIGINT_MAX = 2**63 - 1
AUDITED_PAGE = "2305843009213693951"
PAGE_NUMBERED_LISTS = [
    "api:expert-list",
    "api:organization-list",
    "api:outlet-list",
    "api:provision-list",
    "api:topic-list",
    "api:treaty-list",
]
INJECTED_URL = 'https://example.org/"><svg/onload=alert(1)>'


def refused(response):
    """The `errors` of the API's JSON 400."""
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()["errors"]


# Page numbers and ids


@pytest.mark.parametrize("list_name", PAGE_NUMBERED_LISTS)
def test_the_audited_page_number_is_a_400_naming_page(client, list_name):
    assert list(refused(client.get(reverse(list_name), {"page": AUDITED_PAGE}))) == ["page"]


@pytest.mark.parametrize("page", ["0", "-1", str(MAX_PAGE_NUMBER + 1), "x", " 1", "+1", "1_0"])
def test_a_page_that_is_not_a_number_in_range_is_a_400(client, page):
    assert list(refused(client.get(reverse("api:topic-list"), {"page": page}))) == ["page"]


def test_the_largest_page_number_is_a_404_past_the_end_not_an_error(client):
    response = client.get(reverse("api:treaty-list"), {"page": MAX_PAGE_NUMBER, "page_size": 100})

    assert response.status_code == 404
    assert response.json()["detail"]


def test_last_as_a_page_name_is_refused_as_the_schema_documents_an_integer(client):
    assert list(refused(client.get(reverse("api:topic-list"), {"page": "last"}))) == ["page"]


@pytest.mark.parametrize("claim", ["0", str(BIGINT_MAX + 1), "99999999999999999999999"])
def test_an_id_filter_out_of_the_bigint_range_is_a_400(client, claim):
    assert list(refused(client.get(reverse("api:quote-list"), {"claim": claim}))) == ["claim"]


def test_a_claim_page_id_past_bigint_matches_no_url():
    with pytest.raises(Resolver404):
        resolve(f"/claims/{BIGINT_MAX + 1}/")


def test_a_claim_page_id_of_bigint_max_still_matches():
    assert resolve(f"/claims/{BIGINT_MAX}/").kwargs == {"pk": BIGINT_MAX}


def test_a_claim_page_id_past_bigint_is_the_sites_404(client):
    response = client.get(f"/claims/{BIGINT_MAX + 1}/")

    assert response.status_code == 404
    assert b"<html" in response.content


# Control characters


def test_a_nul_in_a_provision_address_is_a_400_page(client):
    ProvisionFactory(treaty=TreatyFactory(slug="ru-dprk-2024"), address="art_4")

    response = client.get("/treaties/ru-dprk-2024/%00/")

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"Bad request" in response.content


@pytest.mark.parametrize("character", ["%00", "%1B", "%7F", "%C2%9B"])
def test_a_control_character_in_an_api_path_is_a_json_400(client, character):
    errors = refused(client.get(f"/api/v1/treaties/1{character}/"))

    assert list(errors) == ["path"]


@pytest.mark.parametrize("character", ["%00", "%07", "%1B", "%7F", "%C2%85"])
def test_a_control_character_in_an_api_parameter_is_a_400_naming_it(client, character):
    response = client.get(f"/api/v1/topics/?q=china{character}")

    assert list(refused(response)) == ["q"]


def test_a_control_character_in_a_parameter_name_is_refused_without_echoing_it(client):
    errors = refused(client.get("/api/v1/topics/?q%00x=china"))

    assert list(errors) == ["q\N{REPLACEMENT CHARACTER}x"]


def test_a_nul_in_a_site_search_is_a_400_page(client):
    response = client.get("/search/?q=china%00")

    assert response.status_code == 400
    assert b"Bad request" in response.content


@pytest.mark.parametrize("whitespace", ["%09", "%0A", "%0D%0A"])
def test_tabs_and_line_breaks_in_a_search_query_are_searched_as_spaces(client, whitespace):
    ClaimFactory(summary="China has the leverage to stop it.")

    response = client.get(f"/api/v1/search/?q=china{whitespace}leverage")

    assert response.status_code == 200, response.content
    assert response.json()["count"] == 1


def test_a_tab_in_a_path_is_refused(client):
    assert refused(client.get("/api/v1/topics/%09/")) == {
        "path": ["The path may not contain control characters."]
    }


# Filters: malformed is a 400, empty is not sent


def test_an_empty_filter_value_counts_as_not_sent(client):
    claim = ClaimFactory()

    response = client.get(
        reverse("api:claim-list"), {"made_before": "", "ordering": "", "topic": "", "q": ""}
    )

    assert response.status_code == 200, response.content
    assert [row["id"] for row in response.json()["results"]] == [claim.pk]


@pytest.mark.parametrize("ordering", ["made_on,", ",made_on", " made_on", "--made_on"])
def test_an_ordering_outside_the_documented_list_is_a_400(client, ordering):
    assert list(refused(client.get(reverse("api:claim-list"), {"ordering": ordering}))) == [
        "ordering"
    ]


@pytest.mark.parametrize("date", ["06/01/2024", "2024-6-1", " 2024-06-01", "2024-06-01 "])
def test_a_date_not_written_yyyy_mm_dd_is_a_400(client, date):
    assert list(refused(client.get(reverse("api:claim-list"), {"made_after": date}))) == [
        "made_after"
    ]


def test_a_value_that_cannot_be_a_slug_is_a_400(client):
    errors = refused(client.get(reverse("api:claim-list"), {"topic": "china role"}))

    assert list(errors) == ["topic"]


def test_a_slug_that_names_nothing_is_a_404_naming_the_parameter(client):
    response = client.get(reverse("api:article-list"), {"outlet": "no-such-outlet"})

    assert response.status_code == 404
    assert response.json()["errors"] == {
        "outlet": ["Select a valid choice. That choice is not one of the available choices."]
    }


def test_a_malformed_value_beside_an_unknown_slug_is_a_400_naming_both(client):
    response = client.get(
        reverse("api:article-list"), {"outlet": "no-such-outlet", "published_after": "June"}
    )

    assert set(refused(response)) == {"outlet", "published_after"}


# URL fields


@pytest.mark.parametrize(
    ("factory", "field"),
    [
        (OutletFactory, "home_url"),
        (ArticleFactory, "source_url"),
        (TreatyFactory, "source_url"),
        (ClaimFactory, "outcome_source_url"),
    ],
)
def test_a_url_field_refuses_characters_outside_rfc_3986(factory, field):
    record = factory()
    setattr(record, field, INJECTED_URL)

    with pytest.raises(ValidationError) as refusal:
        record.full_clean()

    assert field in refusal.value.message_dict
    assert "RFC 3986" in " ".join(refusal.value.message_dict[field])


@pytest.mark.parametrize(
    "url",
    [
        "https://24tv.ua/",
        "https://uk.wikipedia.org/wiki/%D0%9A%D0%B8%D1%97%D0%B2",
        "https://en.wikipedia.org/wiki/Conan_O'Brien",
        "https://example.org/search?q=a+b&lang=uk#top",
    ],
)
def test_a_url_field_accepts_urls_written_as_uris(url):
    outlet = OutletFactory(home_url=url)

    outlet.full_clean()


@pytest.mark.parametrize("payload", [INJECTED_URL, *REFUSED_URL_PAYLOADS])
def test_the_admin_refuses_an_injected_url_and_keeps_what_was_typed(editor_client, payload):
    outlet = OutletFactory()
    url = reverse("admin:articles_outlet_change", args=[outlet.pk])
    data = {
        "name": outlet.name,
        "slug": outlet.slug,
        "home_url": payload,
        "country": "UA",
        "language": "uk",
    }

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "home_url" in response.context["adminform"].form.errors
    assert response.context["adminform"].form["home_url"].value() == payload
    outlet.refresh_from_db()
    assert outlet.home_url != payload


def test_the_api_percent_encodes_a_url_stored_around_the_validators(client):
    article = ArticleFactory()
    Outlet.objects.filter(pk=article.outlet_id).update(home_url=INJECTED_URL)

    response = client.get(reverse("api:outlet-detail", args=[article.outlet_id]))

    assert response.json()["home_url"] == ("https://example.org/%22%3E%3Csvg/onload=alert(1)%3E")


def test_encoding_keeps_percent_escapes_and_encodes_a_lone_percent():
    assert encode_uri("https://x.org/a%20b 100%") == "https://x.org/a%20b%20100%25"


def test_encoding_turns_a_non_ascii_host_into_its_idna_form():
    assert encode_uri("https://пример.рф/путь") == (
        "https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"
    )


def test_the_data_migration_percent_encodes_existing_rows():
    treaty = TreatyFactory()
    Treaty.objects.filter(pk=treaty.pk).update(source_url='https://example.org/a b"c')
    migration = importlib.import_module("claims.migrations.0012_percent_encode_urls")

    migration.percent_encode(apps, None)

    treaty.refresh_from_db()
    assert treaty.source_url == "https://example.org/a%20b%22c"


def test_a_nul_in_the_authorization_header_is_a_400_naming_it(client):
    response = client.get(reverse("api:topic-list"), HTTP_AUTHORIZATION="Api-Key ab\x00c.def")

    assert refused(response) == {
        "Authorization": ["The header may not contain control characters."]
    }


def test_a_key_in_utf_8_is_still_answered_as_an_unknown_key(client):
    response = client.get(
        reverse("api:topic-list"), HTTP_AUTHORIZATION="Api-Key ключ".encode().decode("latin-1")
    )

    assert response.status_code == 401
