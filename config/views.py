"""Site-wide pages: the front page and robots.txt (the sitemap is wired in urls.py)."""

from django.conf import settings
from django.db.models import Count, Max, Prefetch
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults

from articles.models import Article
from claims.models import Topic
from core.models import public_q
from experts.models import Affiliation, Expert

HOME_ARTICLES = 8
HOME_TOPICS = 12
HOME_EXPERTS = 8

_published_claims = public_q("claims__")


def topics_with_counts():
    """Topics with `expert_count` and `claim_count` of their published claims, busiest first."""
    return (
        Topic.objects.select_related("parent")
        .annotate(
            claim_count=Count("claims", filter=_published_claims, distinct=True),
            expert_count=Count("claims__speaker", filter=_published_claims, distinct=True),
        )
        .order_by("-claim_count", "title")
    )


def recently_quoted_experts():
    """Public experts, most recently quoted first, with `last_claimed_on` and `claim_count`."""
    return (
        Expert.objects.public()
        .annotate(
            last_claimed_on=Max("claims__made_on", filter=_published_claims),
            claim_count=Count("claims", filter=_published_claims, distinct=True),
        )
        .prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization"))
        )
        .order_by("-last_claimed_on", "display_name")
    )


def home(request):
    """The front page: latest articles, topics with their counts, recently quoted experts."""
    experts = list(recently_quoted_experts()[:HOME_EXPERTS])
    for expert in experts:
        expert.role = expert.role_on(expert.last_claimed_on)
    return render(
        request,
        "home.html",
        {
            "articles": Article.objects.published().select_related("outlet")[:HOME_ARTICLES],
            "topics": topics_with_counts()[:HOME_TOPICS],
            "experts": experts,
            "structured_data": website_structured_data(request),
        },
    )


def website_structured_data(request):
    """schema.org WebSite with its search action, so search engines can offer the site search."""
    root = request.build_absolute_uri(reverse("home"))
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": root,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": request.build_absolute_uri(reverse("search"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def robots_txt(request):
    """Crawl everything but the back office, and find the pages through the sitemap."""
    return render(
        request,
        "robots.txt",
        {"sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain; charset=utf-8",
    )


def page_not_found(request, exception):
    """404: JSON under /api/ (partners parse it), the site's page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
