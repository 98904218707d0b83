"""The experts A–Z and what an expert's own record gives a page: the merged-slug redirect and
the schema.org Person. The profile page, which lists claims and the articles quoting them, is
composed in claims/expert_pages.py."""

from django.db.models.functions import Left
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse

from core.public import paginate, query_string_without_page
from experts.models import Expert

WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"


def expert_list(request):
    """Public experts A–Z with their name variants, filtered by `q` (names and variants)."""
    # A null character is never part of a name, and PostgreSQL refuses it in a query.
    query = request.GET.get("q", "").replace("\x00", "").strip()
    letter = request.GET.get("letter", "").replace("\x00", "").strip()[:1]
    experts = Expert.objects.public().matching(query).with_claim_counts()
    if letter:
        experts = experts.filter(display_name__istartswith=letter)
    experts = experts.with_profile_data().order_by("display_name", "pk")
    initials = (
        Expert.objects.public()
        .annotate(first=Left("display_name", 1))
        .values_list("first", flat=True)
        .order_by()
        .distinct()
    )
    return render(
        request,
        "experts/expert_list.html",
        {
            "page_obj": paginate(request, experts),
            "query_string": query_string_without_page(request),
            "query": query,
            "letter": letter.upper(),
            "letters": sorted({first.upper() for first in initials if first.isalnum()}),
        },
    )


def redirect_merged(request, experts, slug, *, url_name="experts:detail"):
    """301 from a merged expert's old slug to the page `url_name` of the expert kept, if that
    one is among `experts`; 404 otherwise. The query string goes along."""
    kept = experts.formerly(slug).only("slug").first()
    if kept is None:
        raise Http404("No expert has this address.")
    url = reverse(url_name, kwargs={"slug": kept.slug})
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"{url}?{query}" if query else url)


def person_data(expert, *, url):
    """schema.org Person for the profile's JSON-LD."""
    data = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": expert.display_name,
        "url": url,
    }
    variants = [variant.name for variant in expert.name_variants.all()]
    if variants:
        data["alternateName"] = variants
    if expert.bio:
        data["description"] = expert.bio
    current = expert.current_role
    if current:
        data["jobTitle"] = current.role_title
    organizations = {a.organization_id: a.organization for a in expert.affiliations.all()}
    if organizations:
        data["affiliation"] = [
            {"@type": "Organization", "name": organization.name}
            for organization in organizations.values()
        ]
    if expert.wikidata_id:
        data["sameAs"] = [WIKIDATA_URL.format(expert.wikidata_id)]
    return data
