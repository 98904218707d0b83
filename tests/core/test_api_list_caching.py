"""A list's validators cover its page, and anonymous JSON lists are kept in the app's cache
(core.api.caching): what a partner sees when rows change on and off the page they read."""

import datetime

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from claims.models import Claim
from core.api.keys import PartnerKey
from core.cache import purge_public_caches
from experts.models import Expert
from tests.factories import ClaimFactory, ExpertFactory

pytestmark = pytest.mark.django_db

CLAIMS = reverse("api:claim-list")
EXPERTS = reverse("api:expert-list")
STAMP = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shared_cache():
    """The app's cache of public responses on, as in production."""
    with override_settings(PUBLIC_CACHE_SECONDS=300, API_CACHE_MAX_AGE=60):
        yield


def claims(count):
    """`count` published claims, oldest first, their and their speakers' stamps the same."""
    made = [ClaimFactory() for _ in range(count)]
    Claim.objects.update(updated=STAMP)
    Expert.objects.update(updated=STAMP)
    return made


def expert(name):
    """An expert readers can see: one with a published claim."""
    return ClaimFactory(speaker=ExpertFactory(display_name=name)).speaker


# Validators of one page


def test_editing_a_claim_on_another_page_leaves_the_first_pages_etag_alone(client):
    oldest, *_ = claims(5)
    before = client.get(CLAIMS, {"page_size": 2})["ETag"]

    Claim.objects.filter(pk=oldest.pk).update(updated=STAMP + datetime.timedelta(hours=1))

    assert client.get(CLAIMS, {"page_size": 2})["ETag"] == before


def test_editing_a_claim_on_the_page_changes_its_etag(client):
    *_, newest = claims(5)
    before = client.get(CLAIMS, {"page_size": 2})["ETag"]

    Claim.objects.filter(pk=newest.pk).update(updated=STAMP + datetime.timedelta(hours=1))

    assert client.get(CLAIMS, {"page_size": 2})["ETag"] != before


def test_a_claim_leaving_the_page_changes_its_etag_though_counts_and_stamps_stay(client):
    # Page 1 (2 claims, newest first) and the claim after it: fourth, third, second. Deleting
    # the third brings in the first: still three rows, and the newest stamp is the fourth's.
    first, second, third, fourth = claims(4)
    Claim.objects.filter(pk=fourth.pk).update(updated=STAMP + datetime.timedelta(hours=1))
    before = client.get(CLAIMS, {"page_size": 2})

    Claim.objects.filter(pk=third.pk).delete()

    after = client.get(CLAIMS, {"page_size": 2})
    assert [c["id"] for c in after.json()["results"]] == [fourth.pk, second.pk]
    assert after["ETag"] != before["ETag"]


def test_a_deep_cursor_page_has_its_own_etag_and_answers_a_304(client):
    claims(5)
    second_page = client.get(CLAIMS, {"page_size": 2}).json()["next"]
    response = client.get(second_page)

    assert response.status_code == 200
    again = client.get(second_page, headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304


def test_a_new_expert_past_the_first_page_changes_its_etag_since_the_count_shows(client):
    expert("Anna Aaronson")
    expert("Boris Brown")
    before = client.get(EXPERTS, {"page_size": 1})

    expert("Zoia Zymovets")

    after = client.get(EXPERTS, {"page_size": 1})
    assert after.json()["count"] == before.json()["count"] + 1
    assert after["ETag"] != before["ETag"]


# The app's shared cache of anonymous JSON lists


def test_a_repeated_anonymous_list_is_answered_without_a_query(
    client, shared_cache, django_assert_num_queries
):
    claims(3)
    first = client.get(CLAIMS)

    with django_assert_num_queries(0):
        again = client.get(CLAIMS)

    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    assert set(again["Cache-Control"].split(", ")) == {"public", "max-age=60"}


def test_a_kept_list_answers_its_etag_with_a_304_without_a_query(
    client, shared_cache, django_assert_num_queries
):
    claims(3)
    etag = client.get(CLAIMS)["ETag"]

    with django_assert_num_queries(0):
        response = client.get(CLAIMS, headers={"if-none-match": etag})

    assert response.status_code == 304


def test_a_publish_or_edit_purge_shows_the_new_claim_at_once(client, shared_cache):
    claims(2)
    before = client.get(CLAIMS)
    added = ClaimFactory()

    purge_public_caches("a claim was published")

    after = client.get(CLAIMS)
    assert after.json()["results"][0]["id"] == added.pk
    assert after["ETag"] != before["ETag"]


def test_each_url_is_kept_apart(client, shared_cache):
    claims(3)
    client.get(CLAIMS, {"page_size": 1})

    response = client.get(CLAIMS, {"page_size": 2})

    assert len(response.json()["results"]) == 2


def test_a_partner_with_a_key_is_answered_from_the_database(client, shared_cache):
    claims(1)
    client.get(CLAIMS)
    added = ClaimFactory()
    _, key = PartnerKey.objects.create_key(name="Partner", contact="desk@partner.example.org")

    response = client.get(CLAIMS, headers={"authorization": f"Api-Key {key}"})

    assert response.json()["results"][0]["id"] == added.pk


def test_the_browsable_api_page_is_not_kept(client, shared_cache):
    expert("Anna Aaronson")
    client.get(EXPERTS, {"format": "api"})
    Expert.objects.update(display_name="Anna Renamed")

    assert "Anna Renamed" in client.get(EXPERTS, {"format": "api"}).content.decode()


def test_an_error_is_not_kept(client, shared_cache):
    assert client.get(CLAIMS, {"page_size": "many"}).status_code == 400

    assert client.get(CLAIMS, {"page_size": "many"}).status_code == 400


def test_with_the_cache_off_every_request_reads_the_database(client):
    claims(1)
    client.get(CLAIMS)
    added = ClaimFactory()

    assert client.get(CLAIMS).json()["results"][0]["id"] == added.pk
