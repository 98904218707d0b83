"""Admin sign-in is paused after five wrong passwords for one username from one address, and an
editor lifts the lockout by deleting the access attempt in the admin."""

import threading

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from claims.roles import EDITORS
from core import middleware
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
LIMIT = 5


@pytest.fixture
def staff(db):
    return UserFactory(username="reporter", is_staff=True)


def log_in(client, username, password, **extra):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, **extra
    )


def fail(client, username, times, **extra):
    return [log_in(client, username, "wrong password", **extra) for _ in range(times)]


def test_four_wrong_passwords_still_let_the_right_one_in(staff):
    client = Client()

    answers = fail(client, "reporter", LIMIT - 1)

    assert [answer.status_code for answer in answers] == [200] * (LIMIT - 1)
    assert log_in(client, "reporter", PASSWORD).status_code == 302


def test_the_fifth_wrong_password_shows_the_lockout_page(staff):
    client = Client()

    *_, fifth = fail(client, "reporter", LIMIT)

    assert fifth.status_code == 429
    assertContains(fifth, "Too many failed sign-in attempts", status_code=429)
    assertContains(fifth, "Please try again in 15 minutes.", status_code=429)
    assertContains(fifth, 'class="site-header"', status_code=429)


def test_a_locked_out_user_is_refused_even_with_the_right_password(staff):
    client = Client()
    fail(client, "reporter", LIMIT)

    answer = log_in(client, "reporter", PASSWORD)

    assert answer.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_is_for_that_username_from_that_address_only(staff):
    UserFactory(username="desk", is_staff=True)
    fail(Client(), "reporter", LIMIT)

    from_elsewhere = log_in(Client(), "reporter", PASSWORD, REMOTE_ADDR="203.0.113.9")
    someone_else = log_in(Client(), "desk", PASSWORD)

    assert from_elsewhere.status_code == 302
    assert someone_else.status_code == 302


def test_an_editor_sees_the_lockout_and_deleting_it_lets_the_user_back_in(staff, editor_client):
    fail(Client(), "reporter", LIMIT)
    attempt = AccessAttempt.objects.get(username="reporter")

    changelist = editor_client.get(reverse("admin:axes_accessattempt_changelist"))
    assertContains(changelist, "reporter")
    assertContains(changelist, "Locked Out")
    deleted = editor_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )

    assert deleted.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert log_in(Client(), "reporter", PASSWORD).status_code == 302


def test_editors_may_view_and_delete_access_attempts_but_not_manage_users(editor_client):
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))

    assert {"view_accessattempt", "delete_accessattempt"} <= codenames
    assert not codenames & {"change_accessattempt", "view_accesslog", "view_accessfailurelog"}
    assert not {codename for codename in codenames if codename.endswith(("_user", "_group"))}
    index = editor_client.get(reverse("admin:index"))
    assertContains(index, reverse("admin:axes_accessattempt_changelist"))
    assertNotContains(index, reverse("admin:auth_user_changelist"))


def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(staff):
    fail(Client(), "reporter", LIMIT)

    answer = log_in(Client(), "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert answer.status_code == 429


def test_behind_a_proxy_the_lockout_follows_the_forwarded_client_address(staff, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    fail(Client(), "reporter", LIMIT, HTTP_X_FORWARDED_FOR="198.51.100.7")

    same_client = log_in(Client(), "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    other_client = log_in(Client(), "reporter", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert same_client.status_code == 429
    assert other_client.status_code == 302
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"


def test_an_undeclared_proxy_in_front_is_reported_in_the_log(staff, caplog, monkeypatch):
    """With API_NUM_PROXIES=0 every client behind a proxy shares its address, so five wrong
    passwords from anywhere would lock the editor out for everyone: the app cannot tell a proxy
    from a forged header, so it logs an error naming the setting (deploy.md)."""
    monkeypatch.setattr(middleware, "_undeclared_proxy_reported", threading.Event())
    log_in(Client(), "reporter", "wrong password", HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert any(
        record.levelname == "ERROR" and "API_NUM_PROXIES" in record.getMessage()
        for record in caplog.records
    )


def test_the_undeclared_proxy_error_is_logged_once_a_process(staff, caplog, monkeypatch):
    """Any client can send X-Forwarded-For: it must not be able to fill the log with errors."""
    monkeypatch.setattr(middleware, "_undeclared_proxy_reported", threading.Event())
    for address in ("198.51.100.7", "198.51.100.8", "198.51.100.9"):
        log_in(Client(), "reporter", "wrong password", HTTP_X_FORWARDED_FOR=address)

    reported = [r for r in caplog.records if "API_NUM_PROXIES" in r.getMessage()]
    assert len(reported) == 1
