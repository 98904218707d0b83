"""FilterSets of the claims app's API: one per resource, every filter documented.

A malformed value is a form error, which the API answers with a 400 naming the parameter; a
well-formed value that names nothing (an unknown slug, a provision address that does not
exist) is a 404 naming it (core.api.common.StrictFilterBackend).
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema_field

from articles.models import Article, Language, Outlet
from claims.models import (
    ADDRESS_PATTERN,
    Claim,
    ClaimProvision,
    Provision,
    Quote,
    SearchEntry,
    Topic,
    Treaty,
)
from claims.search import results as search
from core.api.common import SLUG_PATTERN, IdFilter, IsoDateFilter, SlugFilter
from experts.models import Expert

# `<treaty slug>/<address>`, as the schema states it (and re.search applies it).
PROVISION_REFERENCE_PATTERN = f"{SLUG_PATTERN[:-1]}/{ADDRESS_PATTERN[1:]}"

# These three describe one link between a claim and a provision, so they apply together.
CITATION_FILTERS = ("treaty", "provision", "relation")

SEARCH_SYNTAX = (
    "Full-text search, the site search's engine: every word must match (case and accents "
    'are ignored, and word forms such as plurals match); `"a phrase"` keeps words together, '
    '`-word` or `-"a phrase"` excludes, `or` between two words accepts either. Other '
    f"punctuation is ignored. Only the first {search.MAX_QUERY_CHARS} characters and "
    f"{search.MAX_TERMS} terms count; a `q` of only very common words (the, of …) or only "
    "exclusions matches nothing."
)


def unknown(what):
    return {"invalid_choice": f"No {what} has the slug “%(value)s”."}


class SearchTextFilter(django_filters.CharFilter):
    """`q` through the search engine (claims/search/) over one kind of record.

    The engine returns the ids of matching records whatever their status; the list's own
    QuerySet still decides what is public.
    """

    def __init__(self, kind, *, searches, **kwargs):
        self.kind = kind
        kwargs.setdefault("help_text", f"{searches} {SEARCH_SYNTAX}")
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        ids = search.matching(self.kind, value)
        return queryset.none() if ids is None else queryset.filter(pk__in=ids)


class ProvisionReferenceField(forms.CharField):
    """`<treaty-slug>/<address>`, e.g. `ru-dprk-2024/art_4`, cleaned to the Provision."""

    # A well-formed reference that names no provision is a 404, not a 400.
    names_records = True
    default_error_messages = {
        "malformed": "Use <treaty slug>/<address>, e.g. ru-dprk-2024/art_4; got “%(value)s”.",
        "unknown": "No provision has the address “%(value)s”.",
    }

    def __init__(self, **kwargs):
        # Spaces around it are not part of the pattern the schema states.
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        if not re.search(PROVISION_REFERENCE_PATTERN, value):
            raise ValidationError(
                self.error_messages["malformed"], code="malformed", params={"value": value}
            )
        treaty, _, address = value.partition("/")
        try:
            return Provision.objects.get(treaty__slug=treaty, address=address)
        except Provision.DoesNotExist:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": value}
            ) from None


class ProvisionReferenceFilter(django_filters.Filter):
    field_class = ProvisionReferenceField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        extend_schema_field(
            {
                "type": "string",
                "pattern": PROVISION_REFERENCE_PATTERN,
                "description": self.extra.get("help_text", ""),
            }
        )(self)


class ClaimFilter(django_filters.FilterSet):
    topic = SlugFilter(
        field_name="topics",
        queryset=Topic.objects.all(),
        method="filter_topic",
        error_messages=unknown("topic"),
        help_text="Topic slug, e.g. `china-role`; claims on its sub-topics are included.",
    )
    expert = SlugFilter(
        field_name="speaker",
        queryset=Expert.objects.public(),
        error_messages=unknown("expert"),
        help_text="Speaker's slug, e.g. `oleksandr-musienko`.",
    )
    treaty = SlugFilter(
        field_name="provisions__treaty",
        queryset=Treaty.objects.all(),
        method="filter_citation",
        error_messages=unknown("treaty"),
        help_text="Claims citing a provision of this treaty (slug, e.g. `ru-dprk-2024`).",
    )
    provision = ProvisionReferenceFilter(
        field_name="provisions__address",
        method="filter_citation",
        help_text="Claims citing this provision, given as `<treaty slug>/<address>`, e.g. "
        "`ru-dprk-2024/art_4` (the provision itself, not its paragraphs).",
    )
    relation = django_filters.ChoiceFilter(
        field_name="provision_links__relation",
        choices=ClaimProvision.Relation.choices,
        method="filter_citation",
        help_text="Claims citing a provision in this way; with `treaty` or `provision`, "
        "the same citation must match both.",
    )
    kind = django_filters.ChoiceFilter(choices=Claim.Kind.choices, help_text="Kind of claim.")
    language = django_filters.ChoiceFilter(
        field_name="quotes__article__language",
        choices=Language.choices,
        method="filter_language",
        help_text="Claims quoted in a published article in this language.",
    )
    outlet = SlugFilter(
        field_name="quotes__article__outlet",
        queryset=Outlet.objects.public(),
        method="filter_outlet",
        error_messages=unknown("outlet"),
        help_text="Claims quoted in a published article of this outlet (slug).",
    )
    made_after = IsoDateFilter(
        field_name="made_on",
        lookup_expr="gte",
        help_text="Claims made on or after this date (YYYY-MM-DD).",
    )
    made_before = IsoDateFilter(
        field_name="made_on",
        lookup_expr="lte",
        help_text="Claims made on or before this date (YYYY-MM-DD).",
    )
    article = SlugFilter(
        field_name="quotes__article",
        queryset=Article.objects.published(),
        method="filter_article",
        error_messages=unknown("published article"),
        help_text="Claims quoted in this published article (slug).",
    )
    q = SearchTextFilter(
        SearchEntry.Kind.CLAIM,
        searches="Searches the claim's summary, its public quotes and its speaker's names.",
    )

    class Meta:
        model = Claim
        fields = [
            "topic",
            "expert",
            "treaty",
            "provision",
            "relation",
            "kind",
            "language",
            "outlet",
            "made_after",
            "made_before",
            "article",
            "q",
        ]

    def filter_topic(self, queryset, name, topic):
        return queryset.about_any([t.pk for t in Topic.objects.subtree(topic)])

    def filter_queryset(self, queryset):
        # treaty, provision and relation describe one citation, so they apply together.
        citation = {name: self.form.cleaned_data.get(name) for name in CITATION_FILTERS}
        if any(citation.values()):
            queryset = queryset.citing_through(**citation)
        return super().filter_queryset(queryset)

    def filter_citation(self, queryset, name, value):
        return queryset  # applied with the other citation filters in filter_queryset

    def filter_language(self, queryset, name, language):
        return queryset.quoted_in(Article.objects.published().filter(language=language))

    def filter_outlet(self, queryset, name, outlet):
        return queryset.quoted_in(Article.objects.published().filter(outlet=outlet))

    def filter_article(self, queryset, name, article):
        return queryset.quoted_in(Article.objects.filter(pk=article.pk))


class QuoteFilter(django_filters.FilterSet):
    article = SlugFilter(
        queryset=Article.objects.published(),
        error_messages=unknown("published article"),
        help_text="Quotes in this published article (slug).",
    )
    expert = SlugFilter(
        field_name="claim__speaker",
        queryset=Expert.objects.public(),
        error_messages=unknown("expert"),
        help_text="Quotes of this expert (slug).",
    )
    claim = IdFilter(
        queryset=Claim.objects.published(),
        error_messages={"invalid_choice": "No published claim has the id “%(value)s”."},
        help_text="Quotes of this published claim (id).",
    )

    class Meta:
        model = Quote
        fields = ["article", "expert", "claim"]


class TopicFilter(django_filters.FilterSet):
    parent = SlugFilter(
        queryset=Topic.objects.all(),
        error_messages=unknown("topic"),
        help_text="The direct sub-topics of this topic (slug).",
    )
    q = django_filters.CharFilter(
        method="filter_q", help_text="Text in the title, question or description (any case)."
    )

    class Meta:
        model = Topic
        fields = ["parent", "q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(question__icontains=value)
            | Q(description__icontains=value)
        )


class TreatyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_q", help_text="Text in the title, short name or parties (any case)."
    )

    class Meta:
        model = Treaty
        fields = ["q"]

    def filter_q(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value) | Q(short_name__icontains=value) | Q(parties__icontains=value)
        )


class ProvisionFilter(django_filters.FilterSet):
    treaty = SlugFilter(
        queryset=Treaty.objects.all(),
        error_messages=unknown("treaty"),
        help_text="The provisions of this treaty (slug).",
    )
    q = SearchTextFilter(
        SearchEntry.Kind.PROVISION,
        searches="Searches the provision's number, heading, citation label and text, and its "
        "treaty's names.",
    )

    class Meta:
        model = Provision
        fields = ["treaty", "q"]
