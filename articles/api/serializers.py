"""Articles and outlets as the partner API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.models import Article, Outlet
from claims.models import Topic
from core.api.common import HtmlUrlField, ListLinkField, OptionalUrlField


class CorrectionSerializer(serializers.Serializer):
    """The latest correction published on an article or claim."""

    note = serializers.CharField(
        source="correction_note", read_only=True, help_text="The correction, as readers see it."
    )
    date = serializers.DateTimeField(
        source="corrected_at", read_only=True, help_text="When the correction was published."
    )

    def get_attribute(self, instance):
        # null unless the item has been corrected
        return instance if instance.is_corrected else None


def correction_field():
    return CorrectionSerializer(
        source="*",
        allow_null=True,
        read_only=True,
        help_text="The latest correction published on it, or null if it was never corrected.",
    )


class OutletSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")

    class Meta:
        model = Outlet
        fields = ["slug", "name", "url"]
        read_only_fields = fields


class TopicSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["slug", "title"]
        read_only_fields = fields


class TranslationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")

    class Meta:
        model = Article
        fields = ["slug", "language", "url"]
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


class OutletSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:outlet-detail")
    html_url = HtmlUrlField()
    home_url = OptionalUrlField(help_text="The outlet's own site, if known.")
    article_count = serializers.IntegerField(
        read_only=True, help_text="The outlet's published articles."
    )
    articles_url = ListLinkField(
        "api:article-list", "outlet", help_text="The outlet's published articles."
    )

    class Meta:
        model = Outlet
        fields = [
            "id",
            "slug",
            "name",
            "url",
            "html_url",
            "home_url",
            "country",
            "language",
            "article_count",
            "articles_url",
        ]
        read_only_fields = fields
