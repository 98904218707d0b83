from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError

from claims.models import Claim, Quote
from core.models import DatePrecision
from core.text import normalize_text
from experts.models import Expert

# Changing one of these on an orphan's page gives it its new passage.
PLACING_FIELDS = {"article", "text", "occurrence"}


class VerbatimTextField(forms.CharField):
    """Text as the body stores it (LF newlines, no surrounding spaces), so that a textarea
    posted back untouched, with the CRLF newlines browsers send, is not a change."""

    def to_python(self, value):
        return normalize_text(super().to_python(value))


class QuoteForm(forms.ModelForm):
    """Anchors the pasted text in the article body: editors never type offsets.

    On an orphaned quote, a new text (or occurrence) is the passage the editor chose: the quote
    is anchored there again (see `repairs_orphan`).
    """

    occurrence = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="If the text appears more than once in the body, which one (1 = first).",
    )

    class Meta:
        model = Quote
        fields = ["claim", "article", "text"]
        field_classes = {"text": VerbatimTextField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.was_orphaned = self.instance.orphaned

    @property
    def repairs_orphan(self):
        """Whether the editor gave this orphan its new passage."""
        return self.was_orphaned and bool(PLACING_FIELDS & set(self.changed_data))

    def _post_clean(self):
        if self.instance.pk and not self.has_changed():
            # Left alone, a quote stays where the re-anchoring of its article's body puts it;
            # anchoring it here, against a body edited on the same page, would move or refuse it.
            return
        # As UserCreationForm does for passwords: this runs once the instance holds the form's
        # article (the parent article in the inline on Article) and text, and after Quote.clean()
        # has anchored it at the first occurrence or reported the text missing from the body.
        # Anchoring in clean() would have Quote.clean() repeat every error.
        super()._post_clean()
        occurrence = self.cleaned_data.get("occurrence")
        if self.has_error("text") or self.has_error("article"):
            return
        if occurrence is None and not self.repairs_orphan:
            return
        try:
            self.instance.anchor(occurrence=occurrence)
        except ValidationError as error:
            self.add_error(None, error)


class QuoteAddForm(QuoteForm):
    """A new quote of an existing claim, or of a new claim described on the same form.

    The new claim (a draft) is created with the quote by `claim_create`; it is dated like the
    article unless a date is given.
    """

    speaker = forms.ModelChoiceField(
        queryset=Expert.objects.all(),
        required=False,
        widget=AutocompleteSelect(Claim._meta.get_field("speaker"), admin.site),
        help_text="Who made the claim.",
    )
    summary = forms.CharField(
        max_length=Claim._meta.get_field("summary").max_length,
        required=False,
        help_text=Claim._meta.get_field("summary").help_text,
    )
    kind = forms.ChoiceField(
        choices=Claim.Kind.choices, initial=Claim.Kind.ASSESSMENT, required=False
    )
    made_on = forms.DateField(
        label="Date made",
        required=False,
        help_text="Left empty: the article's published date, as precise as it is known.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claim"].required = False
        self.fields["claim"].help_text = "An existing claim, or leave empty and describe a new one."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("claim"):
            if cleaned.get("speaker") or cleaned.get("summary"):
                raise ValidationError(
                    "Choose an existing claim or describe a new one, not both.", code="both"
                )
            return cleaned
        if self.has_error("claim"):
            return cleaned
        for name in ("speaker", "summary"):
            if not cleaned.get(name) and not self.has_error(name):
                self.add_error(name, "Needed for a new claim (or choose an existing claim).")
        if cleaned.get("speaker") and cleaned.get("summary") and cleaned.get("article"):
            try:
                Claim(**self.new_claim()).full_clean()
            except ValidationError as error:
                self.add_error(None, error.messages)
        return cleaned

    def new_claim(self):
        """The arguments of claim_create for the new claim, or None when one was chosen."""
        data = self.cleaned_data
        if data.get("claim"):
            return None
        article = data["article"]
        return {
            "speaker": data["speaker"],
            "summary": data["summary"],
            "kind": data.get("kind") or Claim.Kind.ASSESSMENT,
            "made_on": data.get("made_on") or article.published_on,
            "made_precision": (
                DatePrecision.DAY if data.get("made_on") else article.published_precision
            ),
        }
