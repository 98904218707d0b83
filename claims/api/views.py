"""API views of the claims app: claims (also as JSON-LD and NDJSON), quotes, topics,
treaties and provisions. Published data only."""

from django.conf import settings
from django.db.models import F, Prefetch
from django.http import Http404, StreamingHttpResponse
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer

from claims.api import export
from claims.api.examples import CLAIM_EXAMPLE, CLAIM_JSONLD_EXAMPLE, CLAIM_JSONLD_SCHEMA
from claims.api.filters import ClaimFilter, ProvisionFilter, QuoteFilter, TopicFilter, TreatyFilter
from claims.api.renderers import JSONLDRenderer, NDJSONRenderer
from claims.api.serializers import (
    ClaimJSONLDSerializer,
    ClaimSerializer,
    ProvisionSerializer,
    QuoteSerializer,
    TopicSerializer,
    TreatySerializer,
)
from claims.models import Claim, Provision, Quote, Topic, Treaty
from claims.querysets import shown_quote_q
from core.api.access import PartnerKeyRequired, ReadOnly
from core.api.caching import ConditionalGetMixin
from core.api.common import CursorPagination, StrictFilterBackend
from core.api.schema import API_KEY_SCHEME
from core.api.views import ReadOnlyViewSet
from core.converters import MAX_ID
from core.models import public_q

# The rows each serializer embeds, whose `updated` stamps say when a response last changed.
CLAIM_FRESHNESS_FIELDS = (
    "updated",
    "speaker__updated",
    "speaker__affiliations__updated",
    "speaker__affiliations__organization__updated",
    "topic_links__updated",
    "topic_links__topic__updated",
    "provision_links__updated",
    "provision_links__provision__updated",
    "provision_links__provision__treaty__updated",
    "quotes__updated",
    "quotes__article__updated",
    "quotes__article__outlet__updated",
)
# Of those, a claim shows only its anchored quotes in published articles.
CLAIM_FRESHNESS_SHOWN = {"quotes": shown_quote_q("quotes__")}


class FormatParameterMixin:
    """A `?format=` the URL does not offer is a 400 naming the parameter, not DRF's bare 404."""

    def perform_content_negotiation(self, request, force=False):
        try:
            return super().perform_content_negotiation(request, force)
        except Http404:
            formats = ", ".join(renderer.format for renderer in self.get_renderers())
            raise exceptions.ValidationError(
                {"format": [f"Not available here; use one of: {formats}."]}
            ) from None


@extend_schema_view(
    list=extend_schema(
        summary="List published claims",
        description=(
            "Published claims, the most recently added first, each with its speaker (and the "
            "role they held then), topics with stance, cited treaty provisions and verbatim "
            "quotes.\n\n"
            "Filters combine with AND. Examples: every claim citing Article 4 of the RU–DPRK "
            "treaty: `?provision=ru-dprk-2024/art_4`; everything Oleksandr Musienko said "
            "about China's role: `?expert=oleksandr-musienko&topic=china-role`.\n\n"
            "Cursor pagination: follow `next`; pages stay stable while claims are added. "
            "`ordering` takes `created` (the default, `-created`), `made_on` or `id`, with `-` "
            "for descending. Many claims share a `made_on` date, so a walk ordered by it may "
            "repeat or skip a claim added meanwhile with the same date; the default never does."
        ),
        examples=[OpenApiExample("A claim citing Article 4", value=CLAIM_EXAMPLE)],
    ),
    retrieve=extend_schema(
        summary="One published claim (JSON, or schema.org JSON-LD)",
        description=(
            "The claim as in the list. With `?format=jsonld` (or `Accept: "
            "application/ld+json`) it is schema.org JSON-LD instead: a `Claim` with its "
            "author (`Person`) and appearances (`NewsArticle`), plus a `ClaimReview` under "
            "`review` when an editor recorded the outcome of a prediction. "
            "Drafts are 404."
        ),
        parameters=[
            OpenApiParameter(
                "format",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                enum=["json", "jsonld"],
                description="`json` (default) or `jsonld` for schema.org JSON-LD "
                "(Content-Type application/ld+json).",
            )
        ],
        responses={
            (200, "application/json"): OpenApiResponse(
                ClaimSerializer,
                examples=[OpenApiExample("A claim", value=CLAIM_EXAMPLE)],
            ),
            (200, "application/ld+json"): OpenApiResponse(
                CLAIM_JSONLD_SCHEMA,
                description="schema.org JSON-LD",
                examples=[OpenApiExample("A judged prediction", value=CLAIM_JSONLD_EXAMPLE)],
            ),
        },
    ),
)
class ClaimViewSet(FormatParameterMixin, ReadOnlyViewSet):
    queryset = Claim.objects.published().with_card_data()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    pagination_class = CursorPagination
    ordering_fields = ["made_on", "created", "id"]
    # Cursor pages are only as stable as their first key is unique: creation times are.
    ordering = ["-created", "-id"]
    freshness_fields = CLAIM_FRESHNESS_FIELDS
    freshness_shown = CLAIM_FRESHNESS_SHOWN

    def get_renderers(self):
        renderers = super().get_renderers()
        if self.action == "retrieve":
            renderers.append(JSONLDRenderer())
        return renderers

    def get_serializer_class(self):
        renderer = getattr(self.request, "accepted_renderer", None)
        if self.action == "retrieve" and isinstance(renderer, JSONLDRenderer):
            return ClaimJSONLDSerializer
        return super().get_serializer_class()


