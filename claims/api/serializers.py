"""Serializers of the claims app's API: claims, quotes, topics, treaties and provisions.

Explicit fields only. A claim carries summaries of what a partner would otherwise fetch
one by one (speaker, topics, provisions, quotes); lists that can grow without bound are
linked as a filtered API list (`claims_url`, `provisions_url`) instead of embedded.
"""

from urllib.parse import urlencode

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from articles.api.serializers import OutletSummarySerializer, correction_field
from articles.models import Article
from claims import jsonld
from claims.models import Claim, ClaimProvision, ClaimTopic, Provision, Quote, Stance, Topic, Treaty
from core.api.common import (
    HtmlUrlField,
    IdentityLinkField,
    ListLinkField,
    OptionalUrlField,
    RelatedLinkField,
)
from core.models import DatePrecision
from experts.api.serializers import OrganizationSummarySerializer
from experts.models import Affiliation, Expert


def absolute(serializer_field, url):
    request = serializer_field.context.get("request")
    return request.build_absolute_uri(url) if request else url


@extend_schema_field(OpenApiTypes.URI)
class PageUrlField(serializers.Field):
    """The public page of the related object at `source` (HtmlUrlField is the object's own)."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, obj):
        return absolute(self, obj.get_absolute_url())


class BlankAsNullChoiceField(serializers.ChoiceField):
    """One of `choices`, or null where the model leaves it blank."""

    def __init__(self, choices, **kwargs):
        kwargs["read_only"] = True
        kwargs["allow_null"] = True
        super().__init__(choices, **kwargs)

    def to_representation(self, value):
        return value or None


# Summaries embedded in other resources


class RoleSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="role_title", read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["title", "organization"]
        read_only_fields = fields


class ClaimSpeakerSerializer(serializers.Serializer):
    """The claim's speaker, with the role they held on the day the claim was made.

    Built from the claim (`source="*"`) because the role depends on the claim's date.
    """

    id = serializers.IntegerField(source="speaker.id", read_only=True)
    slug = serializers.SlugField(source="speaker.slug", read_only=True)
    name = serializers.CharField(source="speaker.display_name", read_only=True)
    url = RelatedLinkField(source="speaker", view_name="api:expert-detail", read_only=True)
    html_url = PageUrlField(source="speaker")
    role = RoleSerializer(
        source="speaker_role",
        allow_null=True,
        read_only=True,
        help_text="The speaker's affiliation when the claim was made; null if none is known.",
    )


class ExpertSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name", read_only=True)
    url = IdentityLinkField(view_name="api:expert-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Expert
        fields = ["id", "slug", "name", "url", "html_url"]
        read_only_fields = fields


class ClaimTopicSerializer(serializers.ModelSerializer):
    slug = serializers.SlugField(source="topic.slug", read_only=True)
    title = serializers.CharField(source="topic.title", read_only=True)
    stance = BlankAsNullChoiceField(
        Stance.choices,
        help_text="The claim's answer to the topic's question; null when the claim touches "
        "the topic without answering it.",
    )
    url = RelatedLinkField(source="topic", view_name="api:topic-detail", read_only=True)

    class Meta:
        model = ClaimTopic
        fields = ["slug", "title", "stance", "url"]
        read_only_fields = fields


class ClaimProvisionSerializer(serializers.ModelSerializer):
    treaty = serializers.SlugField(source="provision.treaty.slug", read_only=True)
    address = serializers.CharField(source="provision.address", read_only=True)
    citation_label = serializers.CharField(source="provision.citation_label", read_only=True)
    relation = serializers.ChoiceField(
        choices=ClaimProvision.Relation.choices,
        read_only=True,
        help_text="How the claim uses the provision.",
    )
    note = serializers.CharField(read_only=True, help_text="The editor's note on the link.")
    url = RelatedLinkField(source="provision", view_name="api:provision-detail", read_only=True)
    html_url = PageUrlField(source="provision")

    class Meta:
        model = ClaimProvision
        fields = ["treaty", "address", "citation_label", "relation", "note", "url", "html_url"]
        read_only_fields = fields


class ArticleSummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:article-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Article
        fields = ["id", "slug", "title", "url", "html_url"]
        read_only_fields = fields


class ClaimQuoteSerializer(serializers.ModelSerializer):
    article = ArticleSummarySerializer(read_only=True)
    outlet = OutletSummarySerializer(source="article.outlet", read_only=True)
    published_on = serializers.DateField(
        source="article.published_on", read_only=True, help_text="The article's date."
    )
    html_url = HtmlUrlField(help_text="The article page, scrolled to the highlighted quote.")

    class Meta:
        model = Quote
        fields = ["id", "text", "article", "outlet", "published_on", "html_url"]
        read_only_fields = fields


class PredictionSerializer(serializers.Serializer):
    """What a prediction foresaw for when, and how it turned out."""

    due_on = serializers.DateField(read_only=True, allow_null=True)
    outcome = serializers.SerializerMethodField(
        help_text="Set by an editor; `pending` until the due date has passed and it is judged."
    )
    outcome_note = serializers.CharField(read_only=True)
    outcome_source_url = OptionalUrlField()

    def get_attribute(self, instance):
        # Only predictions have a due date and an outcome.
        return instance if instance.kind == Claim.Kind.PREDICTION else None

    @extend_schema_field(serializers.ChoiceField(choices=Claim.Outcome.choices))
    def get_outcome(self, claim):
        return claim.outcome or Claim.Outcome.PENDING


# Resources


class ClaimSerializer(serializers.ModelSerializer):
    """A published claim with its speaker, topics, cited provisions and public quotes."""

    url = IdentityLinkField(view_name="api:claim-detail")
    html_url = HtmlUrlField()
    kind = serializers.ChoiceField(choices=Claim.Kind.choices, read_only=True)
    made_on = serializers.DateField(
        read_only=True, help_text="When the claim was made, as precise as `made_precision`."
    )
    made_precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        read_only=True,
        help_text="How much of `made_on` is known: `month` means only its year and month count.",
    )
    speaker = ClaimSpeakerSerializer(source="*", read_only=True)
    topics = ClaimTopicSerializer(source="topic_links", many=True, read_only=True)
    provisions = ClaimProvisionSerializer(source="provision_links", many=True, read_only=True)
    quotes = ClaimQuoteSerializer(
        many=True,
        read_only=True,
        help_text="The claim's verbatim quotes in published articles, oldest article first.",
    )
    prediction = PredictionSerializer(
        source="*",
        allow_null=True,
        read_only=True,
        help_text="For predictions only (null otherwise): due date and outcome.",
    )
    correction = correction_field()

    class Meta:
        model = Claim
        fields = [
            "id",
            "url",
            "html_url",
            "summary",
            "kind",
            "made_on",
            "made_precision",
            "speaker",
            "topics",
            "provisions",
            "quotes",
            "prediction",
            "correction",
            "created",
            "updated",
        ]
        read_only_fields = fields


class ClaimJSONLDSerializer(serializers.BaseSerializer):
    """A claim as schema.org JSON-LD (`?format=jsonld`), the same as on its public page."""

    def to_representation(self, claim):
        return jsonld.claim_data(claim, self.context["request"])


class ClaimLinkSerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:claim-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Claim
        fields = ["id", "summary", "url", "html_url"]
        read_only_fields = fields


class QuoteSerializer(serializers.ModelSerializer):
    """A verbatim quote of a published claim in a published article, with its offsets."""

    url = IdentityLinkField(view_name="api:quote-detail")
    html_url = HtmlUrlField(help_text="The article page, scrolled to the highlighted quote.")
    start = serializers.IntegerField(
        read_only=True, help_text="Offset of the quote's first character in the article body."
    )
    end = serializers.IntegerField(
        read_only=True, help_text="Offset just past the quote's last character."
    )
    claim = ClaimLinkSerializer(read_only=True)
    speaker = ExpertSummarySerializer(source="claim.speaker", read_only=True)
    article = ArticleSummarySerializer(read_only=True)
    outlet = OutletSummarySerializer(source="article.outlet", read_only=True)
    published_on = serializers.DateField(
        source="article.published_on", read_only=True, help_text="The article's date."
    )

    class Meta:
        model = Quote
        fields = [
            "id",
            "url",
            "html_url",
            "text",
            "start",
            "end",
            "claim",
            "speaker",
            "article",
            "outlet",
            "published_on",
            "created",
            "updated",
        ]
        read_only_fields = fields


class TopicSerializer(serializers.ModelSerializer):
    """A topic with the question it answers, its place in the tree and its counts."""

    url = IdentityLinkField(view_name="api:topic-detail")
    html_url = HtmlUrlField()
    parent = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="The parent topic's slug; null at the top.",
    )
    children = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True, help_text="The sub-topics' slugs."
    )
    claim_count = serializers.IntegerField(
        source="claims_count",
        read_only=True,
        help_text="Published claims tagged with this topic itself (`claims_url` also lists "
        "those of its sub-topics).",
    )
    expert_count = serializers.IntegerField(
        source="experts_count",
        read_only=True,
        help_text="Experts who made those claims.",
    )
    claims_url = ListLinkField(
        "api:claim-list", "topic", help_text="The claims on this topic and its sub-topics."
    )

    class Meta:
        model = Topic
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "title",
            "question",
            "description",
            "parent",
            "children",
            "claim_count",
            "expert_count",
            "claims_url",
        ]
        read_only_fields = fields


class TreatySerializer(serializers.ModelSerializer):
    """A treaty whose provisions claims cite; its provisions are linked, not embedded."""

    url = IdentityLinkField(view_name="api:treaty-detail")
    html_url = HtmlUrlField()
    parties = serializers.ListField(
        source="party_list", child=serializers.CharField(), read_only=True
    )
    source_url = OptionalUrlField(help_text="The treaty's text; null if none is on file.")
    provision_count = serializers.IntegerField(source="provisions_count", read_only=True)
    claim_count = serializers.IntegerField(
        source="claims_count",
        read_only=True,
        help_text="Published claims citing one of its provisions.",
    )
    provisions_url = ListLinkField(
        "api:provision-list", "treaty", help_text="The treaty's provisions."
    )
    claims_url = ListLinkField("api:claim-list", "treaty", help_text="Claims citing the treaty.")

    class Meta:
        model = Treaty
        fields = [
            "id",
            "url",
            "html_url",
            "slug",
            "title",
            "short_name",
            "parties",
            "signed_on",
            "in_force_on",
            "source_url",
            "provision_count",
            "claim_count",
            "provisions_url",
            "claims_url",
        ]
        read_only_fields = fields


class TreatySummarySerializer(serializers.ModelSerializer):
    url = IdentityLinkField(view_name="api:treaty-detail")
    html_url = HtmlUrlField()

    class Meta:
        model = Treaty
        fields = ["id", "slug", "short_name", "url", "html_url"]
        read_only_fields = fields


class ProvisionClaimsLinkField(ListLinkField):
    """/api/v1/claims/?provision=ru-dprk-2024/art_4: a provision is named by treaty and address."""

    def to_representation(self, provision):
        reference = urlencode(
            {self.parameter: f"{provision.treaty.slug}/{provision.address}"}, safe="/"
        )
        return absolute(self, f"{reverse(self.view_name)}?{reference}")


class ProvisionSerializer(serializers.ModelSerializer):
    """A numbered part of a treaty (article, paragraph …) addressed like `art_4__para_1`."""

    url = IdentityLinkField(view_name="api:provision-detail")
    html_url = HtmlUrlField()
    treaty = TreatySummarySerializer(read_only=True)
    citation_label = serializers.CharField(
        read_only=True, help_text="How to cite it: “RU–DPRK Treaty (2024), Art. 4”."
    )
    text = serializers.CharField(
        read_only=True,
        help_text="The official wording when `text_is_official`, else the desk's summary.",
    )
    parent = serializers.SlugRelatedField(
        slug_field="address",
        read_only=True,
        allow_null=True,
        help_text="The address of the provision this one sits in; null for an article.",
    )
    claim_count = serializers.IntegerField(
        source="claims_count", read_only=True, help_text="Published claims citing it."
    )
    claims_url = ProvisionClaimsLinkField(
        "api:claim-list", "provision", help_text="Claims citing this provision."
    )

    class Meta:
        model = Provision
        fields = [
            "id",
            "url",
            "html_url",
            "treaty",
            "address",
            "number",
            "citation_label",
            "heading",
            "text",
            "text_is_official",
            "parent",
            "order",
            "claim_count",
            "claims_url",
        ]
        read_only_fields = fields
