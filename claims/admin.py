from django.contrib import admin, messages
from django.db.models import Count
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import ngettext
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey
from simple_history.admin import SimpleHistoryAdmin

from claims import article_admin  # noqa: F401  (the article admin, with its quotes)
from claims.forms import QuoteAddForm, QuoteForm
from claims.models import (
    QUOTE_CONTEXT_LENGTH,
    Claim,
    ClaimProvision,
    ClaimTopic,
    Provision,
    Quote,
    Topic,
    Treaty,
)
from claims.services import (
    claim_correct,
    claim_create,
    claim_publish,
    claim_return_to_draft,
    claim_submit_for_review,
    claim_withdraw,
    quote_repair,
)
from core.admin import StampedAdmin
from core.api.keys import PartnerKey
from core.models import PublicationStatus
from core.workflow import TRANSITIONS, may_edit
from core.workflow_admin import WorkflowAdminMixin, WorkflowInlineMixin, review_queue_view

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


class ClaimTopicInline(WorkflowInlineMixin, admin.TabularInline):
    model = ClaimTopic
    fields = ["topic", "stance"]
    autocomplete_fields = ["topic"]
    extra = 0


class ClaimProvisionInline(WorkflowInlineMixin, admin.TabularInline):
    model = ClaimProvision
    fields = ["provision", "relation", "note"]
    autocomplete_fields = ["provision"]
    extra = 0


class QuoteInline(WorkflowInlineMixin, admin.StackedInline):
    model = Quote
    form = QuoteForm
    fields = ["article", "text", "occurrence", ("start", "end", "orphaned")]
    readonly_fields = ["start", "end", "orphaned"]
    autocomplete_fields = ["article"]
    extra = 0


@admin.register(Claim)
class ClaimAdmin(WorkflowAdminMixin, StampedAdmin):
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
        (None, {"fields": ["speaker", "summary", "kind", ("made_on", "made_precision")]}),
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
    actions = WorkflowAdminMixin.workflow_actions
    workflow_services = {
        "submit_for_review": claim_submit_for_review,
        "publish": claim_publish,
        "return_to_draft": claim_return_to_draft,
        "correct": claim_correct,
        "withdraw": claim_withdraw,
    }

    def get_urls(self):
        # The queue lists articles too; it lives here, next to the roles (claims/roles.py).
        return [
            path(
                "review-queue/",
                self.admin_site.admin_view(review_queue_view(self)),
                name="review_queue",
            ),
            *super().get_urls(),
        ]

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


class OrphanedQuoteFilter(admin.SimpleListFilter):
    """Orphaned quotes (their text left the body in an edit) or anchored ones."""

    title = "anchoring"
    parameter_name = "orphaned"

    def lookups(self, request, model_admin):
        return [("yes", "Orphaned quotes"), ("no", "Anchored quotes")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.orphans()
        if self.value() == "no":
            return queryset.anchored()
        return queryset


@admin.register(Quote)
class QuoteAdmin(StampedAdmin):
    """Quotes, with a new claim on the add form and the review and repair of orphans.

    The add form takes `article`, `text` and `occurrence` from the query string, as the
    article page's "Create quote from selection" button sends them.
    """

    form = QuoteForm
    list_display = ["__str__", "claim", "article", "start", "end", "orphaned"]
    list_select_related = ["claim", "article"]
    list_filter = [
        OrphanedQuoteFilter,
        ("claim__speaker", admin.RelatedOnlyFieldListFilter),
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["text", "claim__summary", "article__title"]
    fields = ["claim", "article", "text", "occurrence", "start", "end"]
    readonly_fields = ["start", "end", "orphaned_at", "orphan_review"]
    autocomplete_fields = ["claim", "article"]

    class Media:
        css = {"all": ["admin_tools/quotes.css"]}

    def may_create_claims(self, request):
        return request.user.has_perm(f"{Claim._meta.app_label}.add_{Claim._meta.model_name}")

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None and self.may_create_claims(request):
            kwargs["form"] = QuoteAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fieldsets = [
                (None, {"fields": ["article", "text", "occurrence"]}),
                ("Claim", {"fields": ["claim"]}),
            ]
            if self.may_create_claims(request):
                fieldsets.append(
                    (
                        "… or a new claim",
                        {
                            "fields": ["speaker", "summary", "kind", "made_on"],
                            "description": "Leave the claim above empty to create a draft "
                            "claim with this quote.",
                        },
                    )
                )
            return fieldsets
        if obj.orphaned:
            fieldsets = [
                (
                    "Orphaned: its text is no longer in the article's body",
                    {
                        "fields": ["orphan_review", "orphaned_at"],
                        "description": "Readers do not see this quote. To repair it, put the "
                        "passage as the body now reads in Text (and which occurrence, if it "
                        "repeats) and save.",
                    },
                ),
                (None, {"fields": ["claim", "article", "text", "occurrence", ("start", "end")]}),
            ]
            return self.with_opened_version(request, obj, fieldsets)
        return super().get_fieldsets(request, obj)

    def save_model(self, request, obj, form, change):
        occurrence = form.cleaned_data.get("occurrence")
        if change and form.repairs_orphan:
            quote_repair(quote=obj, text=obj.text, occurrence=occurrence, user=request.user)
            return
        new_claim = form.new_claim() if isinstance(form, QuoteAddForm) else None
        if new_claim is None:
            super().save_model(request, obj, form, change)
            return
        claim = claim_create(
            **new_claim, quotes=[(obj.article, obj.text, occurrence)], user=request.user
        )
        # The admin logs the addition and redirects with the object it handed over.
        obj.pk = claim.quotes.get().pk
        obj.refresh_from_db()

    @admin.display(description="before the edit and now")
    def orphan_review(self, obj):
        """The quote in its old context beside the edited body at its old place (escaped)."""
        if obj is None or not obj.orphaned:
            return "—"
        return format_html(
            '<div class="orphan-review">'
            '<section><h4>Quoted, before the edit</h4><p class="orphan-review-text">'
            "{}{}<mark>{}</mark>{}{}</p></section>"
            '<section><h4>The edited body where it stood</h4><p class="orphan-review-text">'
            "{}</p></section></div>"
            '<details class="orphan-review-body"><summary>The whole body now</summary>'
            '<p class="orphan-review-text">{}</p></details>',
            "…" if len(obj.prefix) == QUOTE_CONTEXT_LENGTH else "",
            obj.prefix,
            obj.text,
            obj.suffix,
            "…" if len(obj.suffix) == QUOTE_CONTEXT_LENGTH else "",
            obj.orphaned_context,
            obj.article.body,
        )

    # A quote is part of its claim: who may not edit the claim may not edit its quotes.
    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, obj.claim))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_edit(request.user, obj.claim))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "claim" and not request.user.has_perm(
            TRANSITIONS["publish"].permission(Claim._meta)
        ):
            # Contributors quote for their drafts only; a posted published claim is refused.
            kwargs["queryset"] = Claim.objects.filter(status=PublicationStatus.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
