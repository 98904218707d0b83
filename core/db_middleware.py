"""Which database a request reads from: see core/db_router.py."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

from core.db_router import REPLICA, replica_reads

SAFE_METHODS = ("GET", "HEAD")
ROUTER = "core.db_router.PrimaryReplicaRouter"


def may_read_replica(request):
    """A GET or HEAD outside the admin by someone who is not staff (staff see previews and
    expect their own edits at once)."""
    if request.method not in SAFE_METHODS:
        return False
    try:
        if request.path.startswith(reverse("admin:index")):
            return False
    except NoReverseMatch:  # a URLconf without the admin
        pass
    user = getattr(request, "user", None)
    return user is None or not user.is_staff


class DatabaseRoutingMiddleware:
    """Lets public reads go to the replica for the length of the request. After
    AuthenticationMiddleware; does nothing unless there is a "replica" database and the
    router is installed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        routed = REPLICA in settings.DATABASES and ROUTER in settings.DATABASE_ROUTERS
        if not routed or not may_read_replica(request):
            return self.get_response(request)
        with replica_reads():
            return self.get_response(request)
