"""The newsroom's groups and exactly the permissions each one holds."""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

from core.workflow import TRANSITIONS, reviewed_models

EDITORS = "Editors"
CONTRIBUTORS = "Contributors"

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
    ("core", "view_partnerkey"),
    ("core", "add_partnerkey"),
    ("core", "change_partnerkey"),
}
# Editors see failed sign-ins (django-axes) and lift a lockout by deleting its access attempt;
# nothing more of user management: no accounts, groups, or the access logs.
EDITOR_LOCKOUT_PERMISSIONS = {
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
}


def workflow_permissions(*actions):
    """(app label, codename) of `actions` ("add", …) on every model with the workflow (those
    registered with core.workflow.register_reviewed: articles and claims), and of each of its
    transitions when none are named."""
    pairs = set()
    for reviewed in reviewed_models():
        opts = reviewed.model._meta
        if actions:
            pairs |= {(opts.app_label, f"{action}_{opts.model_name}") for action in actions}
        else:
            pairs |= {(opts.app_label, t.codename(opts)) for t in TRANSITIONS.values()}
    return pairs


def contributor_codenames():
    """Contributors write drafts of articles and claims (with their topics, provision links
    and quotes) and submit them for review; they may add the people, organisations and outlets
    a draft needs, but neither change nor delete what is already on record, and never publish,
    correct or withdraw. Which drafts they may edit is decided per item
    (core.workflow.may_edit)."""
    return (
        {
            (app_label, f"view_{model}")
            for app_label, models in EDITOR_MODELS.items()
            for model in models
        }
        | workflow_permissions("add", "change", "submit")
        | {
            ("claims", f"{action}_{model}")
            for model in ["claimtopic", "claimprovision", "quote"]
            for action in ["add", "change", "delete"]
        }
        | {
            (app_label, f"add_{model}")
            for app_label, models in {
                "articles": ["outlet"],
                "experts": ["expert", "namevariant", "organization", "affiliation"],
            }.items()
            for model in models
        }
    )


def editor_permissions():
    """The Permission rows the Editors group holds."""
    codenames = (
        {
            (app_label, f"{action}_{model}")
            for app_label, models in EDITOR_MODELS.items()
            for model in models
            for action in EDITOR_ACTIONS
        }
        | EDITOR_KEY_PERMISSIONS
        | EDITOR_LOCKOUT_PERMISSIONS
        # Editors review: every transition of the workflow (core/workflow.py).
        | workflow_permissions()
    )
    return _permissions(codenames)


def contributor_permissions():
    """The Permission rows the Contributors group holds."""
    return _permissions(contributor_codenames())


def _permissions(codenames):
    """The Permission rows named by (app_label, codename) pairs."""
    permissions = Permission.objects.filter(
        content_type__app_label__in={app_label for app_label, _ in codenames},
        codename__in={codename for _, codename in codenames},
    ).select_related("content_type")
    return [p for p in permissions if (p.content_type.app_label, p.codename) in codenames]


def sync_groups():
    """Create the Editors and Contributors groups or bring their permissions back to the
    lists above; returns the Editors group."""
    contributors, _ = Group.objects.get_or_create(name=CONTRIBUTORS)
    contributors.permissions.set(contributor_permissions())
    group, _ = Group.objects.get_or_create(name=EDITORS)
    group.permissions.set(editor_permissions())
    return group


def sync_groups_after_migrate(sender, **kwargs):
    if global_apps.is_installed("django.contrib.auth"):
        sync_groups()
