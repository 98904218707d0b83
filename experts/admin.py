from django.contrib import admin
from django.db.models import Count

from config.admin import StampedAdmin
from experts.models import Affiliation, Expert, NameVariant, Organization


class NameVariantInline(admin.TabularInline):
    model = NameVariant
    extra = 0


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fields = ["organization", "role_title", "start_date", "end_date"]
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Expert)
class ExpertAdmin(StampedAdmin):
    # Meta.ordering is ignored once Count() groups the rows; autocomplete pages need an order.
    ordering = ["display_name"]
    list_display = ["display_name", "variants", "country", "claim_count"]
    list_filter = ["country"]
    search_fields = ["display_name", "name_variants__name", "=wikidata_id"]
    prepopulated_fields = {"slug": ["display_name"]}
    inlines = [NameVariantInline, AffiliationInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=Count("claims", distinct=True))
            .prefetch_related("name_variants")
        )

    @admin.display(description="name variants")
    def variants(self, obj):
        return ", ".join(variant.name for variant in obj.name_variants.all())

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count


@admin.register(Organization)
class OrganizationAdmin(StampedAdmin):
    ordering = ["name"]
    list_display = ["name", "kind", "country", "affiliation_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(affiliation_count=Count("affiliations", distinct=True))
        )

    @admin.display(description="affiliations", ordering="affiliation_count")
    def affiliation_count(self, obj):
        return obj.affiliation_count


@admin.register(Affiliation)
class AffiliationAdmin(StampedAdmin):
    list_display = ["expert", "role_title", "organization", "start_date", "end_date"]
    list_select_related = ["expert", "organization"]
    list_filter = [("organization", admin.RelatedOnlyFieldListFilter), "organization__kind"]
    search_fields = [
        "expert__display_name",
        "expert__name_variants__name",
        "organization__name",
        "role_title",
    ]
    autocomplete_fields = ["expert", "organization"]
