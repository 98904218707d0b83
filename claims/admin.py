from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from claims.forms import QuoteForm
from claims.models import (
    Claim,
    ClaimProvision,
    ClaimTopic,
    PartnerKey,
    Provision,
    Quote,
    Topic,
    Treaty,
)
from claims.services import claims_publish, claims_unpublish
from config.admin import StampedAdmin

# Provision.__str__ walks up the parents; three levels cover article > paragraph > point.
PROVISION_LABEL_RELATED = ["treaty", "parent__parent__parent"]


@admin.register(Topic)
class TopicAdmin(StampedAdmin):
    # Meta.ordering is ignored once Count() groups the rows; autocomplete pages need an order.
    ordering = ["title"]
    list_display = ["title", "question", "parent", "claim_count"]
    list_select_related = ["parent"]
    list_filter = [("parent", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["title", "slug", "question"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(claim_count=Count("claim_links", distinct=True))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        return obj.claim_count


class ClaimTopicInline(admin.TabularInline):
    model = ClaimTopic
    fields = ["topic", "stance"]
    autocomplete_fields = ["topic"]
    extra = 0


class ClaimProvisionInline(admin.TabularInline):
    model = ClaimProvision
    fields = ["provision", "relation", "note"]
    autocomplete_fields = ["provision"]
    extra = 0


class QuoteInline(admin.StackedInline):
    model = Quote
    form = QuoteForm
    fields = ["article", "text", "occurrence", ("start", "end")]
    readonly_fields = ["start", "end"]
    autocomplete_fields = ["article"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(StampedAdmin):
    ordering = ["-made_on", "id"]
    list_display = ["summary", "speaker", "kind", "topic_list", "made_on", "quote_count", "status"]
    list_select_related = ["speaker"]
    list_filter = [
        "status",
        "kind",
        ("speaker", admin.RelatedOnlyFieldListFilter),
        ("topics", admin.RelatedOnlyFieldListFilter),
    ]
    date_hierarchy = "made_on"
    search_fields = ["summary", "speaker__display_name", "speaker__name_variants__name"]
    autocomplete_fields = ["speaker"]
    fieldsets = [
        (None, {"fields": ["speaker", "summary", "kind", ("made_on", "made_precision"), "status"]}),
        (
            "Prediction",
            {
                "fields": ["due_on", "outcome", "outcome_note", "outcome_source_url"],
                "description": "Only for predictions.",
                "classes": ["collapse"],
            },
        ),
    ]
    inlines = [ClaimTopicInline, ClaimProvisionInline, QuoteInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(quote_count=Count("quotes", distinct=True))
            .prefetch_related("topics")
        )

    @admin.display(description="topics")
    def topic_list(self, obj):
        return ", ".join(topic.title for topic in obj.topics.all())

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.action(description="Publish selected claims", permissions=["change"])
    def publish(self, request, queryset):
        changed = claims_publish(claims=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%d claim was published.", "%d claims were published.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description="Move selected claims back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        changed = claims_unpublish(claims=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%d claim was moved back to draft.", "%d claims were moved back to draft.", changed
            )
            % changed,
            messages.SUCCESS,
        )


@admin.register(Quote)
class QuoteAdmin(StampedAdmin):
    form = QuoteForm
    list_display = ["__str__", "claim", "article", "start", "end"]
    list_select_related = ["claim", "article"]
    list_filter = [
        ("claim__speaker", admin.RelatedOnlyFieldListFilter),
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "claim__summary", "article__title"]
    fields = ["claim", "article", "text", "occurrence", "start", "end"]
    readonly_fields = ["start", "end"]
    autocomplete_fields = ["claim", "article"]


class ProvisionInline(admin.TabularInline):
    model = Provision
    fields = ["number", "address", "parent", "heading", "text_is_official", "order"]
    autocomplete_fields = ["parent"]
    show_change_link = True
    extra = 0


@admin.register(Treaty)
class TreatyAdmin(StampedAdmin):
    ordering = ["-signed_on", "title"]
    list_display = ["short_name", "title", "signed_on", "in_force_on", "provision_count"]
    search_fields = ["short_name", "title", "slug"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [ProvisionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(provision_count=Count("provisions", distinct=True))
        )

    @admin.display(description="provisions", ordering="provision_count")
    def provision_count(self, obj):
        return obj.provision_count


@admin.register(Provision)
class ProvisionAdmin(StampedAdmin):
    list_display = ["citation", "treaty", "address", "text_is_official", "order"]
    # Without it the changelist swaps get_queryset()'s joins for a bare select_related().
    list_select_related = PROVISION_LABEL_RELATED
    list_filter = [("treaty", admin.RelatedOnlyFieldListFilter), "text_is_official"]
    search_fields = ["number", "address", "heading", "treaty__short_name", "treaty__title"]
    autocomplete_fields = ["treaty", "parent"]

    def get_queryset(self, request):
        # Autocomplete results print the citation label too.
        return super().get_queryset(request).select_related(*PROVISION_LABEL_RELATED)

    @admin.display(description="citation")
    def citation(self, obj):
        return obj.citation_label


# The package registers its own unused APIKey model; partners' keys are PartnerKeys.
admin.site.unregister(APIKey)


@admin.register(PartnerKey)
class PartnerKeyAdmin(SimpleHistoryAdmin, APIKeyModelAdmin):
    """Editors create keys (the plain key is shown once, then only its hash is kept) and
    revoke them; a revoked key cannot be brought back."""

    list_display = [
        "name",
        "contact",
        "prefix",
        "created",
        "expiry_date",
        "_has_expired",
        "revoked",
    ]
    list_filter = ["revoked", "created"]
    search_fields = ["name", "contact", "prefix"]
    fields = ["name", "contact", "notes", "throttle_rate", "expiry_date", "revoked", "prefix"]
    actions = ["revoke"]

    @admin.action(description="Revoke selected keys", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for key in queryset.filter(revoked=False):
            key.revoked = True
            key.save()
            revoked += 1
        self.message_user(
            request,
            ngettext("%d key was revoked.", "%d keys were revoked.", revoked) % revoked,
            messages.SUCCESS,
        )