def export_after(request):
    """The export's `after` parameter as an id, or None; anything else is a 400."""
    value = request.query_params.get("after")
    if value in (None, ""):
        return None  # sent empty is not sent, as for every parameter of the API
    if not value.isascii() or not value.isdigit() or int(value) > MAX_ID:
        raise exceptions.ValidationError(
            {"after": [f"Must be a whole number from 0 to {MAX_ID}, the id of a claim."]}
        )
    return int(value)


def resume_url(request, last):
    """The URL continuing this export after claim `last` (this URL if none was sent)."""
    params = request.query_params.copy()
    if last is not None:
        params["after"] = str(last)
    query = params.urlencode()
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


class ExportSchema(AutoSchema):
    def get_filter_backends(self):
        # The export is the claims list, streamed: document its filters too.
        return self.view.filter_backends


class ClaimExportView(FormatParameterMixin, ConditionalGetMixin, GenericAPIView):
    """`/api/v1/claims/export.ndjson`: for partners who mirror the knowledge base."""

    http_method_names = ["get", "head", "options"]
    queryset = Claim.objects.published()
    serializer_class = ClaimSerializer
    filterset_class = ClaimFilter
    filter_backends = [StrictFilterBackend]
    renderer_classes = [JSONRenderer, NDJSONRenderer]
    pagination_class = None
    schema = ExportSchema()
    # Partners only: a stream holds a worker thread for up to EXPORT_TIME_LIMIT_SECONDS.
    permission_classes = [ReadOnly, PartnerKeyRequired]
    extra_query_parameters = ("after",)
    chunk_size = export.CHUNK_SIZE
    freshness_fields = CLAIM_FRESHNESS_FIELDS
    freshness_shown = CLAIM_FRESHNESS_SHOWN

    @extend_schema(
        operation_id="claims_export",
        summary="Export every published claim as NDJSON",
        description=(
            "Every published claim, one JSON object per line (NDJSON, "
            "`Content-Type: application/x-ndjson`), each exactly as an item of the claims list. "
            "**Partners only**: without an `Authorization: Api-Key <key>` header the answer is "
            "401. The response is streamed, ordered by id; the claims list's filters apply. "
            "There are no pages: `page`, `page_size`, `cursor` and `ordering` are refused. "
            f"Rows are read {export.CHUNK_SIZE} at a time, so the export of any size starts at "
            "once; while no claim has changed, `If-None-Match` with the last ETag answers 304. "
            "One request streams for at most the server's time limit (20 seconds by default): "
            "an export cut short ends with a line that is not a claim, "
            '`{"error": "time_limit", "detail": "…", "next": "<URL>"}`; request `next` to '
            "continue after the last claim received (`unavailable` instead of `time_limit` "
            "if the database failed)."
        ),
        auth=[{API_KEY_SCHEME: []}],
        parameters=[
            OpenApiParameter("format", exclude=True),
            OpenApiParameter(
                "after",
                {"type": "integer", "minimum": 0, "maximum": MAX_ID},
                OpenApiParameter.QUERY,
                description="Only claims with a greater id: where an export cut short "
                "continues (its last line's `next` sets it).",
            ),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(
                OpenApiTypes.STR,
                description="One claim (as in the claims list) per line.",
                examples=[
                    OpenApiExample(
                        "Two lines",
                        value='{"id": 1, "summary": "…", "speaker": {…}, …}\n'
                        '{"id": 2, "summary": "…", "speaker": {…}, …}\n',
                    ),
                    OpenApiExample(
                        "Cut short at the time limit",
                        value='{"id": 1, "summary": "…", "speaker": {…}, …}\n'
                        '{"error": "time_limit", "detail": "The export stopped at its time '
                        'limit of 20 seconds a request; continue with `next`.", "next": '
                        '"https://kb.example.org/api/v1/claims/export.ndjson?after=1"}\n',
                    ),
                ],
            ),
            401: OpenApiResponse(
                {
                    "type": "object",
                    "properties": {"detail": {"type": "string"}},
                    "required": ["detail"],
                },
                description="No partner key (the export is for partners), or a header that "
                "is not `Api-Key <key>`, or an unknown, revoked or expired key.",
                examples=[
                    OpenApiExample("Anonymous", value={"detail": PartnerKeyRequired.message}),
                    OpenApiExample("Unknown key", value={"detail": "Unknown API key."}),
                ],
            ),
        },
    )
    def get(self, request, *args, **kwargs):
        paging = sorted({"page", "page_size", "cursor", "ordering"} & set(request.query_params))
        if paging:
            raise exceptions.ValidationError(
                {name: ["The export has no pages and is ordered by id."] for name in paging}
            )
        after = export_after(request)
        claims = self.filter_queryset(self.get_queryset())
        if after is not None:
            claims = claims.filter(pk__gt=after)
        # A mirror polling the export gets a 304 for one query while nothing has changed.
        validators = self.validators_for(claims)
        not_modified = validators.not_modified(request)
        if not_modified is not None:
            return not_modified
        lines = export.ndjson_lines(
            claims.with_card_data(),
            serializer=self.get_serializer(),
            chunk_size=self.chunk_size,
            time_limit=settings.EXPORT_TIME_LIMIT_SECONDS,
            resume_url=lambda last: resume_url(request, last),
        )
        response = StreamingHttpResponse(lines, content_type=NDJSONRenderer.media_type)
        return validators.apply(response)


