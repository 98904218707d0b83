from django.contrib.auth.models import Group
from django.core.management import call_command

from claims.roles import EDITORS, sync_groups


def test_editors_group_exists_after_migrate(db):
    group = Group.objects.get(name=EDITORS)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_claim", "delete_quote", "view_provision"} <= codenames


def test_editors_cannot_manage_user_accounts(db):
    codenames = set(Group.objects.get(name=EDITORS).permissions.values_list("codename", flat=True))
    assert not codenames & {"add_user", "change_user", "change_group", "add_permission"}


def test_sync_restores_a_removed_permission(db):
    group = Group.objects.get(name=EDITORS)
    group.permissions.clear()
    sync_groups()
    assert group.permissions.filter(codename="change_article").exists()


def test_create_editor_makes_a_staff_editor_with_a_random_password(db, capsys):
    call_command("create_editor", username="desk")
    out = capsys.readouterr().out
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="desk")
    password = out.split("Password (shown once): ")[1].split()[0]
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=EDITORS).exists()
    assert user.check_password(password)
    assert len(password) >= 16


def test_create_editor_leaves_an_existing_account_alone(db, capsys):
    call_command("create_editor", username="desk")
    from django.contrib.auth import get_user_model

    before = get_user_model().objects.get(username="desk").password
    call_command("create_editor", username="desk")
    assert "already exists" in capsys.readouterr().out
    assert get_user_model().objects.get(username="desk").password == before
