"""The partner API's article and outlet endpoints: published articles only."""

from django.db.models import Q
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from articles.api.filters import ArticleFilter, OutletFilter
from articles.api.serializers import ArticleDetailSerializer, ArticleSerializer, OutletSerializer
from articles.models import Article, Outlet
from core.api.common import CursorPagination
from core.api.views import ReadOnlyViewSet
from core.models import public_q

ARTICLE_EXAMPLE = {
    "id": 1,
    "slug": "why-china-does-not-benefit-from-russia-dprk-alliance",
    "url": "https://kb.example.org/api/v1/articles/1/",
    "html_url": "https://kb.example.org/articles/why-china-does-not-benefit-from-russia-dprk-alliance/",
    "title": "There are risks: why China does not benefit from the Russia-DPRK alliance",
    "outlet": {
        "slug": "24-channel",
        "name": "24 Channel",
        "url": "https://kb.example.org/api/v1/outlets/1/",
    },
    "byline": "Victoria Grabovskaya",
    "source_url": None,
    "published_on": "2024-06-01",
    "published_precision": "month",
    "language": "en",
    "standfirst": "",
    "topics": [
        {"slug": "china-role", "title": "China's role"},
        {"slug": "mutual-assistance", "title": "Mutual assistance and troops"},
    ],
    "translations": [
        {
            "slug": "chomu-kytaiu-nevyhidnyi-soiuz-rosii-i-kndr",
            "language": "uk",
            "url": "https://kb.example.org/api/v1/articles/7/",
        }
    ],
    "quote_count": 9,
    "claims_url": "https://kb.example.org/api/v1/claims/"
    "?article=why-china-does-not-benefit-from-russia-dprk-alliance",
    "quotes_url": "https://kb.example.org/api/v1/quotes/"
    "?article=why-china-does-not-benefit-from-russia-dprk-alliance",
}

OUTLET_EXAMPLE = {
    "id": 1,
    "slug": "24-channel",
    "name": "24 Channel",
    "url": "https://kb.example.org/api/v1/outlets/1/",
    "html_url": "https://kb.example.org/outlets/24-channel/",
    "home_url": "https://24tv.ua/",
    "country": "UA",
    "language": "uk",
    "article_count": 1,
    "articles_url": "https://kb.example.org/api/v1/articles/?outlet=24-channel",
}


@extend_schema_view(
    list=extend_schema(
        summary="List published articles",
        description=(
            "Published articles, newest first (`ordering=-published_on`), without their body. "
            "Filter by outlet, language, topic (sub-topics included), quoted expert, "
            "publication dates and text. Cursor-paginated: follow `next` and `previous`; "
            "`page_size` up to 100. Pages stay stable while new articles arrive; to mirror "
            "the list, order by `created` or `id`, which never tie."
        ),
        examples=[OpenApiExample("An article", value=ARTICLE_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One published article, with its body",
        description=(
            "The article with its full `body` (plain text, paragraphs separated by a blank "
            "line; quotes' offsets count characters in it). A draft is a 404."
        ),
        examples=[
            OpenApiExample(
                "An article",
                value={**ARTICLE_EXAMPLE, "body": "Ukraine's Defence Intelligence …"},
                response_only=True,
            )
        ],
    ),
)
class ArticleViewSet(ReadOnlyViewSet):
    queryset = Article.objects.published().with_summary_data()
    serializer_class = ArticleSerializer
    filterset_class = ArticleFilter
    pagination_class = CursorPagination
    ordering_fields = ["published_on", "created", "id"]
    ordering = ["-published_on", "-id"]
    freshness_fields = (
        "updated",
        "outlet__updated",
        "topics__updated",
        "translations__updated",
        "translation_of__updated",
        "translation_of__translations__updated",
        "quotes__updated",
        "quotes__claim__updated",
    )
    # What the body shows of them: published versions, and `quote_count` (anchored quotes of
    # published claims).
    freshness_shown = {
        "translations": public_q("translations__"),
        "translation_of": public_q("translation_of__"),
        "translation_of__translations": public_q("translation_of__translations__"),
        "quotes": Q(quotes__orphaned=False) & public_q("quotes__claim__"),
    }

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer


@extend_schema_view(
    list=extend_schema(
        summary="List outlets",
        description=(
            "The outlets with at least one published article, by name, with their count of "
            "published articles. Filter by country, language and name. Page-numbered: `page`, "
            "`page_size` up to 100."
        ),
        examples=[OpenApiExample("An outlet", value=OUTLET_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One outlet",
        description=(
            "The outlet; `articles_url` lists its published articles. An outlet without a "
            "published article is a 404."
        ),
        examples=[OpenApiExample("An outlet", value=OUTLET_EXAMPLE, response_only=True)],
    ),
)
class OutletViewSet(ReadOnlyViewSet):
    queryset = Outlet.objects.public().with_article_counts()
    serializer_class = OutletSerializer
    filterset_class = OutletFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    freshness_fields = ("updated", "articles__updated")
    # `article_count` counts published articles only.
    freshness_shown = {"articles": public_q("articles__")}
