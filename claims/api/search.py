"""/api/v1/search/: the site search for partners.

The same engine, ranking and facets as the /search/ page (claims/search/), as JSON: ranked
hits of every kind with a highlighted snippet, the counts by facet and numbered pages. Like
every list of this API it refuses what it cannot use (an unknown parameter, a year out of
range) with a 400 naming the parameter, and a topic or outlet slug that names nothing with a
404 naming it.
"""

import html
import re

from django.urls import reverse
from django.utils.html import strip_tags
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Language, Outlet
from claims.api.filters import SEARCH_SYNTAX
from claims.models import SearchEntry, Topic
from claims.search import results as search
from core.api.caching import add_cache_headers
from core.api.common import NOT_FOUND_CODES, SLUG_PATTERN, ReferenceNotFound

Kind = SearchEntry.Kind
# Filter parameters (also the keys of `facets`) and the engine's names for them.
FACET_PARAMETERS = {
    "type": "kind",
    "topic": "topic",
    "outlet": "outlet",
    "language": "language",
    "year": "year",
}
# `format` is DRF's own (json, or api for the browsable API).
KNOWN_PARAMETERS = {"q", *FACET_PARAMETERS, "page", "format"}
# For a `q` of spaces or invisible characters only, which the engine's cleaning empties.
NOTHING_TO_SEARCH = "Nothing to search for: the query has no visible characters."
API_DETAIL = {
    Kind.EXPERT: "api:expert-detail",
    Kind.CLAIM: "api:claim-detail",
    Kind.ARTICLE: "api:article-detail",
    Kind.PROVISION: "api:provision-detail",
    Kind.TOPIC: "api:topic-detail",
    Kind.TREATY: "api:treaty-detail",
}


def no_slug(what):
    return {"does_not_exist": f"No {what} has the slug “{{value}}”."}


@extend_schema_field({"type": "string", "pattern": SLUG_PATTERN})
class SlugField(serializers.SlugRelatedField):
    """A record by its slug: a value that cannot be a slug is malformed (a 400) before any
    query; a slug no record has is `does_not_exist` (a 404, see SearchView.get)."""

    default_error_messages = {
        "malformed": "Not a slug (letters, digits, hyphens and underscores): “{value}”."
    }

    def to_internal_value(self, data):
        # re.search, as the schema's `pattern` is applied (a final newline names nothing).
        if not isinstance(data, str) or not re.search(SLUG_PATTERN, data):
            self.fail("malformed", value=str(data))
        return super().to_internal_value(data)


class SearchParametersSerializer(serializers.Serializer):
    """The query parameters of /api/v1/search/ (read, never written)."""

    q = serializers.CharField(
        help_text=f"The text to search for. {SEARCH_SYNTAX}",
        # Spaces alone are something typed, answered like other text with nothing to search
        # for (no hits and a `message`); only a missing or empty `q` is refused.
        trim_whitespace=False,
        error_messages={
            "required": "Required: the text to search for.",
            "blank": "Empty: give the text to search for.",
        },
    )
    type = serializers.ChoiceField(
        choices=Kind.choices,
        required=False,
        help_text="Only hits of this type; the `type` facet still counts every type.",
    )
    topic = SlugField(
        slug_field="slug",
        queryset=Topic.objects.all(),
        required=False,
        error_messages=no_slug("topic"),
        help_text="Topic slug, e.g. `china-role`: hits filed under the topic (claims on it, "
        "articles filed under it, experts with published claims on it, the topic itself).",
    )
    outlet = SlugField(
        slug_field="slug",
        queryset=Outlet.objects.all(),
        required=False,
        error_messages=no_slug("outlet"),
        help_text="Outlet slug, e.g. `24-channel`: its articles and the claims first quoted in "
        "them.",
    )
    language = serializers.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="Hits in this language (articles, and claims by their quotes' language).",
    )
    year = serializers.IntegerField(
        min_value=1900,
        max_value=2100,
        required=False,
        help_text="Hits of this year: an article's publication, a claim's date, a treaty's "
        "signature.",
    )
    page = serializers.IntegerField(
        min_value=1,
        max_value=search.MAX_PAGE,
        required=False,
        help_text=f"Page number, from 1 ({search.PER_PAGE} hits a page, at most "
        f"{search.MAX_PAGE} pages); past the last page is a 404.",
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="Send it as the facet's parameter to filter by it.")
    label = serializers.CharField(help_text="What readers see, e.g. the topic's title.")
    count = serializers.IntegerField(help_text="Matching hits with this value.")
    selected = serializers.BooleanField(help_text="Whether the request filters by this value.")


