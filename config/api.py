"""The partner API's shared behaviour: strict query parameters, pagination, errors, links.

Partners build on this API, so a mistake in a request is answered with a 400 that names the
parameter, never silently ignored: unknown parameters, malformed filter values, unknown
ordering fields and page sizes above the cap are all refused.
"""

import re
from functools import lru_cache
from urllib.parse import urlencode

import django_filters
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import get_script_prefix, get_urlconf, reverse
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

    def page_rows(self, queryset, request, view=None):
        """(The requested page of `queryset` as a lazy slice, `queryset` for its count), for
        the page's validators (config/api_caching.py). A page that paginate_queryset will
        refuse (404) has no rows; the last page by name (`last`) is every row."""
        size = self.get_page_size(request)
        number = request.query_params.get(self.page_query_param) or 1
        if number in self.last_page_strings:
            return queryset, queryset
        try:
            number = int(number)
        except ValueError:
            return queryset.none(), None
        if number < 1:
            return queryset.none(), None
        return queryset[(number - 1) * size : number * size], queryset


class CursorPagination(pagination.CursorPagination):
    """Opaque `?cursor=` links that stay stable while new rows arrive; `page_size` up to 100."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = "-id"

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param)

    def page_rows(self, queryset, request, view=None):
        """(The requested page of `queryset` and the row after it, which sets the `next` link,
        as a lazy slice, None), for the page's validators (config/api_caching.py): the steps
        of paginate_queryset, short of running the query. A cursor it will refuse has no rows.
        """
        size = self.get_page_size(request)
        ordering = self.get_ordering(request, queryset, view)
        try:
            cursor = self.decode_cursor(request)
        except exceptions.NotFound:
            return queryset.none(), None
        offset, reverse, position = cursor if cursor is not None else (0, False, None)
        if reverse:
            queryset = queryset.order_by(
                *(key[1:] if key.startswith("-") else f"-{key}" for key in ordering)
            )
        else:
            queryset = queryset.order_by(*ordering)
        if position is not None:
            key = ordering[0]
            lookup = "lt" if reverse != key.startswith("-") else "gt"
            try:
                queryset = queryset.filter(**{f"{key.lstrip('-')}__{lookup}": position})
            except (ValueError, TypeError, DjangoValidationError):
                return queryset.none(), None
        return queryset[offset : offset + size + 1], None

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


# Stands for the looked-up value in a reversed route: digits, so any converter accepts it.
_PLACEHOLDER = "7300519460021"
# Values that reverse() would put in the path unchanged; anything else takes reverse() itself.
_PLAIN_SEGMENT = re.compile(r"[-A-Za-z0-9_]+")


@lru_cache(maxsize=256)
def _route(view_name, kwarg, urlconf, script_prefix):
    return reverse(view_name, kwargs={kwarg: _PLACEHOLDER}, urlconf=urlconf)


class RouteTemplateMixin:
    """Hyperlinks from the route reversed once (per view, URLconf and script prefix) with a
    placeholder for the looked-up value, rather than from reverse() per object: a page of 50
    claims links some 370 objects, and reverse() was a quarter of its serialization time."""

    def get_url(self, obj, view_name, request, format):
        if format or getattr(request, "versioning_scheme", None) is not None:
            return super().get_url(obj, view_name, request, format)
        if hasattr(obj, "pk") and obj.pk in (None, ""):
            return None
        value = str(getattr(obj, self.lookup_field))
        if not _PLAIN_SEGMENT.fullmatch(value):
            return super().get_url(obj, view_name, request, format)
        urlconf = get_urlconf() or settings.ROOT_URLCONF
        route = _route(view_name, self.lookup_url_kwarg, urlconf, get_script_prefix())
        url = route.replace(_PLACEHOLDER, value)
        return request.build_absolute_uri(url) if request is not None else url


class IdentityLinkField(RouteTemplateMixin, serializers.HyperlinkedIdentityField):
    """HyperlinkedIdentityField, faster (RouteTemplateMixin)."""


class RelatedLinkField(RouteTemplateMixin, serializers.HyperlinkedRelatedField):
    """HyperlinkedRelatedField, faster (RouteTemplateMixin)."""


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
