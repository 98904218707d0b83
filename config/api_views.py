"""Base classes for the API's views (apart from config.api, which DRF's settings import)."""

from rest_framework import viewsets

from config.api_caching import ConditionalGetMixin


class ReadOnlyViewSet(ConditionalGetMixin, viewsets.ReadOnlyModelViewSet):
    """List and detail, GET/HEAD/OPTIONS only; writes answer 405 with a JSON message.

    Every list and detail carries ETag / Last-Modified computed from `freshness_fields`
    (default: the rows' own `updated`) and answers a matching If-None-Match with a 304.
    """

    http_method_names = ["get", "head", "options"]
