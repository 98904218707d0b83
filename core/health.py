"""Probes for the load balancer and the orchestrator.

/healthz answers as long as the process serves requests (liveness: restart it if not);
/readyz also checks the database and the cache (readiness: send it traffic only if they work).
Neither is ever cached, and both are exempt from the HTTPS redirect (SECURE_REDIRECT_EXEMPT).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
FAILED = "unavailable"


@never_cache
@require_safe
def healthz(request):
    """200 "ok" without touching the database or the cache."""
    return HttpResponse(OK, content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def readyz(request):
    """200 {"database": "ok", "cache": "ok"}, or 503 naming the part that failed."""
    checks = {"database": check_database(), "cache": check_cache()}
    healthy = all(result == OK for result in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def check_database():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Whatever the driver raises, the probe answers; the log says why.
        logger.warning("Readiness check: the database is unavailable", exc_info=True)
        return FAILED
    return OK


def check_cache():
    key = f"readyz:{uuid.uuid4().hex}"
    try:
        cache.set(key, OK, timeout=10)
        works = cache.get(key) == OK
        cache.delete(key)
    except Exception:
        logger.warning("Readiness check: the cache is unavailable", exc_info=True)
        return FAILED
    if not works:
        logger.warning("Readiness check: the cache did not return the value just stored")
        return FAILED
    return OK
