"""FilterSets for the partner API's expert and organization lists.

A value that cannot be used (an unknown slug, an unknown kind) fails the form, which the API
answers with a 400 naming the parameter.
"""

import django_filters

from articles.api.filters import CountryFilter
from claims.api.filters import SearchTextFilter
from claims.models import SearchEntry, Topic
from core.api.common import SlugFilter
from experts.models import Expert, Organization


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
        return queryset.speaking_about(Topic.objects.subtree(value))


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
