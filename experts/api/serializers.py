"""Experts and organizations as the partner API shows them."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.common import HtmlUrlField, ListLinkField
from experts.models import Affiliation, Expert, Organization
from experts.views import WIKIDATA_URL


class OrganizationSummarySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")

    class Meta:
        model = Organization
        fields = ["slug", "name", "url"]
        read_only_fields = fields


class CurrentRoleSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="role_title", read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["title", "organization"]
        read_only_fields = fields


class AffiliationSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)

    class Meta:
        model = Affiliation
        fields = ["role_title", "organization", "start_date", "end_date"]
        read_only_fields = fields


class ExpertSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:expert-detail")
    html_url = HtmlUrlField()
    name_variants = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="name",
        help_text="Other spellings of the name: transliterations, other scripts.",
    )
    wikidata_url = serializers.SerializerMethodField()
    current_role = CurrentRoleSerializer(
        read_only=True, allow_null=True, help_text="The role held now, if any."
    )
    affiliations = AffiliationSerializer(
        many=True, read_only=True, help_text="Roles held now and before, current first."
    )
    claim_count = serializers.IntegerField(read_only=True, help_text="Published claims.")
    first_quoted = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Publication date of the earliest published article quoting the expert.",
    )
    last_quoted = serializers.DateField(
        read_only=True,
        allow_null=True,
        help_text="Publication date of the latest published article quoting the expert.",
    )
    claims_url = ListLinkField(
        "api:claim-list", "expert", help_text="The expert's published claims."
    )

    class Meta:
        model = Expert
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "display_name",
            "name_variants",
            "bio",
            "country",
            "wikidata_id",
            "wikidata_url",
            "current_role",
            "affiliations",
            "claim_count",
            "first_quoted",
            "last_quoted",
            "claims_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_wikidata_url(self, expert):
        return WIKIDATA_URL.format(expert.wikidata_id) if expert.wikidata_id else None


class OrganizationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:organization-detail")
    html_url = serializers.SerializerMethodField(
        help_text="The public page: organizations have none yet, so always null."
    )
    expert_count = serializers.IntegerField(
        read_only=True, help_text="Public experts who hold or held a role there."
    )
    experts_url = ListLinkField(
        "api:expert-list", "organization", help_text="The organization's public experts."
    )

    class Meta:
        model = Organization
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "name",
            "kind",
            "country",
            "expert_count",
            "experts_url",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_html_url(self, organization):
        return None
