"""Who may read the API and how fast: partner keys, throttles, the read-only rule.

Anyone may read anonymously at a low rate per IP address; a partner sends
`Authorization: Api-Key <key>` (a core.PartnerKey created by an editor) and reads at the
key's own, higher rate. A key that is unknown, revoked or expired is refused with a 401
rather than silently read as anonymous, so a partner notices at once.
"""

from datetime import UTC

from django.contrib.auth.models import AnonymousUser
from rest_framework import exceptions, permissions, throttling
from rest_framework.authentication import BaseAuthentication
from rest_framework.settings import api_settings

KEYWORD = "Api-Key"


class PartnerKeyAuthentication(BaseAuthentication):
    """`Authorization: Api-Key <key>`: request.auth is the PartnerKey, request.user anonymous.

    No header reads anonymously; any other Authorization header is a 401.
    """

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        keyword, _, key = header.partition(" ")
        key = key.strip()
        if keyword.lower() != KEYWORD.lower() or not key or " " in key:
            raise exceptions.AuthenticationFailed(
                f"Malformed Authorization header: send `{KEYWORD} <key>`, or no header at all "
                "to read anonymously."
            )
        return AnonymousUser(), self.partner_key(key)

    def authenticate_header(self, request):
        # Makes DRF answer a refused key with 401 (not 403) and say how to authenticate.
        return KEYWORD

    @staticmethod
    def partner_key(key):
        # Imported here: DRF loads this module from its settings, possibly before the apps.
        from core.api.keys import PartnerKey

        prefix, _, _ = key.partition(".")
        partner_key = PartnerKey.objects.filter(prefix=prefix).order_by().first()
        # Only the holder of the real key learns whether it was revoked or has expired.
        if partner_key is None or not partner_key.is_valid(key):
            raise exceptions.AuthenticationFailed("Unknown API key.")
        if partner_key.revoked:
            raise exceptions.AuthenticationFailed("This API key has been revoked.")
        if partner_key.has_expired:
            expired = partner_key.expiry_date.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
            raise exceptions.AuthenticationFailed(f"This API key expired on {expired}.")
        return partner_key


def partner_key_of(request):
    """The PartnerKey the request authenticated with, or None when it is anonymous."""
    from core.api.keys import PartnerKey

    return request.auth if isinstance(request.auth, PartnerKey) else None


class ReadOnly(permissions.BasePermission):
    """Partners read; any other method is a 405 (not a 403) whoever asks."""

    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        raise exceptions.MethodNotAllowed(
            request.method, detail=f"Method “{request.method}” not allowed: the API is read-only."
        )


class SettingsRateThrottle(throttling.SimpleRateThrottle):
    """Reads its rate from the settings at each request, not once at import."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]


class AnonymousRateThrottle(SettingsRateThrottle):
    """Requests without a key: `anon` rate per client IP address."""

    scope = "anon"

    def get_cache_key(self, request, view):
        if partner_key_of(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PartnerKeyRateThrottle(SettingsRateThrottle):
    """Requests with a key: the key's own rate, else the `partner` rate, counted per key."""

    scope = "partner"

    def allow_request(self, request, view):
        partner_key = partner_key_of(request)
        if partner_key is None:
            return True
        if partner_key.throttle_rate:
            self.rate = partner_key.throttle_rate
            self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": partner_key_of(request).prefix}


class PartnerKeyRequired(permissions.BasePermission):
    """Only requests with a partner key; anonymous ones get a 401 that says how to read."""

    message = (
        "The export is for partners: send `Authorization: Api-Key <key>` (editors issue "
        "keys). Without a key, page through the claims list, /api/v1/claims/."
    )

    def has_permission(self, request, view):
        if partner_key_of(request) is None:
            # DRF's own refusal of the anonymous would say only "credentials were not provided".
            raise exceptions.NotAuthenticated(self.message)
        return True
