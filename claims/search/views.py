"""The /search/ page: ranked results of every kind, type tabs, facets and pages."""

from urllib.parse import urlencode

from django.db.models import Count, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.models import Language
from claims.models import SearchEntry, Topic
from core.models import public_q
from experts.models import Expert, affiliations_prefetch

from . import results as kb_search
from .parameters import SearchFilterForm

SUGGESTIONS = 8
# Facet values shown before the "more" disclosure, and at most in all.
FACET_SHOWN = 8
FACET_MAX = 40


def search(request):
    """Ranked results of every kind for `q`, with type tabs, facets to narrow them and pages."""
    search_query = request.GET.get("q", "").strip()
    form = SearchFilterForm(request.GET)
    form.is_valid()
    context = {"search_query": search_query, "rejected": form.rejected()}
    if not kb_search.parse(search_query).text:
        return render(request, "search.html", context | {"search_query": ""} | start_here())

    page = form.cleaned_data.get("page") or 1
    results = kb_search.search(search_query, filters=form.engine_filters(), page=page)
    if results.total and results.page > results.pages:
        # Past the last page (an old link, a hand-edited URL): show the last page.
        results = kb_search.search(search_query, filters=form.engine_filters(), page=results.pages)
    with_result_context([hit.object for hit in results.hits if hit.kind == "expert"])

    links = SearchLinks(search_query, form.query_string())
    context |= {
        "results": results,
        "tabs": links.tabs(results.facets.get("kind", ())),
        "facet_groups": links.facet_groups(results.facets, SearchFilterForm.FACET_LABELS),
        "chips": links.chips(form),
        "clear_filters_url": links.url(**dict.fromkeys(SearchFilterForm.FACETS)),
        "previous_url": links.page(results.page - 1) if results.has_previous else "",
        "next_url": links.page(results.page + 1) if results.has_next else "",
        "max_query_chars": kb_search.MAX_QUERY_CHARS,
        "max_terms": kb_search.MAX_TERMS,
        "max_results": kb_search.MAX_PAGE * results.per_page,
    }
    if not results.hits and not results.message:
        found = kb_search.suggestions(search_query)
        context["suggestions"] = found
        if not (found["experts"] or found["topics"]):
            context |= start_here()
    elif results.message:
        context |= start_here()
    return render(request, "search.html", context)


def with_result_context(experts):
    """Give expert hits their affiliations (one query), for the role beside their name."""
    prefetch_related_objects(experts, affiliations_prefetch())


class SearchLinks:
    """The search page's links: the query with one filter changed, and the page dropped."""

    def __init__(self, query, applied):
        self.query = query
        self.applied = applied

    def url(self, **changes):
        params = {"q": self.query, **self.applied}
        for name, value in changes.items():
            if value is None:
                params.pop(name, None)
            else:
                params[name] = str(value)
        return f"{reverse('search')}?{urlencode(params)}"

    def page(self, number):
        params = {"q": self.query, **self.applied, "page": number}
        return f"{reverse('search')}?{urlencode(params)}"

    def tabs(self, kinds):
        """All, then one tab per type that has results (or is chosen), with their counts."""
        chosen = self.applied.get("type")
        tabs = [
            {
                "label": _("All"),
                "count": sum(kind.count for kind in kinds),
                "url": self.url(type=None),
                "current": chosen is None,
            }
        ]
        counts = {kind.value: kind.count for kind in kinds}
        for kind in SearchEntry.Kind:
            if kind.value in counts or kind.value == chosen:
                tabs.append(
                    {
                        "label": kind.label,
                        "count": counts.get(kind.value, 0),
                        "url": self.url(type=kind.value),
                        "current": kind.value == chosen,
                    }
                )
        return tabs

    def facet_groups(self, facets, labels):
        """Per facet: its values with counts, each a link that applies it (or, when applied,
        removes it). The first FACET_SHOWN are shown, the rest behind a disclosure."""
        groups = []
        for name, label in labels.items():
            values = [
                {
                    "label": value.label,
                    "count": value.count,
                    "selected": value.selected,
                    "url": self.url(**{name: None if value.selected else value.value}),
                }
                # The applied value first, so it is never hidden behind "more".
                for value in sorted(facets.get(name, ()), key=lambda v: not v.selected)[:FACET_MAX]
            ]
            if values:
                groups.append(
                    {
                        "name": name,
                        "label": label,
                        "values": values[:FACET_SHOWN],
                        "more": values[FACET_SHOWN:],
                    }
                )
        return groups

    def chips(self, form):
        """The applied facet filters, each with its label and a link that removes it."""
        chips = []
        for name in SearchFilterForm.FACETS:
            if name not in self.applied:
                continue
            value = form.cleaned_data[name]
            if name == "topic":
                text = value.title
            elif name == "outlet":
                text = value.name
            elif name == "language":
                text = Language(value).label
            else:
                text = str(value)
            chips.append(
                {
                    "facet": SearchFilterForm.FACET_LABELS[name],
                    "label": text,
                    "remove_url": self.url(**{name: None}),
                }
            )
        return chips


def start_here():
    """Where to go when a search has nothing to show: the topics and the most quoted experts."""
    return {
        "suggested_topics": Topic.objects.filter(parent=None)[:SUGGESTIONS],
        "suggested_experts": Expert.objects.public()
        .annotate(claim_count=Count("claims", filter=public_q("claims__")))
        .order_by("-claim_count", "display_name")[:SUGGESTIONS],
    }
