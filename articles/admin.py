from django.contrib import admin
from django.db.models import Count

from articles.imports.admin import ArticleImportAdminMixin
from articles.models import Article, Outlet
from articles.services import (
    article_correct,
    article_create,
    article_publish,
    article_return_to_draft,
    article_submit_for_review,
    article_update_body,
    article_withdraw,
)
from core.admin import StampedAdmin
from core.workflow_admin import WorkflowAdminMixin

# What the add page hands article_create; the rest of the form (translation_of, topics) is
# saved on the same instance and by the page's save_related.
NEW_ARTICLE_FIELDS = (
    "title",
    "slug",
    "outlet",
    "byline",
    "source_url",
    "external_uri",
    "published_on",
    "published_precision",
    "language",
    "standfirst",
    "body",
    "status",
)


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

    def save_model(self, request, obj, form, change):
        if not change:
            # The one way a new article is saved (the importers take it too).
            fields = {name: getattr(obj, name) for name in NEW_ARTICLE_FIELDS}
            article_create(instance=obj, **fields, user=request.user)
            return
        # Every edit goes through article_update_body, so the apps following article bodies
        # (claims' quotes) re-anchor in the body it saves; their report is kept for the page.
        form.body_report = article_update_body(article=obj, body=obj.body, user=request.user)
