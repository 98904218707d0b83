"""Caching of public pages and its invalidation: one generation for everything public.

Fragments of public pages (a topic's chart and claims, a treaty's provisions) are cached for
anonymous readers under keys that contain the current *public generation*. Any write that
can change what readers see bumps that generation after its transaction commits
(`schedule_public_purge`), which orphans every cached fragment at once: invalidation is one
cache write, with no list of keys to hunt down. The orphans expire after
PUBLIC_CACHE_SECONDS.

Whole responses of the busiest pages (`public_page`) are kept the same way, so a repeat
anonymous read of a topic page runs no query at all.

So a reader sees a correction on the first request after the commit; if the bump is lost
(the cache was unreachable at that moment), at most PUBLIC_CACHE_SECONDS later. The same
purge then calls the CDN_PURGE_HOOKS, so a CDN in front drops its copies too.

The cache is never load-bearing: when it is unreachable, pages render from the database and
the failure is logged.
"""

import functools
import hashlib
import json
import logging
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

GENERATION_KEY = "gen:public"
# Set on the request once the generation was read (or found unreadable), so a page with
# several fragments asks the cache for it once.
_REQUEST_ATTRIBUTE = "_public_cache_generation"
_UNAVAILABLE = object()


def public_generation():
    """The current public generation, or None when the cache cannot be reached."""
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # A time-based start never repeats a generation an evicted counter once had.
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            generation = cache.get(GENERATION_KEY)
        return generation
    except Exception:
        logger.warning(
            "Public cache unreachable: fragments uncached, generation unknown.", exc_info=True
        )
        return None


def bump_public_generation():
    """Start a new public generation: every fragment cached before is no longer read."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def public_paths():
    """What a write can change, for the CDN purge: exact paths, and prefixes ending in "*"
    (settings.PUBLIC_PATHS, whose URL names are reversed here)."""
    paths = []
    for entry in settings.PUBLIC_PATHS:
        name, star = entry.removesuffix("*"), "*" if entry.endswith("*") else ""
        paths.append(f"{name if name.startswith('/') else reverse(name)}{star}")
    return paths


def purge_public_caches(reason):
    """Drop every cached public page: bump the generation, then call the CDN purge hooks.

    Never raises: a purge that fails is logged, and what it should have dropped expires on
    its own (PUBLIC_CACHE_SECONDS here, the CDN's max-age there).
    """
    try:
        bump_public_generation()
    except Exception:
        logger.error("Could not bump the public cache generation (%s).", reason, exc_info=True)
    else:
        logger.info("Public caches purged (%s).", reason)
    hooks = getattr(settings, "CDN_PURGE_HOOKS", ())
    if not hooks:
        return
    paths = public_paths()
    for dotted_path in hooks:
        try:
            import_string(dotted_path)(paths)
        except Exception:
            logger.error("CDN purge hook %s failed (%s).", dotted_path, reason, exc_info=True)


_pending = threading.local()


def schedule_public_purge(reason):
    """Purge the public caches once the current transaction commits (at once outside one).

    However many records a transaction saves, it purges once: the first of its callbacks
    takes every reason noted so far, the others find nothing left to do.
    """
    reasons = getattr(_pending, "reasons", None)
    if reasons is None:
        reasons = _pending.reasons = []
    reasons.append(reason)
    transaction.on_commit(_purge_pending, robust=True)


def _purge_pending():
    reasons = getattr(_pending, "reasons", None)
    if not reasons:
        return
    _pending.reasons = []
    distinct = list(dict.fromkeys(reasons))
    more = f"; and {len(distinct) - 3} more" if len(distinct) > 3 else ""
    purge_public_caches("; ".join(distinct[:3]) + more)


def create_cache_table(using, **kwargs):
    """After `migrate` (a post_migrate receiver): the table of a database cache, so production
    without REDIS_URL needs no step of its own. Does nothing for other cache backends."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


def post_cdn_purge(paths):
    """A CDN purge hook: POST the paths as a JSON list to CDN_PURGE_URL.

    With CDN_PURGE_TOKEN set it is sent as `Authorization: Bearer <token>`. Gives up after
    CDN_PURGE_TIMEOUT seconds; a failure is logged, never raised into the request.
    """
    url = getattr(settings, "CDN_PURGE_URL", "")
    if not url:
        logger.warning("CDN purge skipped: CDN_PURGE_URL is not set.")
        return
    headers = {"Content-Type": "application/json"}
    token = getattr(settings, "CDN_PURGE_TOKEN", "")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=json.dumps(list(paths)).encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=settings.CDN_PURGE_TIMEOUT) as response:
            response.read()
    except (OSError, ValueError) as error:  # URLError, HTTPError and timeouts are OSErrors
        logger.warning("CDN purge POST to %s failed: %s", url, error)


