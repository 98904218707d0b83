from django.shortcuts import get_object_or_404, render

from articles.highlight import highlight_quotes
from articles.models import Article, Language, Outlet
from core.jsonld import correction_data
from core.models import related_model
from core.public import gone_or_404, paginate, preview_label, query_string_without_page

# The page shows quotes with their speakers, and an outlet's quoted experts: rows of claims and
# experts, reached through the relations those apps declare (articles imports neither).


def article_list(request):
    """Published articles, newest first, filtered by outlet and language."""
    articles = Article.objects.published().select_related("outlet").with_quote_counts()
    # A null character is never part of a slug, and PostgreSQL refuses it in a query.
    outlet_slug = request.GET.get("outlet", "").replace("\x00", "")
    language = request.GET.get("language", "")
    if outlet_slug:
        articles = articles.filter(outlet__slug=outlet_slug)
    if language in Language.values:
        articles = articles.filter(language=language)
    outlets = Outlet.objects.public()
    return render(
        request,
        "articles/article_list.html",
        {
            "page_obj": paginate(request, articles),
            "query_string": query_string_without_page(request),
            "outlets": outlets,
            "languages": Language.choices,
            "selected_outlet": outlet_slug,
            "selected_language": language,
        },
    )


def article_detail(request, slug):
    """The article with every visible quote highlighted in place, and what it cross-references."""
    try:
        article = Article.objects.visible_to(request.user).select_related("outlet").get(slug=slug)
    except Article.DoesNotExist:
        return gone_or_404(request, Article.objects.withdrawn().filter(slug=slug))
    quotes = list(article.visible_quotes(request.user).with_speakers())
    url = request.build_absolute_uri(article.get_absolute_url())
    return render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "body_html": highlight_quotes(article.body, [(q.start, q.end, q) for q in quotes]),
            "quoted": quoted_experts(quotes),
            "topics": article.topics_discussed(request.user),
            "provisions": article.provisions_discussed(request.user),
            "translations": Article.objects.published()
            .translations_of(article)
            .select_related("outlet"),
            "structured_data": news_article_data(article, url=url),
            "preview": preview_label(article),
            "corrections": article.corrections(),
        },
    )


def outlet_detail(request, slug):
    """An outlet: its published articles and the experts quoted in them."""
    outlet = get_object_or_404(Outlet.objects.visible_to(request.user), slug=slug)
    articles = Article.objects.published().filter(outlet=outlet)
    return render(
        request,
        "articles/outlet_detail.html",
        {
            "outlet": outlet,
            "page_obj": paginate(request, articles.with_quote_counts()),
            "query_string": query_string_without_page(request),
            "experts": related_model(Outlet, "articles__quotes__claim__speaker")
            .objects.quoted_in(articles)
            .order_by("-claim_count", "display_name"),
        },
    )


def quoted_experts(quotes):
    """(expert, role at the time of their first quoted claim) for each speaker, in reading order."""
    experts = {}
    for quote in quotes:
        claim = quote.claim
        if claim.speaker_id not in experts:
            experts[claim.speaker_id] = (claim.speaker, claim.speaker_role)
    return list(experts.values())


def news_article_data(article, *, url):
    """schema.org NewsArticle for the article page's JSON-LD."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.published_iso,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {"@type": "Organization", "name": article.outlet.name},
    }
    if article.outlet.home_url:
        data["publisher"]["url"] = article.outlet.home_url
    if article.language != Language.OTHER:
        data["inLanguage"] = article.language
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.standfirst:
        data["description"] = article.standfirst
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.is_corrected:
        data["correction"] = correction_data(article)
    return data
