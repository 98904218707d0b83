"""Partner API keys in the admin: editors create them (shown once) and revoke them."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework_api_key.models import APIKey

from claims.roles import EDITORS
from core.api.keys import PartnerKey
from tests.admin_helpers import changelist_url, listed

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:core_partnerkey_add")
OUTLETS = reverse("api:outlet-list")
KEY_IN_MESSAGE = re.compile(r"The API key for .+ is: (\S+)\. ")


def change_url(partner_key):
    return reverse("admin:core_partnerkey_change", args=[partner_key.pk])


def create_through_the_admin(client, **fields):
    data = {
        "name": "Partner desk",
        "contact": "desk@partner.example.org",
        "notes": "",
        "throttle_rate": "",
        **fields,
    }
    response = client.post(ADD_URL, data, follow=True)
    assert response.status_code == 200
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    return response, messages


def shown_key(messages):
    (key,) = [match[1] for message in messages if (match := KEY_IN_MESSAGE.search(message))]
    return key


def new_key(**fields):
    return PartnerKey.objects.create_key(
        **{"name": "Partner desk", "contact": "desk@partner.example.org", **fields}
    )


def test_editors_may_view_add_and_change_keys_but_not_delete_them():
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))

    assert {"view_partnerkey", "add_partnerkey", "change_partnerkey"} <= codenames
    assert "delete_partnerkey" not in codenames


def test_an_editor_creates_a_key_and_sees_it_once(editor_client):
    _, messages = create_through_the_admin(editor_client)

    key = shown_key(messages)
    partner_key = PartnerKey.objects.get()
    assert partner_key.contact == "desk@partner.example.org"
    assert key.startswith(f"{partner_key.prefix}.")


def test_the_key_shown_on_creation_reads_the_api(editor_client, client):
    _, messages = create_through_the_admin(editor_client)

    response = client.get(OUTLETS, headers={"authorization": f"Api-Key {shown_key(messages)}"})

    assert response.status_code == 200


def test_only_the_hash_of_the_key_is_stored(editor_client):
    _, messages = create_through_the_admin(editor_client)

    key = shown_key(messages)
    stored = PartnerKey.objects.values().get()
    assert key not in {str(value) for value in stored.values()}


def test_the_change_page_does_not_show_the_key_again(editor_client):
    _, messages = create_through_the_admin(editor_client)
    key = shown_key(messages)

    response = editor_client.get(change_url(PartnerKey.objects.get()))

    assert response.status_code == 200
    assert key not in response.content.decode()
    assert key.partition(".")[0] in response.content.decode()  # the prefix identifies it


def test_an_editor_sets_a_key_its_own_rate(editor_client):
    create_through_the_admin(editor_client, throttle_rate="5000/min")

    assert PartnerKey.objects.get().throttle_rate == "5000/min"


def test_a_malformed_rate_is_refused_by_the_form(editor_client):
    response = editor_client.post(
        ADD_URL, {"name": "Partner", "contact": "desk@partner.example.org", "throttle_rate": "fast"}
    )

    assert response.status_code == 200
    assert "throttle_rate" in response.context["adminform"].form.errors
    assert not PartnerKey.objects.exists()


def test_a_contact_is_required(editor_client):
    response = editor_client.post(ADD_URL, {"name": "Partner", "contact": ""})

    assert "contact" in response.context["adminform"].form.errors
    assert not PartnerKey.objects.exists()


def test_an_editor_revokes_a_key_on_its_page(editor_client, client):
    partner_key, key = new_key()

    response = editor_client.post(
        change_url(partner_key),
        {"name": partner_key.name, "contact": partner_key.contact, "revoked": "on"},
    )

    assert response.status_code == 302
    partner_key.refresh_from_db()
    assert partner_key.revoked
    assert client.get(OUTLETS, headers={"authorization": f"Api-Key {key}"}).status_code == 401


def test_an_editor_revokes_keys_from_the_list(editor_client):
    first, _ = new_key()
    second, _ = new_key(name="Other")
    kept, _ = new_key(name="Kept")

    editor_client.post(
        changelist_url("core.partnerkey"),
        {"action": "revoke", "_selected_action": [first.pk, second.pk]},
    )

    assert set(PartnerKey.objects.filter(revoked=True)) == {first, second}
    assert not PartnerKey.objects.get(pk=kept.pk).revoked


def test_revoking_is_recorded_with_the_editor(editor_client, editor):
    partner_key, _ = new_key()

    editor_client.post(
        changelist_url("core.partnerkey"),
        {"action": "revoke", "_selected_action": [partner_key.pk]},
    )

    latest = partner_key.history.latest()
    assert latest.revoked
    assert latest.history_user == editor


def test_a_revoked_key_cannot_be_brought_back(editor_client):
    partner_key, _ = new_key()
    partner_key.revoked = True
    partner_key.save()

    editor_client.post(
        change_url(partner_key), {"name": partner_key.name, "contact": partner_key.contact}
    )

    partner_key.refresh_from_db()
    assert partner_key.revoked


def test_an_editor_cannot_delete_a_key(editor_client):
    partner_key, _ = new_key()

    response = editor_client.post(
        reverse("admin:core_partnerkey_delete", args=[partner_key.pk]), {"post": "yes"}
    )

    assert response.status_code == 403
    assert PartnerKey.objects.filter(pk=partner_key.pk).exists()


def test_the_list_finds_a_key_by_its_contact(editor_client):
    partner_key, _ = new_key(contact="ana@partner.example.org")
    new_key(contact="someone@else.example.org")

    assert listed(editor_client, "core.partnerkey", q="ana@") == {partner_key}


def test_the_packages_own_key_model_is_not_in_the_admin():
    assert not admin.site.is_registered(APIKey)
    assert admin.site.is_registered(PartnerKey)


def test_the_keys_old_admin_address_leads_to_the_new_one(editor_client):
    """Bookmarks of /admin/claims/partnerkey/… (before the keys moved to core) still work."""
    partner_key, _ = PartnerKey.objects.create_key(name="Wire desk")

    answer = editor_client.get(f"/admin/claims/partnerkey/{partner_key.pk}/change/?_popup=1")
    assert answer.status_code == 302
    assert answer["Location"] == f"{change_url(partner_key)}?_popup=1"
    assert editor_client.get(answer["Location"]).status_code == 200
