"""Conditional GET for the API: ETag and Last-Modified from a few aggregates, never the body.

A list's validators summarise the rows of the page it answers (and the row after it, which
sets the `next` link), a detail's the one row, over the view's `freshness_fields`:
``"updated"`` and the ``__updated`` paths of the rows its serializer embeds. They are the
newest of those stamps and how many rows there are at each to-many hop (the resource's own
rows, their quotes, their topic links …): an edit moves a stamp, a published, unpublished or
deleted row moves a count, and a row that leaves a page for another moves the sum of the
page's keys, so the ETag changes with the data. Only rows the response shows count: the
view's `freshness_shown` names, per relation, the condition under which its serializer shows
a related row (a topic's published claims, an outlet's published articles), so saving a
draft moves neither a stamp nor a count of a public response. Summarising the page rather
than every row the filters match keeps a list's validators as cheap on a million rows as on
a hundred; a page-number list adds the filtered rows' count, which its body shows. The
ETag also covers the request's URL (filters, page, cursor) and the negotiated format, each
of which gives another body, and the public cache generation (core/cache.py), which every
write that can change what readers see bumps (core/services.py). Everything comes from
one query, so a 304 costs one query and no serialization.

Lists also keep their anonymous JSON responses in the cache for as long as the API's
Cache-Control lets any proxy keep them (API_CACHE_MAX_AGE, and at most PUBLIC_CACHE_SECONDS;
0 turns this off), under a key holding the URL, the format and the public generation: the app
is its own shared cache, never staler than a CDN in front of it may be, and emptied by the
same publish or edit. A repeat request then costs no query at all, a 304 included.
"""

import datetime
import hashlib
import logging
from calendar import timegm
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db.models import Case, DateTimeField, F, Func, IntegerField, Value, When
from django.db.models.constants import LOOKUP_SEP
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.cache import public_generation

logger = logging.getLogger(__name__)

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
    # For a page: the sum of the primary keys at each group, then the count of every row the
    # filters match (page-number lists), each None when not asked for.
    keys: tuple = ()

    @property
    def count(self):
        return self.stamps[0][1]

    @property
    def last_modified(self):
        newest = [stamp for stamp, _ in self.stamps if stamp is not None]
        return max(newest) if newest else None

    def token(self):
        stamps = ";".join(
            f"{stamp.isoformat() if stamp is not None else '-'}/{count}"
            for stamp, count in self.stamps
        )
        return f"{stamps};{','.join('-' if key is None else str(key) for key in self.keys)}"


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


def _relation_of(path):
    return LOOKUP_SEP.join(path.split(LOOKUP_SEP)[:-1])


def _condition(shown, relation):
    """The condition under which rows at `relation` are shown: the one given for the longest
    prefix of it in `shown` (a quote's claim is shown when the quote is), or None (always)."""
    names = relation.split(LOOKUP_SEP) if relation else []
    for end in range(len(names), 0, -1):
        condition = shown.get(LOOKUP_SEP.join(names[:end]))
        if condition is not None:
            return condition
    return None


def _check_shown(model, paths, shown):
    relations = {_relation_of(path) for path in paths}
    for relation in shown:
        if not any(r == relation or r.startswith(relation + LOOKUP_SEP) for r in relations):
            raise ImproperlyConfigured(
                f"freshness_shown: {relation!r} is not a relation of the freshness_fields "
                f"of {model.__name__}."
            )


def _if_shown(expression, condition, output_field):
    if condition is None:
        return expression
    return Case(When(condition, then=expression), default=None, output_field=output_field)


def _newest(paths, shown):
    stamps = [
        _if_shown(F(path), _condition(shown, _relation_of(path)), DateTimeField()) for path in paths
    ]
    if len(stamps) == 1:
        return stamps[0]
    return Greatest(*(Coalesce(stamp, Value(NO_STAMP)) for stamp in stamps))