@extend_schema_view(
    list=extend_schema(
        summary="List public quotes",
        description=(
            "Verbatim quotes of published claims in published articles, the most recently "
            "added first, "
            "with their character offsets in the article body. Cursor pagination."
        ),
    ),
    retrieve=extend_schema(summary="One public quote", description="Unpublished ones are 404."),
)
class QuoteViewSet(ReadOnlyViewSet):
    queryset = Quote.objects.public().select_related("claim__speaker", "article__outlet")
    serializer_class = QuoteSerializer
    filterset_class = QuoteFilter
    pagination_class = CursorPagination
    ordering_fields = ["created", "id"]
    ordering = ["-created", "-id"]
    freshness_fields = (
        "updated",
        "claim__updated",
        "claim__speaker__updated",
        "article__updated",
        "article__outlet__updated",
    )


@extend_schema_view(
    list=extend_schema(
        summary="List topics",
        description=(
            "Topics in alphabetical order, each with the question it answers, its parent and "
            "sub-topics, and how many published claims and experts it has. `claims_url` "
            "lists its claims (sub-topics included)."
        ),
    ),
    retrieve=extend_schema(summary="One topic", description="A topic, as in the list."),
)
class TopicViewSet(ReadOnlyViewSet):
    queryset = (
        Topic.objects.with_counts()
        .select_related("parent")
        .prefetch_related(Prefetch("children", queryset=Topic.objects.order_by("title", "pk")))
    )
    serializer_class = TopicSerializer
    filterset_class = TopicFilter
    ordering_fields = ["title", "id"]
    ordering = ["title", "id"]
    freshness_fields = (
        "updated",
        "parent__updated",
        "children__updated",
        "claim_links__updated",
        "claim_links__claim__updated",
    )
    # The counts are of published claims: a draft's links show nowhere.
    freshness_shown = {"claim_links": public_q("claim_links__claim__")}


@extend_schema_view(
    list=extend_schema(
        summary="List treaties",
        description=(
            "Treaties whose provisions claims cite, the most recently signed first (undated "
            "ones last). `provisions_url` lists a treaty's provisions, `claims_url` the claims "
            "citing it."
        ),
    ),
    retrieve=extend_schema(summary="One treaty", description="A treaty, as in the list."),
)
class TreatyViewSet(ReadOnlyViewSet):
    queryset = Treaty.objects.with_counts()
    serializer_class = TreatySerializer
    filterset_class = TreatyFilter
    ordering_fields = ["signed_on", "title", "id"]
    ordering = [F("signed_on").desc(nulls_last=True), "title", "id"]
    freshness_fields = (
        "updated",
        "provisions__updated",
        "provisions__claim_links__updated",
        "provisions__claim_links__claim__updated",
    )
    freshness_shown = {"provisions__claim_links": public_q("provisions__claim_links__claim__")}


@extend_schema_view(
    list=extend_schema(
        summary="List treaty provisions",
        description=(
            "Provisions (articles, paragraphs …) in treaty and reading order, each with its "
            "citation label and how many published claims cite it. `claims_url` lists those "
            "claims."
        ),
    ),
    retrieve=extend_schema(
        summary="One treaty provision",
        description="By id; `claims_url` gives its `<treaty slug>/<address>` reference.",
    ),
)
class ProvisionViewSet(ReadOnlyViewSet):
    queryset = Provision.objects.for_citation().with_claim_counts()
    serializer_class = ProvisionSerializer
    filterset_class = ProvisionFilter
    ordering_fields = ["order", "id"]
    ordering = ["treaty__slug", "order", "id"]
    freshness_fields = (
        "updated",
        "treaty__updated",
        "parent__updated",
        "claim_links__updated",
        "claim_links__claim__updated",
    )
    # The counts are of published claims: a draft's links show nowhere.
    freshness_shown = {"claim_links": public_q("claim_links__claim__")}
