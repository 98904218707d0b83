"""Site-wide pages: the front page, search and robots.txt (the sitemap is wired in urls.py)."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Count, Max, Prefetch, prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

from articles.models import Article, Language, Outlet
from claims.models import SearchEntry, Topic
from claims.search import results as kb_search
from core.converters import MAX_ID
from core.models import public_q
from experts.models import Affiliation, Expert

HOME_ARTICLES = 8
HOME_TOPICS = 12
HOME_EXPERTS = 8
SUGGESTIONS = 8
# Facet values shown before the "more" disclosure, and at most in all.
FACET_SHOWN = 8
FACET_MAX = 40

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


class RecordField(forms.IntegerField):
    """A record's id in the query string, cleaned to the record; an id naming none is invalid."""

    def __init__(self, queryset, **kwargs):
        self.queryset = queryset
        super().__init__(min_value=1, max_value=MAX_ID, required=False, **kwargs)

    def clean(self, value):
        pk = super().clean(value)
        if pk is None:
            return None
        record = self.queryset.filter(pk=pk).first()
        if record is None:
            raise forms.ValidationError(_("There is no such record."), code="unknown")
        return record


class SearchFilterForm(forms.Form):
    """The /search/ page's filters and page number, as links build them.

    A value that cannot be used is dropped (the page says so), never an error page.
    """

    type = forms.ChoiceField(choices=SearchEntry.Kind.choices, required=False)
    topic = RecordField(Topic.objects.only("pk", "title"))
    outlet = RecordField(Outlet.objects.only("pk", "name"))
    language = forms.ChoiceField(choices=Language.choices, required=False)
    year = forms.IntegerField(min_value=1900, max_value=2100, required=False)
    page = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    # Query-string names of the filters, in the order links carry them; all but the type are
    # facets of the sidebar.
    FILTERS = ("type", "topic", "outlet", "language", "year")
    FACET_LABELS = {
        "topic": _("Topic"),
        "outlet": _("Outlet"),
        "language": _("Language"),
        "year": _("Year"),
    }
    FACETS = tuple(FACET_LABELS)

    def applied(self):
        """{name: query-string value} of the valid filters given, in link order."""
        applied = {}
        for name in self.FILTERS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                continue
            applied[name] = str(value.pk if hasattr(value, "pk") else value)
        return applied

    def engine_filters(self):
        """The filters as claims.search.search() takes them."""
        applied = self.applied()
        return {("kind" if name == "type" else name): value for name, value in applied.items()}

    def rejected(self):
        """[(name, value given)] of the parameters that were not valid."""
        return [(name, self.data.get(name, "")) for name in self.errors]


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

    links = SearchLinks(search_query, form.applied())
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
    prefetch_related_objects(
        experts,
        Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization")),
    )


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
        .annotate(claim_count=Count("claims", filter=_published_claims))
        .order_by("-claim_count", "display_name")[:SUGGESTIONS],
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