class SearchFacetsSerializer(serializers.Serializer):
    type = FacetValueSerializer(
        many=True, help_text="Hits by type; these counts ignore the `type` filter."
    )
    topic = FacetValueSerializer(many=True, help_text="Hits by topic (value: slug).")
    outlet = FacetValueSerializer(many=True, help_text="Hits by outlet (value: slug).")
    language = FacetValueSerializer(many=True, help_text="Hits by language.")
    year = FacetValueSerializer(many=True, help_text="Hits by year, latest first.")


class SearchHitSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=Kind.choices)
    id = serializers.IntegerField(help_text="The record's id in its own endpoint.")
    rank = serializers.FloatField(
        help_text="Relevance; higher is better. Compare within one response only."
    )
    title = serializers.CharField(help_text="Plain text.")
    snippet = serializers.CharField(
        help_text="A passage with the matched words in `<mark>` elements; HTML-escaped, so it "
        "can be inserted as HTML as it is."
    )
    url = serializers.URLField(
        help_text="The public page; for a claim matched by its quote, the quote's passage in "
        "its article."
    )
    api_url = serializers.URLField(
        allow_null=True, help_text="The record in this API, when it has an endpoint."
    )


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="The query as searched: cleaned and maybe cut.")
    truncated = serializers.BooleanField(
        help_text=f"Whether the query was cut to {search.MAX_QUERY_CHARS} characters or "
        f"{search.MAX_TERMS} terms."
    )
    message = serializers.CharField(
        allow_null=True,
        help_text="Why nothing could be searched (only very common words, only exclusions …); "
        "null otherwise.",
    )
    count = serializers.IntegerField(help_text="Hits in all pages.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    facets = SearchFacetsSerializer()
    results = SearchHitSerializer(many=True)


SEARCH_EXAMPLE = {
    "query": "Musiienko China leverage",
    "truncated": False,
    "message": None,
    "count": 2,
    "next": None,
    "previous": None,
    "facets": {
        "type": [
            {"value": "expert", "label": "Experts", "count": 1, "selected": False},
            {"value": "claim", "label": "Claims", "count": 1, "selected": False},
        ],
        "topic": [{"value": "china-role", "label": "China's role", "count": 2, "selected": False}],
        "outlet": [{"value": "24-channel", "label": "24 Channel", "count": 1, "selected": False}],
        "language": [{"value": "en", "label": "English", "count": 1, "selected": False}],
        "year": [{"value": "2024", "label": "2024", "count": 1, "selected": False}],
    },
    "results": [
        {
            "type": "expert",
            "id": 1,
            "rank": 15.84,
            "title": "Oleksandr Musienko",
            "snippet": "… Comments on the Russia–North Korea treaty and on <mark>China</mark>"
            "&#x27;s <mark>leverage</mark> over Pyongyang.",
            "url": "https://kb.example.org/experts/oleksandr-musienko/",
            "api_url": "https://kb.example.org/api/v1/experts/1/",
        },
        {
            "type": "claim",
            "id": 8,
            "rank": 10.94,
            "title": "China has the leverage to stop the alliance between Russia and North "
            "Korea if it chooses to.",
            "snippet": "If <mark>China</mark> needs to prevent the alliance between Russia and "
            "North Korea, it has the <mark>leverage</mark> to do so.",
            "url": "https://kb.example.org/articles/"
            "why-china-does-not-benefit-from-russia-dprk-alliance/#quote-8",
            "api_url": "https://kb.example.org/api/v1/claims/8/",
        },
    ],
}


class SearchView(APIView):
    """Ranked public hits of every kind for `q`, with facets; see the schema's description."""

    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Search everything public",
        description=(
            "Experts, claims (with their quotes), articles, topics, treaties and provisions "
            "matching `q`, the most relevant first, as on the site's search page: each hit has "
            "its `type`, `id`, a plain-text `title`, an HTML `snippet` with the matched words "
            "in `<mark>`, its public page (`url`) and its record in this API (`api_url`).\n\n"
            "`facets` counts the hits by type, topic, outlet, language and year; send a "
            "facet's `value` back as its parameter to narrow the search "
            "(`?q=leverage&type=claim&topic=china-role`). Filters combine with AND. The "
            "`type` counts ignore the `type` filter, so they can serve as tabs.\n\n"
            "Draft, in-review and withdrawn items are never found. A `q` with nothing to "
            "search for (only very common words, only exclusions, only emoji, only spaces) is "
            "answered with no hits and a `message`; a missing or empty `q` is a 400, and a "
            "topic or outlet slug that names nothing a 404. Numbered pages of "
            f"{search.PER_PAGE}, at most {search.MAX_PAGE}."
        ),
        parameters=[SearchParametersSerializer],
        responses={200: SearchResultsSerializer},
        examples=[OpenApiExample("A name and two words", value=SEARCH_EXAMPLE, response_only=True)],
    )
    def get(self, request, *args, **kwargs):
        unknown = sorted(set(request.query_params) - KNOWN_PARAMETERS)
        if unknown:
            known = ", ".join(sorted(KNOWN_PARAMETERS))
            raise exceptions.ValidationError(
                {name: [f"Unknown parameter. Known parameters: {known}."] for name in unknown}
            )
        # An optional parameter sent empty counts as not sent, as in every list of the API.
        data = {name: value for name, value in request.query_params.items() if value or name == "q"}
        parameters = SearchParametersSerializer(data=data)
        if not parameters.is_valid():
            raise_for_parameter_errors(parameters)
        values = parameters.validated_data
        page = values.get("page", 1)
        filters = {
            engine_name: values.get(name)
            for name, engine_name in FACET_PARAMETERS.items()
            if values.get(name) is not None
        }
        for name in ("topic", "outlet"):
            if name in filters:
                filters[name] = filters[name].pk
        results = search.search(values["q"], filters=filters, page=page)
        if page > results.pages:
            raise exceptions.NotFound("Invalid page: past the last page of hits.")
        data = {
            "query": results.query.text,
            "truncated": results.query.truncated,
            "message": results.message or (None if results.query.text else NOTHING_TO_SEARCH),
            "count": results.total,
            "next": self.page_link(results.page + 1) if results.has_next else None,
            "previous": self.page_link(results.page - 1) if results.has_previous else None,
            "facets": self.facets(results),
            "results": [self.hit(hit) for hit in results.hits],
        }
        return Response(SearchResultsSerializer(data).data)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return add_cache_headers(request, response)

    def page_link(self, page):
        params = self.request.query_params.copy()
        params["page"] = page
        return self.request.build_absolute_uri(f"{self.request.path}?{params.urlencode()}")

    def hit(self, hit):
        absolute = self.request.build_absolute_uri
        detail = API_DETAIL.get(hit.kind)
        return {
            "type": hit.kind,
            "id": hit.object.pk,
            "rank": hit.rank,
            "title": html.unescape(strip_tags(hit.title_html)),
            "snippet": str(hit.snippet_html),
            "url": absolute(hit.url),
            "api_url": absolute(reverse(detail, kwargs={"pk": hit.object.pk})) if detail else None,
        }

    @staticmethod
    def facets(results):
        """Every facet, keyed by its parameter; topics and outlets by slug, as filters take."""
        found = results.facets
        slugs = {
            "topic": _slugs(Topic, found.get("topic", ())),
            "outlet": _slugs(Outlet, found.get("outlet", ())),
        }
        facets = {}
        for name, engine_name in FACET_PARAMETERS.items():
            values = []
            for value in found.get(engine_name, ()):
                key = slugs[name].get(value.value) if name in slugs else value.value
                if key is None:  # deleted since the facets were counted
                    continue
                values.append(
                    {
                        "value": key,
                        "label": value.label,
                        "count": value.count,
                        "selected": value.selected,
                    }
                )
            facets[name] = values
        return facets


def raise_for_parameter_errors(parameters):
    """The 400 for malformed parameters (naming every wrong one at once), else the 404 for
    slugs that name nothing."""
    errors = parameters.errors
    if any(
        not isinstance(parameters.fields.get(name), SlugField)
        or message.code not in NOT_FOUND_CODES
        for name, messages in errors.items()
        for message in messages
    ):
        raise exceptions.ValidationError(errors)
    raise ReferenceNotFound({name: [str(m) for m in messages] for name, messages in errors.items()})


def _slugs(model, facet_values):
    """{id as the facet gives it: slug} of the records behind `facet_values` (one query)."""
    if not facet_values:
        return {}
    ids = [int(value.value) for value in facet_values]
    return {
        str(pk): slug for pk, slug in model.objects.filter(pk__in=ids).values_list("pk", "slug")
    }
