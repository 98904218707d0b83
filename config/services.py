"""Write helpers shared by the apps' services."""

from config.cache import schedule_public_purge
from config.models import PublicationStatus

# A record in one of these states is invisible to readers, and it got there from another
# invisible state (the workflow never moves a public item back), so saving it changes no
# public page.
UNPUBLISHED = (PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW)


def save_stamped(instance, *, user=None):
    """Validate and save one record, stamping who changed it last.

    Unless the record is a draft or in review, the public caches are purged once the
    transaction commits (config/cache.py).
    """
    if user is not None and user.is_authenticated:
        instance.updated_by = user
        # Its history row names the user too when no request is there (commands, imports).
        instance._history_user = user
    instance.full_clean()
    instance.save()
    if getattr(instance, "status", None) not in UNPUBLISHED:
        schedule_public_purge(f"{instance._meta.label} {instance.pk} saved")
    return instance
