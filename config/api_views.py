"""Base classes for the API's views (apart from config.api, which DRF's settings import)."""

from rest_framework import viewsets


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List and detail, GET/HEAD/OPTIONS only; writes answer 405 with a JSON message."""

    http_method_names = ["get", "head", "options"]
