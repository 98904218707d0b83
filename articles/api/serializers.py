"""Articles and outlets as the partner API shows them."""

from rest_framework import serializers

from articles.models import Article, Outlet
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


class TranslationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:article-detail")

    class Meta:
        model = Article
        fields = ["slug", "language", "url"]
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
