"""Write helpers shared by the apps' services."""

from django.db import transaction


def save_stamped(instance, *, user=None):
    """Validate and save one record, stamping who changed it last."""
    if user is not None and user.is_authenticated:
        instance.updated_by = user
    instance.full_clean()
    instance.save()
    return instance


@transaction.atomic
def set_status(*, items, status, user=None):
    """Move every item of `items` to `status`, each validated and recorded in history.

    Returns how many items changed; items already in that status are left untouched.
    """
    changed = 0
    # Lock by primary key alone: PostgreSQL refuses FOR UPDATE on grouped or DISTINCT queries,
    # which is what an annotated changelist hands over.
    rows = items.model._default_manager.filter(pk__in=items.values("pk")).select_for_update()
    for item in rows:
        if item.status == status:
            continue
        item.status = status
        save_stamped(item, user=user)
        changed += 1
    return changed
