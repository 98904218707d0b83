"""The partner API's outlet endpoints: outlets with a published article (the article
endpoints, filtered by topic, expert and search, are in claims/api/articles.py)."""

from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from articles.api.filters import OutletFilter
from articles.api.serializers import OutletSerializer
from articles.models import Outlet
from core.api.views import ReadOnlyViewSet
from core.models import public_q

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
