from django.contrib import admin, messages
from django.db.models import Count
from django.utils.translation import ngettext

from articles.models import Article, Outlet
from articles.services import articles_publish, articles_unpublish
from claims.forms import QuoteForm
from claims.models import Quote
from config.admin import StampedAdmin


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


class QuoteInline(admin.TabularInline):
    model = Quote
    form = QuoteForm
    fields = ["claim", "text", "occurrence", "start", "end"]
    readonly_fields = ["start", "end"]
    autocomplete_fields = ["claim"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(StampedAdmin):
    ordering = ["-published_on", "title"]
    list_display = ["title", "outlet", "language", "published_on", "status", "quote_count"]
    list_select_related = ["outlet"]
    list_filter = ["status", ("outlet", admin.RelatedOnlyFieldListFilter), "language", "topics"]
    date_hierarchy = "published_on"
    search_fields = ["title", "byline", "source_url", "outlet__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["outlet", "topics", "translation_of"]
    inlines = [QuoteInline]
    actions = ["publish", "unpublish"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quote_count=Count("quotes", distinct=True))

    @admin.display(description="quotes", ordering="quote_count")
    def quote_count(self, obj):
        return obj.quote_count

    @admin.action(description="Publish selected articles", permissions=["change"])
    def publish(self, request, queryset):
        changed = articles_publish(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext("%d article was published.", "%d articles were published.", changed) % changed,
            messages.SUCCESS,
        )

    @admin.action(description="Move selected articles back to draft", permissions=["change"])
    def unpublish(self, request, queryset):
        changed = articles_unpublish(articles=queryset, user=request.user)
        self.message_user(
            request,
            ngettext(
                "%d article was moved back to draft.",
                "%d articles were moved back to draft.",
                changed,
            )
            % changed,
            messages.SUCCESS,
        )
