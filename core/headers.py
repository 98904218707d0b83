"""What SecurityMiddleware does not cover: the canonical host of absolute URLs, and the
Permissions-Policy header.

A tiny middleware rather than django-permissions-policy: the header is one constant string
from a setting, which needs no dependency (and no change to the hash-pinned lock).
"""

from django.conf import settings


class CanonicalHostMiddleware:
    """With CANONICAL_HOST set, every absolute URL the site writes (API `url`s, JSON-LD `@id`s,
    feeds, the sitemap, redirects) names that host, whatever port or alias the request's Host
    header carried: a client cannot get `http://127.0.0.1:6666/…` written into a response that
    a cache then serves to others.

    The Host header is still checked against ALLOWED_HOSTS first (a 400 when it is not
    allowed); only then is it replaced. Empty (the default outside production), the request's
    own host is used, port included, as `runserver` needs.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        canonical = settings.CANONICAL_HOST
        if canonical:
            request.get_host()  # DisallowedHost (a 400) for a host ALLOWED_HOSTS refuses
            request.META["HTTP_HOST"] = canonical
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Send PERMISSIONS_POLICY (feature -> allowed origins; empty: nobody) on every response
    that has none: the site uses no camera, microphone, location or payment, so no page,
    and no script injected into one, may ask for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in settings.PERMISSIONS_POLICY.items()
        )
        if header:
            response.headers.setdefault("Permissions-Policy", header)
        return response
