"""The partner API's shared behaviour: strict query parameters, pagination, errors, links.

Partners build on this API, so a mistake in a request is answered with a 400 that names the
parameter, never silently ignored: unknown parameters, malformed filter values, unknown
ordering fields and page sizes above the cap are all refused.
"""

import re
from functools import lru_cache
from urllib.parse import urlencode

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import slug_re
from django.urls import get_script_prefix, get_urlconf, reverse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters, pagination, serializers
from rest_framework.views import exception_handler as drf_exception_handler

from core.converters import MAX_ID
from core.validators import encode_uri

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
# Page numbers stop where (number - 1) * MAX_PAGE_SIZE still fits an OFFSET with room to spare.
MAX_PAGE_NUMBER = 2**31 - 1
# A whole number as a URL gives it: ASCII digits only (int() would also take " 7", "+7",
# "7_0" and other scripts' digits), at most as many as the largest bigint has.
WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
# strptime's %Y-%m-%d also takes 2024-6-1.
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# What a slug field holds (Django's validate_slug), as an OpenAPI pattern.
SLUG_PATTERN = slug_re.pattern.replace(r"\Z", "$")
# Error codes of a filter value that is well formed but names no record the list can show.
NOT_FOUND_CODES = {"invalid_choice", "unknown", "does_not_exist"}

# Parameters every list understands besides its filters.
COMMON_PARAMETERS = {"ordering", "page", "page_size", "cursor", "format"}


def whole_number(raw, *, maximum):
    """`raw` as an int from 1 to `maximum`, or None if it is anything else."""
    if not WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw)
    return number if 1 <= number <= maximum else None


def _number_parameter(request, query_param, *, maximum, default):
    """A whole-number query parameter from 1 to `maximum`; absent or empty is `default`."""
    raw = request.query_params.get(query_param)
    if raw is None or raw == "":
        return default
    number = whole_number(raw, maximum=maximum)
    if number is None:
        raise exceptions.ValidationError(
            {query_param: [f"Must be a whole number from 1 to {maximum}; got “{raw}”."]}
        )
    return number


def _page_size(request, query_param):
    return _number_parameter(request, query_param, maximum=MAX_PAGE_SIZE, default=DEFAULT_PAGE_SIZE)


