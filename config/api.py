"""The partner API's shared behaviour: strict query parameters, pagination, errors, links.

Partners build on this API, so a mistake in a request is answered with a 400 that names the
parameter, never silently ignored: unknown parameters, malformed filter values, unknown
ordering fields and page sizes above the cap are all refused.
"""

from urllib.parse import urlencode

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

# Parameters every list understands besides its filters.
COMMON_PARAMETERS = {"ordering", "page", "page_size", "cursor", "format"}


def _page_size(request, query_param):
    raw = request.query_params.get(query_param)
    if raw is None or raw == "":
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise exceptions.ValidationError(
            {query_param: [f"Must be a whole number from 1 to {MAX_PAGE_SIZE}, not “{raw}”."]}
        ) from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise exceptions.ValidationError(
            {query_param: [f"Must be from 1 to {MAX_PAGE_SIZE}; got {size}."]}
        )
    return size


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (M up to 100); a page number past the end is a 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param)


class CursorPagination(pagination.CursorPagination):
    """Opaque `?cursor=` links that stay stable while new rows arrive; `page_size` up to 100."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param)

    def paginate_queryset(self, queryset, request, view=None):
        # A cursor is opaque but not signed: a tampered one, or one made for another
        # ordering, holds a position the database cannot compare. That is the client's error.
        try:
            return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, DjangoValidationError):
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        "Invalid cursor: use the `next`/`previous` links as given, with the "
                        "same `ordering` and filters."
                    ]
                }
            ) from None


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing parameters that no filter of the resource understands."""

    def filter_queryset(self, request, queryset, view):
        known = set(COMMON_PARAMETERS) | set(getattr(view, "extra_query_parameters", ()))
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise exceptions.ValidationError(
                {
                    name: [f"Unknown parameter. Known parameters: {', '.join(sorted(known))}."]
                    for name in unknown
                }
            )
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=a,-b` over the view's `ordering_fields`; anything else is a 400."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            wrong = [field for field in fields if field.lstrip("-") not in allowed]
            if wrong or not fields:
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            f"Cannot order by {', '.join(wrong) or 'nothing'}. "
                            f"Allowed: {', '.join(sorted(allowed))} (prefix - for descending)."
                        ]
                    }
                )
            return [*fields, *self.tiebreaker(view, fields)]
        return self.get_default_ordering(view)

    @staticmethod
    def tiebreaker(view, fields):
        # A unique last key keeps pages stable when the chosen field has ties.
        return [] if any(f.lstrip("-") in {"id", "pk"} for f in fields) else ["-id"]


def exception_handler(exc, context):
    """DRF's errors, always as JSON with a `detail` sentence; validation errors also `errors`."""
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": "The request has invalid parameters; see `errors`.",
            "errors": response.data,
        }
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": response.data}
    return response


@extend_schema_field(OpenApiTypes.URI)
class HtmlUrlField(serializers.Field):
    """The absolute URL of the object's public page (its get_absolute_url)."""

    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = obj.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_field(OpenApiTypes.URI)
class ListLinkField(serializers.Field):
    """The absolute URL of an API list filtered to this object, e.g. /api/v1/claims/?expert=<slug>.

    How a summary links a collection too large to embed.
    """

    def __init__(self, view_name, parameter, **kwargs):
        self.view_name = view_name
        self.parameter = parameter
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        url = f"{reverse(self.view_name)}?{urlencode({self.parameter: obj.slug})}"
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class OptionalUrlField(serializers.URLField):
    """A URL the editors may leave blank, given as null rather than "" (which is no URL)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return value or None


class SlugFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug among `queryset`; an unknown slug is a 400.

    Documented as a string parameter described by its help_text, which drf-spectacular cannot
    infer by itself when the filter works through `method=`.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        extend_schema_field({"type": "string", "description": self.extra.get("help_text", "")})(
            self
        )
