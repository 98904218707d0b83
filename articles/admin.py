from django.contrib import admin, messages
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.import_admin import ArticleImportAdminMixin
from articles.models import Article, Outlet
from articles.services import (
    article_correct,
    article_publish,
    article_return_to_draft,
    article_submit_for_review,
    article_update_body,
    article_withdraw,
)
from claims.forms import QuoteForm
from claims.models import Quote
from core.admin import StampedAdmin
from core.workflow_admin import WorkflowAdminMixin, WorkflowInlineMixin


@admin.register(Outlet)
class OutletAdmin(StampedAdmin):
    # Meta.ordering is ignored once Count() groups the rows; autocomplete pages need an order.
    ordering = ["name"]
    list_display = ["name", "country", "language", "article_count"]
    list_filter = ["language", "country"]
    search_fields = ["name", "slug", "home_url"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(article_count=Count("articles", distinct=True))
        )

    @admin.display(description="articles", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


class QuoteInline(WorkflowInlineMixin, admin.TabularInline):
    model = Quote
    form = QuoteForm
    fields = ["claim", "text", "occurrence", "start", "end", "orphaned"]
    readonly_fields = ["start", "end", "orphaned"]
    autocomplete_fields = ["claim"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(WorkflowAdminMixin, ArticleImportAdminMixin, StampedAdmin):
    ordering = ["-published_on", "title"]
    list_display = ["title", "outlet", "language", "published_on", "status", "quote_count"]
    list_select_related = ["outlet"]
    list_filter = ["status", ("outlet", admin.RelatedOnlyFieldListFilter), "language", "topics"]
    date_hierarchy = "published_on"
    search_fields = ["title", "byline", "source_url", "outlet__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["outlet", "topics", "translation_of"]
    inlines = [QuoteInline]
    actions = WorkflowAdminMixin.workflow_actions
    workflow_services = {
        "submit_for_review": article_submit_for_review,
        "publish": article_publish,
        "return_to_draft": article_return_to_draft,
        "correct": article_correct,
        "withdraw": article_withdraw,
    }

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes", distinct=True))

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    class Media:
        css = {"all": ["admin_tools/quotes.css"]}
        js = ["admin_tools/quote_selection.js"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.has_perm(f"{Quote._meta.app_label}.add_{Quote._meta.model_name}"):
            return (*fields, "quote_from_selection")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Every edit re-anchors the article's quotes in the body it saves. The inline quotes
        # are saved after this, their forms having anchored them in the same new body.
        form.reanchoring = article_update_body(article=obj, body=obj.body, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        reanchoring = getattr(form, "reanchoring", None)
        if reanchoring is not None:
            self.report_reanchoring(request, form.instance, reanchoring)

    def report_reanchoring(self, request, article, reanchoring):
        moved = len(reanchoring.moved) + len(reanchoring.restored)
        if moved:
            self.message_user(
                request,
                ngettext(
                    "%d quote followed its text to a new place in the body.",
                    "%d quotes followed their text to new places in the body.",
                    moved,
                )
                % moved,
                messages.INFO,
            )
        # An orphan whose inline form gave it a new passage on this page is no longer one.
        orphans = article.quotes.orphans().filter(pk__in=[q.pk for q in reanchoring.orphaned])
        count = orphans.count()
        if count:
            url = reverse("admin:claims_quote_changelist")
            self.message_user(
                request,
                format_html(
                    '{} Readers no longer see {}; <a href="{}?orphaned=yes&amp;article__id__exact'
                    '={}">review the orphaned quotes</a> to choose their new passage.',
                    ngettext(
                        "The text of %d quote is no longer in the body.",
                        "The text of %d quotes is no longer in the body.",
                        count,
                    )
                    % count,
                    ngettext("it", "them", count),
                    url,
                    article.pk,
                ),
                messages.WARNING,
            )

    @admin.display(description="quote from the body")
    def quote_from_selection(self, obj):
        """Where quote_selection.js puts its "Create quote from selection" button."""
        if obj is None or obj.pk is None:
            return "Save the article first; then select a passage of its body to quote it."
        return format_html(
            '<div class="quote-selection" data-add-url="{}" data-article="{}">'
            '<p class="help">Select a passage in the body, then “Create quote from '
            "selection”.</p></div>",
            reverse("admin:claims_quote_add"),
            obj.pk,
        )
