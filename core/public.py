"""Small pieces every public page uses: pagination, the staff preview banner, 410 Gone."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

PER_PAGE = 20


def paginate(request, items, *, per_page=PER_PAGE):
    """The requested page of `items`; out-of-range or malformed page numbers give a valid page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def query_string_without_page(request):
    """The current filters, for pagination links that keep them."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def preview_label(obj):
    """The status to show in the preview banner when staff view an unpublished item, else ""."""
    if getattr(obj, "is_published", True):
        return ""
    return obj.get_status_display()


def gone_or_404(request, withdrawn):
    """For a page whose item a reader may not see: 410 Gone when it was withdrawn (`withdrawn`
    is a queryset holding it if so), so search engines drop it; else the usual 404."""
    if withdrawn.exists():
        return render(request, "410.html", status=410)
    raise Http404
