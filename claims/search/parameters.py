"""The search's parameters, validated once for the /search/ page and /api/v1/search/.

Both take the same filters with the same rules (a type, a topic, an outlet, a language, a year,
a page). They differ only in how a record is named and what a wrong value costs: the page's
links name topics and outlets by id and a value it cannot use is dropped with a notice
(SearchFilterForm); partners name them by slug, and the API refuses a wrong value with a 400
naming it, or a 404 for a slug that names nothing (SearchApiParameters, claims/api/search.py).
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from articles.models import Language, Outlet
from claims.models import SearchEntry, Topic
from core.api.common import SlugChoiceField
from core.converters import MAX_ID

from .results import MAX_PAGE, PER_PAGE

# The years a search can be narrowed to.
FIRST_YEAR, LAST_YEAR = 1900, 2100


class SearchParameters(forms.Form):
    """The filters and the page number; a subclass adds `topic` and `outlet` fields."""

    type = forms.ChoiceField(
        choices=SearchEntry.Kind.choices,
        required=False,
        help_text="Only hits of this type; the `type` facet still counts every type.",
    )
    language = forms.ChoiceField(
        choices=Language.choices,
        required=False,
        help_text="Hits in this language (articles, and claims by their quotes' language).",
    )
    year = forms.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
        help_text="Hits of this year: an article's publication, a claim's date, a treaty's "
        "signature.",
    )
    page = forms.IntegerField(min_value=1, required=False)

    # Query-string names of the filters, in the order links carry them; all but the type are
    # facets.
    FILTERS = ("type", "topic", "outlet", "language", "year")
    field_order = [*FILTERS, "page"]

    def applied(self):
        """{name: value} of the valid filters given, in link order (records as themselves)."""
        found = {}
        for name in self.FILTERS:
            value = self.cleaned_data.get(name)
            if value not in (None, ""):
                found[name] = value
        return found

    def engine_filters(self):
        """The filters as claims.search.results.search() takes them: records by id."""
        return {
            ("kind" if name == "type" else name): getattr(value, "pk", value)
            for name, value in self.applied().items()
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


class SearchFilterForm(SearchParameters):
    """The /search/ page's filters and page number, as links build them.

    A value that cannot be used is dropped (the page says so), never an error page.
    """

    topic = RecordField(Topic.objects.only("pk", "title"))
    outlet = RecordField(Outlet.objects.only("pk", "name"))
    # Past the last page shows the last page, so any page number is usable.
    page = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)

    FACET_LABELS = {
        "topic": _("Topic"),
        "outlet": _("Outlet"),
        "language": _("Language"),
        "year": _("Year"),
    }
    FACETS = tuple(FACET_LABELS)

    def query_string(self):
        """{name: query-string value} of the valid filters given, in link order."""
        return {name: str(getattr(value, "pk", value)) for name, value in self.applied().items()}

    def rejected(self):
        """[(name, value given)] of the parameters that were not valid."""
        return [(name, self.data.get(name, "")) for name in self.errors]


def no_slug(what):
    return {"invalid_choice": f"No {what} has the slug “%(value)s”."}


class SearchApiParameters(SearchParameters):
    """The query parameters of /api/v1/search/: `q` is required, records go by slug, and a
    page past MAX_PAGE is malformed."""

    # Spaces alone are something typed, answered like other text with nothing to search for
    # (no hits and a `message`); only a missing or empty `q` is refused (clean_q).
    q = forms.CharField(strip=False, required=False)
    topic = SlugChoiceField(
        queryset=Topic.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages=no_slug("topic"),
        help_text="Topic slug, e.g. `china-role`: hits filed under the topic (claims on it, "
        "articles filed under it, experts with published claims on it, the topic itself).",
    )
    outlet = SlugChoiceField(
        queryset=Outlet.objects.all(),
        to_field_name="slug",
        required=False,
        error_messages=no_slug("outlet"),
        help_text="Outlet slug, e.g. `24-channel`: its articles and the claims first quoted in "
        "them.",
    )
    page = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE,
        required=False,
        help_text=f"Page number, from 1 ({PER_PAGE} hits a page, at most {MAX_PAGE} pages); "
        "past the last page is a 404.",
    )

    field_order = ["q", *SearchParameters.field_order]

    def clean_q(self):
        if "q" not in self.data:
            raise forms.ValidationError("Required: the text to search for.", code="required")
        if not self.cleaned_data["q"]:
            raise forms.ValidationError("Empty: give the text to search for.", code="blank")
        return self.cleaned_data["q"]
