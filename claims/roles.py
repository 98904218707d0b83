"""The newsroom's groups and exactly the permissions each one holds."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"

# Editors curate every record of the knowledge base; they do not manage user accounts.
EDITOR_MODELS = {
    "articles": ["outlet", "article"],
    "experts": ["expert", "namevariant", "organization", "affiliation"],
    "claims": ["topic", "claim", "claimtopic", "quote", "treaty", "provision", "claimprovision"],
}
EDITOR_ACTIONS = ["view", "add", "change", "delete"]
# Editors hand out partner API keys and revoke them; they never delete one, so the record of
# who held which key stays.
EDITOR_KEY_PERMISSIONS = {
    ("claims", "view_partnerkey"),
    ("claims", "add_partnerkey"),
    ("claims", "change_partnerkey"),
}


def editor_permissions():
    """The Permission rows the Editors group holds."""
    codenames = {
        (app_label, f"{action}_{model}")
        for app_label, models in EDITOR_MODELS.items()
        for model in models
        for action in EDITOR_ACTIONS
    } | EDITOR_KEY_PERMISSIONS
    permissions = Permission.objects.filter(
        content_type__app_label__in={app_label for app_label, _ in codenames},
        codename__in={codename for _, codename in codenames},
    ).select_related("content_type")
    return [p for p in permissions if (p.content_type.app_label, p.codename) in codenames]


def sync_groups():
    """Create the Editors group or bring its permissions back to the list above."""
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(editor_permissions())
    return group


def sync_groups_after_migrate(sender, **kwargs):
    if global_apps.is_installed("django.contrib.auth"):
        sync_groups()