def freshness(queryset, paths, *, shown=None, page=False, total=None):
    """The newest stamp and the row count of each to-many group of `paths` over `queryset`.

    One query: a UNION ALL of one aggregate per group, each over the same rows picked by
    primary key. Within a group every join after the to-many one is to-one, so no group
    multiplies the rows of another, and a deleted embedded row changes its group's count.

    `shown` maps a relation path (``"claim_links"``) to a Q over `queryset`'s model that holds
    for the related rows the response shows (``public_q("claim_links__claim__")``); rows it
    does not hold for count in no stamp, count or key sum, so a draft that the response
    cannot show leaves its validators alone. A path under a relation without an entry takes
    the entry of its longest prefix that has one (a quote's article is shown with the quote).

    For one page of a list (`queryset` sliced to it), `page=True` also sums the primary keys
    at each group, since a row swapped for an older one changes no count and no newest stamp;
    `total` (the unsliced queryset) adds its row count, for lists whose body shows it.
    """
    model = queryset.model
    shown = dict(shown or {})
    groups = {"": []}
    for path in paths:
        groups.setdefault(_group_of(model, path), []).append(path)
    _check_shown(model, paths, shown)
    rows = model._base_manager.filter(pk__in=queryset.values("pk")).order_by()

    def group_key(group):
        key = F(f"{group}{LOOKUP_SEP}pk" if group else "pk")
        return _if_shown(key, _condition(shown, group), IntegerField())

    def key_sum(group):
        if not page:
            return Value(None, output_field=IntegerField())
        return Func(group_key(group), function="SUM", output_field=IntegerField())

    parts = [
        rows.values(
            part=Value(index, output_field=IntegerField()),
            newest=Func(_newest(group_paths, shown), function="MAX", output_field=DateTimeField())
            if group_paths
            else Value(None, output_field=DateTimeField()),
            rows=Func(group_key(group), function="COUNT", output_field=IntegerField()),
            keys=key_sum(group),
        )
        for index, (group, group_paths) in enumerate(groups.items())
    ]
    if total is not None:
        parts.append(
            model._base_manager.filter(pk__in=total.values("pk"))
            .order_by()
            .values(
                part=Value(len(groups), output_field=IntegerField()),
                newest=Value(None, output_field=DateTimeField()),
                rows=Func(F("pk"), function="COUNT", output_field=IntegerField()),
                keys=Value(None, output_field=IntegerField()),
            )
        )
    found = {row["part"]: row for row in parts[0].union(*parts[1:], all=True)}
    # A part the database never ran (an empty queryset) has no rows to summarise.
    empty = {"newest": None, "rows": 0, "keys": None}
    results = [found.get(index, empty) for index in range(len(parts))]
    stamps = tuple(
        (None if row["newest"] == NO_STAMP else row["newest"], row["rows"])
        for row in results[: len(groups)]
    )
    keys = ()
    if page:
        keys += tuple(row["keys"] for row in results[: len(groups)])
    if total is not None:
        keys += (results[-1]["rows"],)
    return Freshness(stamps, keys)


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
                # Bumped by every publish or edit (core/cache.py): a purge changes every ETag,
                # even where the stamps and counts below cannot see the change.
                str(public_generation()),
                request.build_absolute_uri(),
                request.accepted_media_type or "",
                fresh.token(),
            ]
        )
        self.etag = f'W/"{hashlib.sha256(basis.encode()).hexdigest()[:40]}"'
        newest = fresh.last_modified
        self.last_modified = int(timegm(newest.utctimetuple())) if newest else None

    @classmethod
    def kept(cls, etag, last_modified):
        """The validators stored with a cached response (no query)."""
        validators = cls.__new__(cls)
        validators.fresh, validators.etag, validators.last_modified = None, etag, last_modified
        return validators

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


def shared_cache_seconds():
    return min(settings.API_CACHE_MAX_AGE, settings.PUBLIC_CACHE_SECONDS)


def shared_cache_key(request):
    """This response's key in the app's shared cache, or None when a proxy could not keep it
    either (not an anonymous GET, not JSON) or the cache is off or unreachable."""
    if shared_cache_seconds() <= 0 or request.method not in SAFE_METHODS:
        return None
    if getattr(request, "auth", None) is not None:
        return None
    # The browsable API's page carries the reader's CSRF token and login: never shared.
    if not isinstance(getattr(request, "accepted_renderer", None), JSONRenderer):
        return None
    generation = public_generation()
    if generation is None:
        return None
    basis = "|".join(
        [
            str(settings.API_CACHE_VERSION),
            str(generation),
            request.build_absolute_uri(),
            request.accepted_media_type or "",
        ]
    )
    return f"api-response:{hashlib.sha256(basis.encode()).hexdigest()[:40]}"


def from_shared_cache(key):
    """(response, its validators) kept under `key`, or None."""
    if key is None:
        return None
    try:
        kept = cache.get(key)
    except Exception:
        logger.warning("Cache unreachable; answering the API uncached.", exc_info=True)
        return None
    if kept is None:
        return None
    response = HttpResponse(kept["content"], content_type=kept["content_type"])
    return response, Validators.kept(kept["etag"], kept["last_modified"])


def keep_in_shared_cache(key, validators, response):
    """A post-render callback: keep a rendered 200 under `key`."""
    if response.status_code != status.HTTP_200_OK:
        return
    kept = {
        "content": response.content,
        "content_type": response["Content-Type"],
        "etag": validators.etag,
        "last_modified": validators.last_modified,
    }
    try:
        cache.set(key, kept, timeout=shared_cache_seconds())
    except Exception:
        logger.warning("Cache unreachable; an API response was not kept.", exc_info=True)


class ConditionalGetMixin:
    """ETag / Last-Modified / 304 for `list` and `retrieve` of a generic viewset."""

    # The model's own stamp first, then the `__updated` paths of embedded rows.
    freshness_fields = ("updated",)
    # Relation path -> Q over the model: the related rows the serializer shows (see freshness()).
    freshness_shown = {}

    def validators_for(self, queryset):
        """The validators of a response made of `queryset`'s rows (one query).

        For views of their own (an export, say): return `validators.not_modified(request)`
        when it is not None, else `validators.apply(response)`.
        """
        fresh = freshness(queryset, check_freshness_fields(self), shown=self.freshness_shown)
        return Validators(self.request, fresh)

    def page_validators_for(self, queryset):
        """The validators of the requested page of `queryset` (one query), when the paginator
        can name the page's rows without running a query (`page_rows`); else of every row."""
        page_rows = getattr(self.paginator, "page_rows", None)
        if page_rows is None:
            return self.validators_for(queryset)
        rows, total = page_rows(queryset, self.request, view=self)
        fresh = freshness(
            rows, check_freshness_fields(self), shown=self.freshness_shown, page=True, total=total
        )
        return Validators(self.request, fresh)

    def list(self, request, *args, **kwargs):
        key = shared_cache_key(request)
        kept = from_shared_cache(key)
        if kept is not None:
            response, validators = kept
            return validators.not_modified(request) or validators.apply(response)
        queryset = self.filter_queryset(self.get_queryset())
        validators = self.page_validators_for(queryset)
        not_modified = validators.not_modified(request)
        if not_modified is not None:
            return not_modified
        page = self.paginate_queryset(queryset)
        if page is not None:
            response = self.get_paginated_response(self.get_serializer(page, many=True).data)
        else:
            response = Response(self.get_serializer(queryset, many=True).data)
        if key is not None:
            response.add_post_render_callback(partial(keep_in_shared_cache, key, validators))
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
