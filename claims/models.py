"""The claims app's records: topics, claims and their quotes, treaties and their provisions.

Their reads are in querysets.py, the placing of quotes in article bodies in anchoring.py, and
the search index's table in search/models.py: all imported here, so `from claims.models
import X` keeps working and SearchEntry registers with this app.
"""

import re

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from claims.anchoring import find_again, locate  # noqa: F401
from claims.querysets import (
    ClaimQuerySet,
    ProvisionQuerySet,
    QuoteQuerySet,
    TopicQuerySet,
    TreatyQuerySet,
)
from claims.search.models import SearchEntry  # noqa: F401
from core.models import DatePrecision, Reviewed, Stamped, format_date
from core.text import normalize_text
from core.validators import validate_uri_characters

# Akoma Ntoso-style eId: `art_4`, `art_4__para_1`, `preamble`.
ADDRESS_PATTERN = r"^[a-z]+(_[0-9a-z]+)?(__[a-z]+(_[0-9a-z]+)?)*$"
address_validator = RegexValidator(
    ADDRESS_PATTERN, "Use an address like art_4 or art_4__para_1 (lower case, no spaces)."
)

# A quote keeps this many characters of the body on each side of it as its context.
QUOTE_CONTEXT_LENGTH = 32
# How much of the edited body on each side of an orphan's old place is kept for its review.
ORPHAN_EXCERPT_LENGTH = 160

NUMBER_ABBREVIATIONS = {
    "article": ("art", "Art."),
    "paragraph": ("para", "para."),
    "section": ("sec", "Sec."),
    "chapter": ("chp", "Ch."),
    "part": ("part", "Part"),
    "point": ("point", "point"),
    "clause": ("clause", "cl."),
}


