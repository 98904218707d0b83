from config.models import PublicationStatus
from config.services import set_status


def articles_publish(*, articles, user=None):
    """Publish the given articles; returns how many changed."""
    return set_status(items=articles, status=PublicationStatus.PUBLISHED, user=user)


def articles_unpublish(*, articles, user=None):
    """Take the given articles back to draft; returns how many changed."""
    return set_status(items=articles, status=PublicationStatus.DRAFT, user=user)
