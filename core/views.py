"""Site-wide responses no app owns: robots.txt and the 404 page."""

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views import defaults


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