class Topic(Stamped):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    question = models.CharField(
        max_length=300, help_text="The question the topic answers, e.g. “Will China …?”"
    )
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("claims:topic", kwargs={"slug": self.slug})

    def clean(self):
        seen = {self.pk}
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": "A topic cannot sit inside itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Claim(Reviewed, Stamped):
    class Kind(models.TextChoices):
        ASSESSMENT = "assessment", _("Assessment")
        PREDICTION = "prediction", _("Prediction")
        FACTUAL = "factual", _("Factual assertion")
        RECOMMENDATION = "recommendation", _("Recommendation")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Pending")
        CAME_TRUE = "came_true", _("Came true")
        DID_NOT = "did_not", _("Did not come true")
        UNCLEAR = "unclear", _("Unclear")

    speaker = models.ForeignKey("experts.Expert", on_delete=models.PROTECT, related_name="claims")
    summary = models.CharField(max_length=400, help_text="One neutral sentence in our words.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ASSESSMENT)
    made_on = models.DateField("date made")
    made_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    topics = models.ManyToManyField(Topic, through="ClaimTopic", blank=True, related_name="claims")
    provisions = models.ManyToManyField(
        "Provision", through="ClaimProvision", blank=True, related_name="claims"
    )
    # Predictions only: what was foreseen for when, and how it turned out.
    due_on = models.DateField("due date", null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_note = models.TextField(blank=True)
    outcome_source_url = models.URLField(
        "outcome source URL", max_length=500, blank=True, validators=[validate_uri_characters]
    )

    objects = ClaimQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-made_on", "id"]
        # One permission per workflow transition, checked by the services in claims/services.py.
        permissions = [
            ("submit_claim", "Can submit a claim for review"),
            ("publish_claim", "Can publish a claim in review"),
            ("return_claim", "Can return a claim in review to draft"),
            ("correct_claim", "Can publish a correction to a claim"),
            ("withdraw_claim", "Can withdraw a published claim"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="prediction") | (Q(due_on__isnull=True) & Q(outcome="")),
                name="claim_outcome_only_for_predictions",
                violation_error_message="Only predictions have a due date and an outcome.",
            ),
        ]
        indexes = [
            # The API's default order and its freshness check read the newest claims first.
            models.Index(fields=["-created", "-id"], name="claim_created_desc"),
        ]

    def __str__(self):
        return self.summary

    def get_absolute_url(self):
        return reverse("claims:detail", kwargs={"pk": self.pk})

    def clean(self):
        self.summary = self.summary.strip()
        if self.kind == self.Kind.PREDICTION and not self.outcome:
            self.outcome = self.Outcome.PENDING

    @property
    def speaker_role(self):
        """The speaker's affiliation when the claim was made (prefetch affiliations for lists)."""
        return self.speaker.role_on(self.made_on)

    @property
    def made_display(self):
        return format_date(self.made_on, self.made_precision)


class Stance(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    MIXED = "mixed", _("Mixed")
    UNCLEAR = "unclear", _("Unclear")


class ClaimTopic(Stamped):
    """A claim's tag, with the claim's answer (stance) to the topic's question."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="topic_links")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="claim_links")
    stance = models.CharField(
        max_length=8,
        choices=Stance.choices,
        blank=True,
        help_text="The claim's answer to the topic's question, if it gives one.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "claim topic"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "topic"],
                name="claim_topic_unique",
                violation_error_message="The claim already has this topic.",
            ),
        ]

    def __str__(self):
        return f"{self.topic}: {self.get_stance_display() or 'no stance'}"


class Quote(Stamped):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="quotes")
    article = models.ForeignKey("articles.Article", on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField(help_text="Exactly as it appears in the article body.")
    start = models.PositiveIntegerField(editable=False)
    end = models.PositiveIntegerField(editable=False)
    # With `text`, a W3C Web Annotation TextQuoteSelector (exact, prefix, suffix): the words
    # around the quote pick the right occurrence when an edit moves repeated text.
    prefix = models.CharField(
        max_length=QUOTE_CONTEXT_LENGTH,
        blank=True,
        editable=False,
        help_text="The body's text just before the quote when it was last anchored.",
    )
    suffix = models.CharField(
        max_length=QUOTE_CONTEXT_LENGTH,
        blank=True,
        editable=False,
        help_text="The body's text just after the quote when it was last anchored.",
    )
    orphaned = models.BooleanField(
        default=False,
        editable=False,
        help_text="Its text left the article body in an edit: hidden from readers until an "
        "editor chooses the new passage. Its offsets are where it stood before.",
    )
    orphaned_at = models.DateTimeField(null=True, blank=True, editable=False)
    orphaned_context = models.TextField(
        "edited body at its old place",
        blank=True,
        editable=False,
        help_text="The edited body around where the quote stood, kept for the review.",
    )

    objects = QuoteQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["article", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__lt=F("end")),
                name="quote_start_before_end",
                violation_error_message="A quote must start before it ends.",
            ),
            models.CheckConstraint(
                condition=Q(end=F("start") + Length("text")),
                name="quote_offsets_match_text",
                violation_error_message="The quote's offsets must span exactly its text.",
            ),
            models.CheckConstraint(
                condition=Q(orphaned=False, orphaned_at__isnull=True)
                | Q(orphaned=True, orphaned_at__isnull=False),
                name="quote_orphaned_at_only_for_orphans",
                violation_error_message="An orphaned quote records when it was orphaned.",
            ),
        ]

    def __str__(self):
        return f"“{self.text[:80]}”"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#quote-{self.pk}"

    def clean(self):
        if not self.text:
            return  # field validation reports the missing text
        self.text = normalize_text(self.text)
        if not self.text:
            raise ValidationError({"text": "A quote needs its text, not only spaces."})
        if self.orphaned:
            return  # its text is gone from the body; an editor repairs it (quote_repair)
        try:
            self.article  # noqa: B018
        except ObjectDoesNotExist:
            return  # field validation reports the missing article
        self.anchor()

    def anchor(self, *, after=None, occurrence=None):
        """Compute the offsets of `text` in the article body, and the words around it.

        The first occurrence at or after the character offset `after` is taken, or the
        `occurrence`-th one (1-based) when the editor picks among repeats. With neither,
        a quote that still matches where it stands keeps its place. Anchoring an orphan
        places it again: it is no longer orphaned.
        """
        self.text = normalize_text(self.text)
        if after is None and occurrence is None and self.is_anchored:
            self.place_at(self.start)
            return
        body = self.article.body
        start, end = locate(body, self.text, after=after, occurrence=occurrence, where=self.article)
        # A paste that differed only in typography is stored as the body's own text.
        self.text = body[start:end]
        self.place_at(start)

    def place_at(self, start):
        """Anchor the quote's text at `start` in the body, taking the context around it."""
        body = self.article.body
        self.start, self.end = start, start + len(self.text)
        self.prefix = body[max(0, self.start - QUOTE_CONTEXT_LENGTH) : self.start]
        self.suffix = body[self.end : self.end + QUOTE_CONTEXT_LENGTH]
        self.orphaned, self.orphaned_at, self.orphaned_context = False, None, ""

    def orphan(self, *, at):
        """Mark the quote orphaned at the time `at`: its text is no longer in the body.

        Text, offsets and context stay as they were; the edited body around the old place is
        kept for the editor who repairs it.
        """
        body = self.article.body
        around = min(self.start, len(body))
        self.orphaned, self.orphaned_at = True, at
        self.orphaned_context = body[
            max(0, around - ORPHAN_EXCERPT_LENGTH) : around + len(self.text) + ORPHAN_EXCERPT_LENGTH
        ]

    @property
    def is_anchored(self):
        if self.orphaned or self.start is None or self.end is None:
            return False
        return self.article.body[self.start : self.end] == self.text

    # A revert restores the quote's anchoring as of the version (offsets, text-quote selector,
    # orphan state) as its starting point (core.history.revert_restored_fields); clean() anchors
    # the restored text from there, and revert_refusal() refuses when it left the body.
    revert_restores = (
        "start",
        "end",
        "prefix",
        "suffix",
        "orphaned",
        "orphaned_at",
        "orphaned_context",
    )

    def revert_refusal(self):
        """Why a revert that saved this quote is undone: its text is no longer in the body."""
        return None if self.is_anchored else _("The quoted text is not in the article's body.")


class Treaty(Stamped):
    title = models.CharField(max_length=300)
    short_name = models.CharField(
        max_length=100, help_text="Used in citations, e.g. “RU–DPRK Treaty (2024)”."
    )
    slug = models.SlugField(max_length=100, unique=True)
    parties = models.TextField(help_text="One party per line.")
    signed_on = models.DateField("signed date", null=True, blank=True)
    in_force_on = models.DateField("in-force date", null=True, blank=True)
    source_url = models.URLField(
        "source URL", max_length=500, blank=True, validators=[validate_uri_characters]
    )

    objects = TreatyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name_plural = "treaties"

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return reverse("claims:treaty", kwargs={"slug": self.slug})

    @property
    def party_list(self):
        return [line.strip() for line in self.parties.splitlines() if line.strip()]


class Provision(Stamped):
    treaty = models.ForeignKey(Treaty, on_delete=models.CASCADE, related_name="provisions")
    number = models.CharField(max_length=50, help_text="As the treaty numbers it: “Article 4”.")
    address = models.CharField(
        max_length=100,
        validators=[address_validator],
        blank=True,
        help_text="Stable address such as art_4 or art_4__para_1; filled in from the number "
        "when left empty.",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    heading = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    text_is_official = models.BooleanField(
        "official wording",
        default=False,
        help_text="Ticked when the text is the treaty's official wording, not our summary.",
    )
    order = models.PositiveIntegerField(
        default=0, blank=True, help_text="Position in the treaty; left at 0, it goes last."
    )

    objects = ProvisionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["treaty", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["treaty", "address"],
                name="provision_address_unique_per_treaty",
                violation_error_message="This treaty already has a provision at this address.",
            ),
            models.CheckConstraint(
                condition=~Q(address=""),
                name="provision_address_not_empty",
                violation_error_message="A provision needs an address.",
            ),
        ]

    def __str__(self):
        return self.citation_label

    def get_absolute_url(self):
        return reverse(
            "claims:provision", kwargs={"slug": self.treaty.slug, "address": self.address}
        )

    def clean(self):
        if self.parent_id:
            if self.parent.treaty_id != self.treaty_id:
                raise ValidationError({"parent": "The parent must belong to the same treaty."})
            if self.pk and self.parent_id == self.pk:
                raise ValidationError({"parent": "A provision cannot be its own parent."})
        if not self.address:
            self.address = address_from_number(self.number, parent=self.parent)
        if not self.order and self.treaty_id:
            # New provisions go after the treaty's last one unless the editor says otherwise.
            last = self.treaty.provisions.exclude(pk=self.pk).aggregate(m=models.Max("order"))["m"]
            self.order = (last or 0) + 1
        if self.parent_id and not self.address.startswith(self.parent.address + "__"):
            raise ValidationError(
                {"address": f"A sub-provision's address starts with “{self.parent.address}__”."}
            )

    @property
    def short_number(self):
        word, _, rest = self.number.strip().partition(" ")
        abbreviation = NUMBER_ABBREVIATIONS.get(word.lower())
        if abbreviation and rest:
            return f"{abbreviation[1]} {rest}"
        return self.number.strip()

    @property
    def citation_label(self):
        """“RU–DPRK Treaty (2024), Art. 4” or, for a paragraph, “…, Art. 4, para. 1”."""
        return f"{self.treaty.short_name}, {self.label_in_treaty}"

    @property
    def label_in_treaty(self):
        """“Art. 4” or, for a paragraph, “Art. 4, para. 1”: the citation within its treaty."""
        parts = []
        node = self
        while node is not None:
            parts.append(node.short_number)
            node = node.parent
        return ", ".join(reversed(parts))


def address_from_number(number, *, parent=None):
    """`Article 4` → `art_4`; under a parent, `Paragraph 1` → `art_4__para_1`."""
    word, _, rest = number.strip().lower().partition(" ")
    prefix = NUMBER_ABBREVIATIONS.get(word, (re.sub(r"[^a-z]", "", word) or "part",))[0]
    suffix = re.sub(r"[^0-9a-z]+", "", rest)
    own = f"{prefix}_{suffix}" if suffix else prefix
    return f"{parent.address}__{own}" if parent is not None else own


class ClaimProvision(Stamped):
    class Relation(models.TextChoices):
        INTERPRETS = "interprets", _("Interprets")
        INVOKES = "invokes", _("Invokes")
        DISPUTES = "disputes", _("Disputes")

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="provision_links")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="claim_links")
    relation = models.CharField(max_length=16, choices=Relation.choices)
    note = models.TextField("editor's note", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "claim–provision link"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "provision"],
                name="claim_provision_unique",
                violation_error_message="The claim already cites this provision.",
            ),
        ]

    def __str__(self):
        return f"{self.get_relation_display()} {self.provision}"
