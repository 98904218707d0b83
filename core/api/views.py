"""Base classes for the API's views (apart from core.api.common, which DRF's settings import)."""

from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import viewsets

from core.api.caching import ConditionalGetMixin


class ReadOnlyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail, GET/HEAD/OPTIONS only; writes answer 405 with a JSON message.

    Every list and detail carries ETag / Last-Modified computed from `freshness_fields`
    (default: the rows' own `updated`) and answers a matching If-None-Match with a 304.
    """

    http_method_names = ["get", "head", "options"]


class SwaggerView(SpectacularSwaggerView):
    """Swagger UI under the site's Cross-Origin-Opener-Policy (same-origin).

    drf-spectacular sends `unsafe-none` so Swagger UI's OAuth2 login popup can report back;
    the API takes keys, not OAuth2, so there is no popup, and the header is left to
    SecurityMiddleware like on every other page.
    """

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        del response["Cross-Origin-Opener-Policy"]
        return response
