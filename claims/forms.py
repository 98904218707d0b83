from django import forms
from django.core.exceptions import ValidationError

from claims.models import Quote


class QuoteForm(forms.ModelForm):
    """Anchors the pasted text in the article body: editors never type offsets."""

    occurrence = forms.IntegerField(
        min_value=1,
        required=False,
        help_text="If the text appears more than once in the body, which one (1 = first).",
    )

    class Meta:
        model = Quote
        fields = ["claim", "article", "text"]

    def _post_clean(self):
        # As UserCreationForm does for passwords: this runs once the instance holds the form's
        # article (the parent article in the inline on Article) and text, and after Quote.clean()
        # has anchored it at the first occurrence or reported the text missing from the body.
        # Anchoring in clean() would have Quote.clean() repeat every error.
        super()._post_clean()
        occurrence = self.cleaned_data.get("occurrence")
        if occurrence is None or self.has_error("text") or self.has_error("article"):
            return
        try:
            self.instance.anchor(occurrence=occurrence)
        except ValidationError as error:
            self.add_error(None, error)
