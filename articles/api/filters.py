"""FilterSets for the partner API's article and outlet lists.

A value that cannot be used (an unknown slug, a bad date, a language we do not know) fails
the form, which the API answers with a 400 naming the parameter.
"""

import django_filters
from drf_spectacular.utils import extend_schema_field

from articles.models import Article, Language, Outlet
from claims.api.filters import SearchTextFilter
from claims.models import Claim, SearchEntry, Topic
from core.api.common import IsoDateFilter, SlugFilter
from core.validators import country_code_validator
from experts.models import Expert


class CountryFilter(django_filters.CharFilter):
    """A two-letter ISO 3166 code in capitals, documented with the pattern it is held to."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "Two-letter ISO 3166 country code in capitals, e.g. `UA`.")
        # Spaces around the code are not part of the pattern, so they are not stripped.
        super().__init__(validators=[country_code_validator], strip=False, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": country_code_validator.regex.pattern,
                "description": self.extra["help_text"],
            }
        )(self)


class ArticleFilter(django_filters.FilterSet):
    outlet = SlugFilter(
        queryset=Outlet.objects.public(),
        help_text="Outlet slug, e.g. `24-channel`: the outlet's articles.",
    )
    language = django_filters.ChoiceFilter(
        choices=Language.choices, help_text="The article's language."
    )
    topic = SlugFilter(
        queryset=Topic.objects.all(),
        method="filter_topic",
        help_text="Topic slug, e.g. `china-role`: articles filed under the topic or one of its "
        "sub-topics.",
    )
    expert = SlugFilter(
        queryset=Expert.objects.public(),
        method="filter_expert",
        help_text="Expert slug, e.g. `oleksandr-musienko`: articles quoting the expert's "
        "published claims.",
    )
    published_after = IsoDateFilter(
        field_name="published_on",
        lookup_expr="gte",
        help_text="YYYY-MM-DD: articles published on or after this day.",
    )
    published_before = IsoDateFilter(
        field_name="published_on",
        lookup_expr="lte",
        help_text="YYYY-MM-DD: articles published on or before this day.",
    )
    q = SearchTextFilter(
        SearchEntry.Kind.ARTICLE,
        searches="Searches the title, standfirst, body and byline.",
    )

    class Meta:
        model = Article
        fields = [
            "outlet",
            "language",
            "topic",
            "expert",
            "published_after",
            "published_before",
            "q",
        ]

    def filter_topic(self, queryset, name, value):
        return queryset.filed_under(Topic.objects.subtree(value))

    def filter_expert(self, queryset, name, value):
        return queryset.quoting(Claim.objects.published().by(value))


class OutletFilter(django_filters.FilterSet):
    country = CountryFilter()
    language = django_filters.ChoiceFilter(
        choices=Language.choices, help_text="The outlet's main language."
    )
    q = django_filters.CharFilter(
        field_name="name",
        lookup_expr="icontains",
        help_text="Text in the outlet's name (case-insensitive).",
    )

    class Meta:
        model = Outlet
        fields = ["country", "language", "q"]
