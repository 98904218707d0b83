"""The partner API's article endpoints: published articles, filtered by outlet, language, topic,
quoted expert, dates and text (claims' search index), with their topics and quote counts.

They compose articles with claims and experts, so claims builds them; config/api_urls.py
registers them under `articles/` (basename `article`) as before.
"""

import django_filters
from django.db.models import Q
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import serializers

from articles.api.serializers import (
    OutletSummarySerializer,
    TranslationSerializer,
    correction_field,
)
from articles.models import Article, Language, Outlet
from claims.api.filters import SearchTextFilter
from claims.models import Claim, SearchEntry, Topic
from core.api.common import (
    CursorPagination,
    HtmlUrlField,
    IsoDateFilter,
    ListLinkField,
    OptionalUrlField,
    SlugFilter,
)
from core.api.views import ReadOnlyViewSet
from core.models import public_q
from experts.models import Expert


class ArticleFilter(django_filters.FilterSet):
    outlet = SlugFilter(
        queryset=Outlet.objects.public(),
        help_text="Outlet slug, e.g. `24-channel`: the outlet's articles.",
    )
    language = django_filters.ChoiceFilter(
        choices=Language.choices, help_text="The article's language."
    )
    topic = SlugFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text="Topic slug, e.g. `china-role`: articles filed under the topic or one of its "
        "sub-topics.",
    )
    expert = SlugFilter(
        queryset=Expert.objects.public(),
        method="filter_expert",
        help_text="Expert slug, e.g. `oleksandr-musienko`: articles quoting the expert's "
        "published claims.",
    )
    published_after = IsoDateFilter(
        field_name="published_on",
        lookup_expr="gte",
        help_text="YYYY-MM-DD: articles published on or after this day.",
    )
    published_before = IsoDateFilter(
        field_name="published_on",
        lookup_expr="lte",
        help_text="YYYY-MM-DD: articles published on or before this day.",
    )
    q = SearchTextFilter(
        SearchEntry.Kind.ARTICLE,
        searches="Searches the title, standfirst, body and byline.",
    )

    class Meta:
        model = Article
        fields = [
            "outlet",
            "language",
            "topic",
            "expert",
            "published_after",
            "published_before",
            "q",
        ]

    def filter_topic(self, queryset, name, value):
        return queryset.filed_under(Topic.objects.subtree(value))

    def filter_expert(self, queryset, name, value):
        return queryset.quoting(Claim.objects.published().by(value))


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    """An article without its body (lists never embed large text)."""

    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")
    html_url = HtmlUrlField()
    outlet = OutletSummarySerializer(read_only=True)
    source_url = OptionalUrlField(help_text="The article on the outlet's site, if known.")
    topics = TopicSummarySerializer(many=True, read_only=True)
    translations = serializers.SerializerMethodField(
        help_text="The published versions of the same story in other languages: its original "
        "and the original's other translations."
    )
    quote_count = serializers.IntegerField(
        read_only=True, help_text="Quotes of published claims in this article."
    )
    claims_url = ListLinkField(
        "api:claim-list", "article", help_text="The published claims this article quotes."
    )
    quotes_url = ListLinkField("api:quote-list", "article", help_text="The article's quotes.")
    correction = correction_field()

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "title",
            "outlet",
            "byline",
            "source_url",
            "published_on",
            "published_precision",
            "language",
            "standfirst",
            "topics",
            "translations",
            "quote_count",
            "claims_url",
            "quotes_url",
            "correction",
        ]
        read_only_fields = fields

    @extend_schema_field(TranslationSerializer(many=True))
    def get_translations(self, article):
        # Reads the rows prefetched by Article.objects.with_summary_data(): no query here.
        root = article.translation_of
        if root is None:
            versions = list(article.translations.all())
        else:
            siblings = [version for version in root.translations.all() if version.pk != article.pk]
            versions = [root, *siblings] if root.is_published else siblings
        return TranslationSerializer(versions, many=True, context=self.context).data


class ArticleDetailSerializer(ArticleSerializer):
    """An article with its body: plain text, paragraphs separated by a blank line."""

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body"]
        read_only_fields = fields


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
