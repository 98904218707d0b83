"""The partner API's expert and organization endpoints: public experts only.

Built in claims because their lists count, date and search experts by their claims (claims'
search index, topics and quotes); the serializers are experts' own (experts/api/).

A filter value that cannot be used (an unknown slug, an unknown kind) fails the form, which the
API answers with a 400 naming the parameter.
"""

import django_filters
from django.db.models import Exists, Max, Min, OuterRef, Q, Subquery
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view

from articles.api.filters import CountryFilter
from claims.api.filters import SearchTextFilter
from claims.models import Claim, Quote, SearchEntry, Topic
from core.api.common import SlugFilter
from core.api.views import ReadOnlyViewSet
from core.models import public_q
from experts.api.serializers import ExpertSerializer, OrganizationSerializer
from experts.models import Expert, Organization

ORGANIZATION_SUMMARY_EXAMPLE = {
    "slug": "center-for-military-legal-research",
    "name": "Center for Military Legal Research",
    "url": "https://kb.example.org/api/v1/organizations/1/",
}

EXPERT_EXAMPLE = {
    "id": 1,
    "slug": "oleksandr-musienko",
    "url": "https://kb.example.org/api/v1/experts/1/",
    "html_url": "https://kb.example.org/experts/oleksandr-musienko/",
    "display_name": "Oleksandr Musienko",
    "name_variants": [
        "Alexander Musienko",
        "Musiienko",
        "Oleksandr Musiienko",
        "Александр Мусиенко",
        "Олександр Мусієнко",
    ],
    "bio": "Ukrainian military and legal analyst who heads the Center for Military Legal Research.",
    "country": "UA",
    "wikidata_id": "",
    "wikidata_url": None,
    "current_role": {"title": "Head", "organization": ORGANIZATION_SUMMARY_EXAMPLE},
    "affiliations": [
        {
            "role_title": "Head",
            "organization": ORGANIZATION_SUMMARY_EXAMPLE,
            "start_date": None,
            "end_date": None,
        }
    ],
    "claim_count": 9,
    "first_quoted": "2024-06-01",
    "last_quoted": "2024-06-01",
    "claims_url": "https://kb.example.org/api/v1/claims/?expert=oleksandr-musienko",
}

ORGANIZATION_EXAMPLE = {
    "id": 1,
    "slug": "center-for-military-legal-research",
    "url": "https://kb.example.org/api/v1/organizations/1/",
    "html_url": None,
    "name": "Center for Military Legal Research",
    "kind": "research",
    "country": "UA",
    "expert_count": 1,
    "experts_url": "https://kb.example.org/api/v1/experts/"
    "?organization=center-for-military-legal-research",
}


class ExpertFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        SearchEntry.Kind.EXPERT,
        searches="Searches every spelling of the name and the bio; names also match across "
        "transliterations, so `Musiienko`, `Alexander Musienko` and `Мусієнко` all find "
        "Oleksandr Musienko.",
    )
    organization = SlugFilter(
        queryset=Organization.objects.public(),
        method="filter_organization",
        help_text="Organization slug: experts who hold or held a role there.",
    )
    topic = SlugFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text="Topic slug, e.g. `china-role`: experts with published claims on the topic "
        "or one of its sub-topics.",
    )

    class Meta:
        model = Expert
        fields = ["q", "organization", "topic"]

    def filter_organization(self, queryset, name, value):
        return queryset.affiliated_with(value)

    def filter_topic(self, queryset, name, value):
        claims = Claim.objects.published().about_any(Topic.objects.subtree(value))
        return queryset.filter(Exists(claims.filter(speaker=OuterRef("pk"))))


class OrganizationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Organization.Kind.choices, help_text="The kind of organization."
    )
    country = CountryFilter()
    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        help_text="Text in the organization's name (case-insensitive).",
    )

    class Meta:
        model = Organization
        fields = ["kind", "country", "q"]


def with_quote_dates(experts):
    """`experts` annotated with `first_quoted` / `last_quoted`: the publication dates of the
    earliest and latest published articles quoting their published claims (None if never)."""
    dates = (
        Quote.objects.public()
        .filter(claim__speaker=OuterRef("pk"))
        .order_by()
        .values("claim__speaker")
        .annotate(first=Min("article__published_on"), last=Max("article__published_on"))
    )
    return experts.annotate(
        first_quoted=Subquery(dates.values("first")),
        last_quoted=Subquery(dates.values("last")),
    )


@extend_schema_view(
    list=extend_schema(
        summary="List experts",
        description=(
            "Experts with at least one published claim, A–Z. `q` searches every spelling of "
            "their names; filter by organization and by topic (sub-topics included). "
            "Page-numbered: `page`, `page_size` up to 100."
        ),
        examples=[OpenApiExample("An expert", value=EXPERT_EXAMPLE, response_only=True)],
    ),
    retrieve=extend_schema(
        summary="One expert",
        description=(
            "The expert with their roles; `claims_url` lists their published claims. An expert "
            "without published claims is a 404."
        ),
        examples=[OpenApiExample("An expert", value=EXPERT_EXAMPLE, response_only=True)],
    ),
)
class ExpertViewSet(ReadOnlyViewSet):
    queryset = with_quote_dates(Expert.objects.public().with_profile_data().with_claim_counts())
    serializer_class = ExpertSerializer
    filterset_class = ExpertFilter
    ordering_fields = ["display_name", "id"]
    ordering = ["display_name", "id"]
    freshness_fields = (
        "updated",
        "name_variants__updated",
        "affiliations__updated",
        "affiliations__organization__updated",
        "claims__updated",
        "claims__quotes__updated",
        "claims__quotes__article__updated",
    )
    # `claim_count` and the quote dates come from published claims and their public quotes.
    freshness_shown = {
        "claims": public_q("claims__"),
        "claims__quotes": public_q("claims__")
        & Q(claims__quotes__orphaned=False)
        & public_q("claims__quotes__article__"),
    }


@extend_schema_view(
    list=extend_schema(
        summary="List organizations",
        description=(
            "The research centres, universities, media and other bodies where a public expert "
            "holds or held a role, by name, with their count of public experts. Filter by "
            "kind, country and name. Page-numbered: `page`, `page_size` up to 100."
        ),
        examples=[
            OpenApiExample("An organization", value=ORGANIZATION_EXAMPLE, response_only=True)
        ],
    ),
    retrieve=extend_schema(
        summary="One organization",
        description=(
            "The organization; `experts_url` lists its public experts. An organization "
            "without a public expert is a 404."
        ),
        examples=[
            OpenApiExample("An organization", value=ORGANIZATION_EXAMPLE, response_only=True)
        ],
    ),
)
class OrganizationViewSet(ReadOnlyViewSet):
    queryset = Organization.objects.public().with_expert_counts()
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilter
    ordering_fields = ["name", "id"]
    ordering = ["name", "id"]
    freshness_fields = ("updated", "affiliations__updated", "affiliations__expert__claims__updated")
    # `expert_count` counts public experts: those with a published claim.
    freshness_shown = {
        "affiliations": Q(affiliations__expert__in=Expert.objects.public().values("pk")),
        "affiliations__expert__claims": public_q("affiliations__expert__claims__"),
    }