def page_number(request, query_param="page"):
    """The requested page number, from 1 to MAX_PAGE_NUMBER (a 400 otherwise), 1 if absent."""
    return _number_parameter(request, query_param, maximum=MAX_PAGE_NUMBER, default=1)


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=N&page_size=M` (M up to 100); a page number past the end is a 404."""

    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    # Only numbers: the schema documents `page` as an integer, so DRF's `page=last` goes.
    last_page_strings = ()

    def get_page_size(self, request):
        return _page_size(request, self.page_size_query_param)

    def get_page_number(self, request, paginator):
        return page_number(request, self.page_query_param)

    def page_rows(self, queryset, request, view=None):
        """(The requested page of `queryset` as a lazy slice, `queryset` for its count), for
        the page's validators (core/api/caching.py). A page number out of range is a 400
        here, before any query."""
        size = self.get_page_size(request)
        number = page_number(request, self.page_query_param)
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
        as a lazy slice, None), for the page's validators (core/api/caching.py): the steps
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


class ReferenceNotFound(exceptions.NotFound):
    """A filter names a record that does not exist or is not public: a 404 like the record's
    own URL, with `errors` naming the parameter. It is not a 400 because the request is well
    formed (the schema cannot know which slugs exist), and not an empty 200, which would hide
    the mistake."""

    def __init__(self, errors):
        self.errors = errors
        names = ", ".join(f"`{name}`" for name in errors)
        super().__init__(f"Nothing matches the value of {names}; see `errors`.")


def raise_for_form_errors(form):
    """The 400 for a filter form with a malformed value (naming every wrong parameter at
    once), else the 404 for values that name nothing."""
    errors = form.errors.as_data()
    messages = {
        name: [m for error in errs for m in error.messages] for name, errs in errors.items()
    }
    if any(
        error.code not in NOT_FOUND_CODES or not _names_records(form, name)
        for name, errs in errors.items()
        for error in errs
    ):
        raise exceptions.ValidationError(messages)
    raise ReferenceNotFound(messages)


def _names_records(form, name):
    # A choice among fixed values (`kind`, `language`) is malformed when wrong; a choice among
    # records (by slug or id) or a provision address names nothing.
    field = form.fields.get(name)
    return isinstance(field, forms.ModelChoiceField) or getattr(field, "names_records", False)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter, refusing parameters that no filter of the resource understands, and
    answering values that name no record with a 404 rather than a 400."""

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
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise_for_form_errors(filterset.form)
        return filterset.qs


class StrictOrderingFilter(filters.OrderingFilter):
    """`?ordering=a,-b` over the view's `ordering_fields`; anything else is a 400."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            # Exactly the schema's list: no spaces, no empty items, one `-` at most.
            fields = params.split(",")
            allowed = {
                name for name, _ in self.get_valid_fields(queryset, view, {"request": request})
            }
            wrong = [field for field in fields if field.removeprefix("-") not in allowed]
            if wrong:
                named = ", ".join(f"“{field}”" for field in wrong)
                raise exceptions.ValidationError(
                    {
                        self.ordering_param: [
                            f"Cannot order by {named}. Allowed: {', '.join(sorted(allowed))} "
                            "(prefix - for descending), separated by commas."
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
    elif isinstance(exc, ReferenceNotFound):
        response.data = {"detail": str(exc.detail), "errors": exc.errors}
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
    """A URL the editors may leave blank, given as null rather than "" (which is no URL).

    Percent-encoded on the way out, so `format: uri` holds even for a row written before the
    models' validators (or around them, by an update() or in SQL)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return encode_uri(value) or None


class SlugChoiceField(django_filters.fields.ModelChoiceField):
    """A record by its slug: a value that cannot be a slug is malformed (a 400) before any
    query; a slug no record has is `invalid_choice` (a 404, see StrictFilterBackend)."""

    default_error_messages = {
        "malformed": "Not a slug (letters, digits, hyphens and underscores): “%(value)s”."
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        # re.search, as the schema's `pattern` is applied: a slug and a final newline is
        # well formed and names nothing.
        if not isinstance(value, str) or not re.search(SLUG_PATTERN, value):
            raise DjangoValidationError(
                self.error_messages["malformed"], code="malformed", params={"value": value}
            )
        return super().to_python(value)


class SlugFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its slug among `queryset`: a malformed slug is a 400, a slug that
    names no record there a 404.

    Documented as a string parameter with the slug pattern, described by its help_text, which
    drf-spectacular cannot infer by itself when the filter works through `method=`.
    """

    field_class = SlugChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": SLUG_PATTERN,
                "description": self.extra.get("help_text", ""),
            }
        )(self)


class IsoDateField(forms.DateField):
    """A date as YYYY-MM-DD exactly (the schema's `format: date`), not Django's other input
    formats (10/25/2006 …), and without the spaces around it that DateField strips."""

    def __init__(self, **kwargs):
        super().__init__(input_formats=["%Y-%m-%d"], **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and not ISO_DATE.fullmatch(str(value)):
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class IdChoiceField(django_filters.fields.ModelChoiceField):
    """A record by its id: anything but a whole number from 1 to MAX_ID is malformed (a 400)
    before any query; an id no record has is `invalid_choice` (a 404)."""

    default_error_messages = {"malformed": f"Must be a whole number from 1 to {MAX_ID}."}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not isinstance(value, str) or whole_number(value, maximum=MAX_ID) is None:
            raise DjangoValidationError(self.error_messages["malformed"], code="malformed")
        return super().to_python(value)


class IdFilter(django_filters.ModelChoiceFilter):
    """A record chosen by its id among `queryset`, documented as an integer in the id range."""

    field_class = IdChoiceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_ID,
                "description": self.extra.get("help_text", ""),
            }
        )(self)
