"""FilterSets for the partner API's outlet list (the article list's is in claims/api/articles.py).

A value that cannot be used (an unknown slug, a bad date, a language we do not know) fails
the form, which the API answers with a 400 naming the parameter.
"""

import django_filters
from drf_spectacular.utils import extend_schema_field

from articles.models import Language, Outlet
from core.validators import country_code_validator


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