def fragment_cache_key(request, name, vary_on):
    """The cache key of fragment `name` of this page for an anonymous reader.

    Everything that changes the fragment is in it: the public generation, the language, the
    scheme and host (absolute links), the path, the query string (filters, page, in a fixed
    order) and the caller's `vary_on` values. Returns None when the cache is unreachable.
    """
    generation = getattr(request, _REQUEST_ATTRIBUTE, None)
    if generation is None:
        generation = public_generation()
        setattr(request, _REQUEST_ATTRIBUTE, _UNAVAILABLE if generation is None else generation)
    if generation is _UNAVAILABLE or generation is None:
        return None
    query = sorted(request.GET.lists())
    basis = json.dumps(
        [request.scheme, request.get_host(), request.path, query, [str(v) for v in vary_on]]
    )
    digest = hashlib.sha256(basis.encode()).hexdigest()[:32]
    return f"fragment:{generation}:{name}:{translation.get_language()}:{digest}"


def may_cache_for(request):
    """Whether this request may be served cached fragments: anonymous reads only, so staff
    (who may see previews) and anything personal never enter or leave the cache."""
    if settings.PUBLIC_CACHE_SECONDS <= 0 or request is None:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    user = getattr(request, "user", None)
    return user is None or not user.is_authenticated


def cached_fragment(request, name, vary_on, render, *, keep=None):
    """The fragment `name` from the cache, else `render()` (stored for the next reader, unless
    `keep(rendered)` says otherwise).

    Only for anonymous reads (see may_cache_for); a cache that fails is logged and skipped.
    """
    if not may_cache_for(request):
        return render()
    key = fragment_cache_key(request, name, vary_on)
    if key is None:
        return render()
    try:
        html = cache.get(key)
    except Exception:
        logger.warning("Public cache unreachable; rendering %s uncached.", name, exc_info=True)
        setattr(request, _REQUEST_ATTRIBUTE, _UNAVAILABLE)
        return render()
    if html is not None:
        return html
    html = render()
    if keep is not None and not keep(html):
        return html
    try:
        cache.set(key, html, timeout=settings.PUBLIC_CACHE_SECONDS)
    except Exception:
        logger.warning("Public cache unreachable; %s not stored.", name, exc_info=True)
        setattr(request, _REQUEST_ATTRIBUTE, _UNAVAILABLE)
    return html


def public_page(view):
    """Decorate a public page's view: anonymous readers get the whole response from the cache,
    kept and dropped like the fragments (see `cached_fragment`).

    Only a plain 200 is kept, and never one that set a cookie or used the CSP nonce (the next
    reader's header would carry another). Middleware runs on every response as usual, so the
    security headers and the CSP are never stale.
    """

    name = f"page:{view.__module__}.{view.__qualname__}"

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return cached_fragment(
            request,
            name,
            [args, sorted(kwargs.items())],
            lambda: view(request, *args, **kwargs),
            keep=lambda response: _may_keep(request, response),
        )

    return wrapper


def _may_keep(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not isinstance(getattr(request, "_csp_nonce", None), str)
        and "private" not in response.get("Cache-Control", "")
    )
