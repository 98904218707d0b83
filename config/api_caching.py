"""Conditional GET for the API: ETag and Last-Modified from a few aggregates, never the body.

A list's validators summarise the rows it filters, a detail's the one row, over the view's
`freshness_fields`: ``"updated"`` and the ``__updated`` paths of the rows its serializer
embeds. They are the newest of those stamps and how many rows there are at each to-many hop
(the resource's own rows, their quotes, their topic links …): an edit moves a stamp, a
published, unpublished or deleted row moves a count, so the ETag changes with the data. The
ETag also covers the request's URL (filters, page, cursor) and the negotiated format, each of
which gives another body. Everything comes from one query, so a 304 costs one query and no
serialization.
"""

import datetime
import hashlib
from calendar import timegm
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import DateTimeField, F, Func, IntegerField, Value
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce, Greatest
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions, status
from rest_framework.response import Response

SAFE_METHODS = ("GET", "HEAD")

# Stands in for a missing stamp (a null foreign key) inside GREATEST(), which some databases
# turn to NULL as soon as one argument is NULL.
NO_STAMP = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource no longer matches If-Match / If-Unmodified-Since."
    default_code = "precondition_failed"


@dataclass(frozen=True)
class Freshness:
    """What the validators are made of: per group of paths, the newest stamp and a row count.

    The first group is the resource's own rows (with their to-one relations), so its count
    is the number of rows; each further group is one to-many relation and what hangs off it.
    """

    stamps: tuple  # ((newest datetime or None, row count), ...)

    @property
    def count(self):
        return self.stamps[0][1]

    @property
    def last_modified(self):
        newest = [stamp for stamp, _ in self.stamps if stamp is not None]
        return max(newest) if newest else None

    def token(self):
        return ";".join(
            f"{stamp.isoformat() if stamp is not None else '-'}/{count}"
            for stamp, count in self.stamps
        )


def _group_of(model, path):
    """`path` up to its last to-many hop ("" when it has none), after checking the path."""
    *relations, field_name = path.split(LOOKUP_SEP)
    opts, group = model._meta, 0
    try:
        for depth, name in enumerate(relations, start=1):
            relation = opts.get_field(name)
            if relation.one_to_many or relation.many_to_many:
                group = depth
            opts = relation.related_model._meta
        field = opts.get_field(field_name)
    except Exception as error:  # FieldDoesNotExist, or a plain field used as a relation
        raise ImproperlyConfigured(
            f"freshness_fields: {path!r} is not a field path of {model.__name__}."
        ) from error
    if not isinstance(field, DateTimeField):
        raise ImproperlyConfigured(f"freshness_fields: {path!r} is not a DateTimeField.")
    return LOOKUP_SEP.join(relations[:group])


def _newest(paths):
    if len(paths) == 1:
        return F(paths[0])
    return Greatest(*(Coalesce(F(path), Value(NO_STAMP)) for path in paths))


def freshness(queryset, paths):
    """The newest stamp and the row count of each to-many group of `paths` over `queryset`.

    One query: a UNION ALL of one aggregate per group, each over the same rows picked by
    primary key. Within a group every join after the to-many one is to-one, so no group
    multiplies the rows of another, and a deleted embedded row changes its group's count.
    """
    model = queryset.model
    groups = {"": []}
    for path in paths:
        groups.setdefault(_group_of(model, path), []).append(path)
    rows = model._base_manager.filter(pk__in=queryset.values("pk")).order_by()
    parts = [
        rows.values(
            part=Value(index, output_field=IntegerField()),
            newest=Func(_newest(group_paths), function="MAX", output_field=DateTimeField())
            if group_paths
            else Value(None, output_field=DateTimeField()),
            rows=Func(
                F(f"{group}{LOOKUP_SEP}pk" if group else "pk"),
                function="COUNT",
                output_field=IntegerField(),
            ),
        )
        for index, (group, group_paths) in enumerate(groups.items())
    ]
    found = {
        row["part"]: (None if row["newest"] == NO_STAMP else row["newest"], row["rows"])
        for row in parts[0].union(*parts[1:], all=True)
    }
    # A part the database never ran (an empty queryset) has no rows to summarise.
    return Freshness(tuple(found.get(index, (None, 0)) for index in range(len(groups))))


def check_freshness_fields(view):
    paths = tuple(view.freshness_fields)
    if not paths:
        raise ImproperlyConfigured(f"{type(view).__name__}.freshness_fields is empty.")
    return paths


class Validators:
    """The ETag and Last-Modified of one response, and the 304 they allow."""

    def __init__(self, request, fresh):
        self.fresh = fresh
        basis = "|".join(
            [
                str(settings.API_CACHE_VERSION),
                request.build_absolute_uri(),
                request.accepted_media_type or "",
                fresh.token(),
            ]
        )
        self.etag = f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:40]}"'
        newest = fresh.last_modified
        self.last_modified = int(timegm(newest.utctimetuple())) if newest else None

    def not_modified(self, request):
        """A 304 when the request's validators still match, else None (412 on If-Match)."""
        response = get_conditional_response(
            request, etag=self.etag, last_modified=self.last_modified
        )
        if response is None:
            return None
        if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            raise PreconditionFailed()
        return self.apply(response)

    def apply(self, response):
        if response.status_code in (status.HTTP_200_OK, status.HTTP_304_NOT_MODIFIED):
            response["ETag"] = self.etag
            if self.last_modified is not None:
                response["Last-Modified"] = http_date(self.last_modified)
        return response


def add_cache_headers(request, response):
    """Cache-Control for a successful read (public when anonymous, private with a key), Vary."""
    patch_vary_headers(response, ["Accept", "Authorization", "Origin"])
    if request.method not in SAFE_METHODS or response.status_code not in (200, 304):
        return response
    max_age = settings.API_CACHE_MAX_AGE
    if getattr(request, "auth", None) is None:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, max_age=max_age)
    return response


class ConditionalGetMixin:
    """ETag / Last-Modified / 304 for `list` and `retrieve` of a generic viewset."""

    # The model's own stamp first, then the `__updated` paths of embedded rows.
    freshness_fields = ("updated",)

    def validators_for(self, queryset):
        """The validators of a response made of `queryset`'s rows (one query).

        For views of their own (an export, say): return `validators.not_modified(request)`
        when it is not None, else `validators.apply(response)`.
        """
        return Validators(self.request, freshness(queryset, check_freshness_fields(self)))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        validators = self.validators_for(queryset)
        not_modified = validators.not_modified(request)
        if not_modified is not None:
            return not_modified
        page = self.paginate_queryset(queryset)
        if page is not None:
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        else:
            response = Response(self.get_serializer(queryset, many=True).data)
        return validators.apply(response)

    def retrieve(self, request, *args, **kwargs):
        validators = self._detail_validators()
        if validators is not None:
            not_modified = validators.not_modified(request)
            if not_modified is not None:
                return not_modified
        response = super().retrieve(request, *args, **kwargs)
        return validators.apply(response) if validators is not None else response

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return add_cache_headers(request, response)

    def _detail_validators(self):
        """The one row's validators, or None when the lookup cannot match (get_object 404s)."""
        lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
        if lookup_url_kwarg not in self.kwargs:  # a view with a lookup of its own
            return None
        lookup = {self.lookup_field: self.kwargs[lookup_url_kwarg]}
        try:
            row = self.filter_queryset(self.get_queryset()).filter(**lookup)
        except (TypeError, ValueError, ValidationError):
            return None
        validators = self.validators_for(row)
        return validators if validators.fresh.count else None
