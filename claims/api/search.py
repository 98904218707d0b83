"""/api/v1/search/: the site search for partners.

The same engine, ranking and facets as the /search/ page (claims/search/), as JSON: ranked
hits of every kind with a highlighted snippet, the counts by facet and numbered pages. Like
every list of this API it refuses what it cannot use (an unknown parameter, a year out of
range) with a 400 naming the parameter, and a topic or outlet slug that names nothing with a
404 naming it.
"""

import html

from django import forms
from django.urls import reverse
from django.utils.html import strip_tags
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from articles.models import Outlet
from claims.api.filters import SEARCH_SYNTAX
from claims.models import SearchEntry, Topic
from claims.search import results as search
from claims.search.parameters import SearchApiParameters
from core.api.caching import add_cache_headers
from core.api.common import SLUG_PATTERN, SlugChoiceField, raise_for_form_errors

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
KNOWN_PARAMETERS = {*SearchApiParameters.base_fields, "format"}
QUERY_HELP = f"The text to search for. {SEARCH_SYNTAX}"
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


def parameters_schema(form_class):
    """The OpenAPI query parameters of `form_class`, read from its fields (one source for the
    validation and its documentation)."""
    documented = []
    for name, field in form_class.base_fields.items():
        described = ""
        if isinstance(field, SlugChoiceField):
            schema = {"type": "string", "pattern": SLUG_PATTERN}
        elif isinstance(field, forms.ChoiceField):
            schema = {"type": "string", "enum": [value for value, _label in field.choices]}
            # Listed as DRF lists a serializer's choices.
            described = "\n".join(f"* `{value}` - {label}" for value, label in field.choices)
        elif isinstance(field, forms.IntegerField):
            schema = {"type": "integer", "minimum": field.min_value}
            if field.max_value is not None:
                schema["maximum"] = field.max_value
        else:
            schema = {"type": "string", "minLength": 1}
        documented.append(
            OpenApiParameter(
                name,
                schema,
                OpenApiParameter.QUERY,
                required=name == "q",
                description=QUERY_HELP
                if name == "q"
                else "\n\n".join(part for part in (str(field.help_text), described) if part),
            )
        )
    return documented


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
        parameters=parameters_schema(SearchApiParameters),
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
        parameters = SearchApiParameters(data)
        if not parameters.is_valid():
            raise_for_form_errors(parameters)
        values = parameters.cleaned_data
        page = values.get("page") or 1
        filters = parameters.engine_filters()
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


def _slugs(model, facet_values):
    """{id as the facet gives it: slug} of the records behind `facet_values` (one query)."""
    if not facet_values:
        return {}
    ids = [int(value.value) for value in facet_values]
    return {
        str(pk): slug for pk, slug in model.objects.filter(pk__in=ids).values_list("pk", "slug")
    }
