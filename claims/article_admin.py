"""The article admin with the article's quotes.

articles/admin.py edits articles alone; claims registers it again with what quotes add: the
quote inline, the "Create quote from selection" button, and the report of what a body edit did
to the quotes (moved with their text, or orphaned).
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from articles.admin import ArticleAdmin
from articles.models import Article
from claims.forms import QuoteForm
from claims.models import Quote
from core.workflow_admin import WorkflowInlineMixin


class QuoteInline(WorkflowInlineMixin, admin.TabularInline):
    model = Quote
    form = QuoteForm
    fields = ["claim", "text", "occurrence", "start", "end", "orphaned"]
    readonly_fields = ["start", "end", "orphaned"]
    autocomplete_fields = ["claim"]
    extra = 0


class ArticleWithQuotesAdmin(ArticleAdmin):
    inlines = [*ArticleAdmin.inlines, QuoteInline]

    class Media:
        css = {"all": ["admin_tools/quotes.css"]}
        js = ["admin_tools/quote_selection.js"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if request.user.has_perm(f"{Quote._meta.app_label}.add_{Quote._meta.model_name}"):
            return (*fields, "quote_from_selection")
        return fields

    def save_related(self, request, form, formsets, change):
        # The inline quotes are saved here, after save_model re-anchored the others: their
        # forms anchored them in the same new body.
        super().save_related(request, form, formsets, change)
        reanchoring = getattr(form, "body_report", None)
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


admin.site.unregister(Article)
admin.site.register(Article, ArticleWithQuotesAdmin)
