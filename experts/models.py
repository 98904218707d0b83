import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import connection, models
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import Stamped, public_q, related_model
from core.validators import country_code_validator
from experts.names import name_key, name_key_words, name_parts, probably_named, stem

# pg_trgm similarity of two name keys above which the admin warns of a probable duplicate.
SIMILAR_NAME_THRESHOLD = 0.7

wikidata_validator = RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata id looks like Q42.")


class ExpertQuerySet(models.QuerySet):
    # Claims are read through the `claims` reverse relation and core's public_q, so experts
    # imports no claims module: "published" is core's rule, not claims'.

    def public(self):
        """Experts with at least one published claim: the only ones with a public profile."""
        return self.filter(_has_published_claim())

    def visible_to(self, user):
        """Public experts, or every expert for staff."""
        return self if user.is_staff else self.public()

    def matching(self, text):
        """Experts whose display name or any name variant contains `text` (case-insensitive)."""
        text = (text or "").strip()
        if not text:
            return self
        return self.filter(
            Q(display_name__icontains=text) | Q(name_variants__name__icontains=text)
        ).distinct()

    def named_like(self, text):
        """Experts whose display name or a name variant holds every word of `text`'s name key
        (so "Musiienko" finds "Oleksandr Musienko"; see experts/names.py)."""
        words = name_key_words(text)
        if not words:
            return self.none()
        # Keys are lower-case Latin words one space apart: match whole words only.
        each_word = Q()
        for word in words:
            each_word &= Q(name_key__regex=rf"(^| ){re.escape(word)}( |$)")
        variants = NameVariant.objects.filter(each_word).values("expert")
        return self.filter(each_word | Q(pk__in=variants))

    def probable_duplicates_of(self, names):
        """Experts whose display name or a name variant has the same name key as one of `names`,
        or on PostgreSQL a key at least SIMILAR_NAME_THRESHOLD trigram-similar to one (which
        catches the slips the key rules do not: "Musienk", "Fessenko")."""
        keys = {key for key in map(name_key, names) if key}
        if not keys:
            return self.none()
        same = Q(name_key__in=keys) | Q(
            pk__in=NameVariant.objects.filter(name_key__in=keys).values("expert")
        )
        if connection.vendor == "postgresql":
            from django.contrib.postgres.search import TrigramSimilarity

            for key in keys:
                similar = TrigramSimilarity("name_key", key)
                same |= Q(
                    pk__in=Expert.objects.alias(s=similar)
                    .filter(s__gte=SIMILAR_NAME_THRESHOLD)
                    .values("pk")
                ) | Q(
                    pk__in=NameVariant.objects.alias(s=similar)
                    .filter(s__gte=SIMILAR_NAME_THRESHOLD)
                    .values("expert")
                )
        return self.filter(same | Q(pk__in=self._shortened_name_matches(names)))

    def _shortened_name_matches(self, names):
        """Ids of experts a shortened or inflected name probably means: initials and surname
        ("V. Fesenko"), a surname in another case ("Фесенка"), or a surname alone when only one
        expert bears it."""
        found = set()
        for typed in names:
            initials, words = name_parts(typed)
            if not words or (len(words) > 1 and not initials):
                continue  # a full name: the key and similarity rules above judge it
            longest = max(words, key=len)
            near = Q(name_key__regex=rf"(^| ){re.escape(stem(longest))}")
            variants = NameVariant.objects.filter(near).values("expert")
            candidates = Expert.objects.filter(near | Q(pk__in=variants)).prefetch_related(
                "name_variants"
            )
            matched = [
                expert.pk
                for expert in candidates
                if probably_named(
                    typed, [expert.display_name, *(v.name for v in expert.name_variants.all())]
                )
            ]
            if initials or len(matched) == 1:
                found.update(matched)
        return found

    def formerly(self, slug):
        """Experts that `slug` used to name before their merge (see ExpertSlugRedirect)."""
        return self.filter(slug_redirects__old_slug=slug)

    def with_public_flag(self):
        """Annotate `is_public`: whether the expert has a published claim."""
        return self.annotate(is_public=_has_published_claim())

    def with_claim_counts(self, claims=None):
        """Annotate `claim_count`: how many of `claims` (a Claim queryset; default: the
        published claims) each made."""
        if claims is None:
            counts = (
                Expert.objects.filter(pk=OuterRef("pk"))
                .order_by()
                .values("pk")
                .annotate(n=Count("claims", filter=public_q("claims__")))
                .values("n")
            )
        else:
            counts = (
                claims.filter(speaker=OuterRef("pk"))
                .order_by()
                .values("speaker")
                .annotate(n=Count("pk", distinct=True))
                .values("n")
            )
        return self.annotate(claim_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))

    def affiliated_with(self, organization):
        """Experts who hold or held a role at `organization`."""
        return self.filter(
            Exists(Affiliation.objects.filter(expert=OuterRef("pk"), organization=organization))
        )

    def with_affiliations(self):
        """Affiliations prefetched as affiliations_prefetch() has them, for `current_role`."""
        return self.prefetch_related(affiliations_prefetch())

    def with_profile_data(self):
        """Name variants and affiliations (with organization, current first, then the latest
        ended) prefetched, so `current_role` and the names run no query per expert."""
        return self.prefetch_related("name_variants").with_affiliations()

    def quoted_in(self, articles):
        """Public experts with published claims quoted in `articles`; `claim_count` counts those."""
        # Claims' own rule for "quoted in", reached lazily through the reverse relation.
        claim_model = related_model(Expert, "claims")
        claims = claim_model.objects.published().quoted_in(articles)
        return (
            self.public()
            .filter(Exists(claims.filter(speaker=OuterRef("pk"))))
            .with_claim_counts(claims)
        )


def _has_published_claim():
    """Exists: the outer expert has a published claim (through the `claims` reverse relation)."""
    return Exists(Expert.objects.filter(public_q("claims__"), pk=OuterRef("pk")))


class Expert(Stamped):
    display_name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True)
    bio = models.TextField("short bio", blank=True)
    country = models.CharField(max_length=2, blank=True, validators=[country_code_validator])
    wikidata_id = models.CharField(
        "Wikidata id", max_length=20, blank=True, validators=[wikidata_validator]
    )
    # Derived from display_name on every save: the comparison key of experts/names.py.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    objects = ExpertQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="expert_wikidata_id_unique",
                violation_error_message="Another expert already has this Wikidata id.",
            ),
        ]

    def __str__(self):
        return self.display_name

    def save(self, *args, **kwargs):
        # A derived column, not a business rule: kept in step by every save, whoever saves.
        self.name_key = name_key(self.display_name)
        _add_update_field(kwargs, "display_name", "name_key")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("experts:detail", kwargs={"slug": self.slug})

    @property
    def initial(self):
        """The letter the expert is listed under in the A–Z index."""
        letters = [c for c in self.display_name if c.isalnum()]
        return letters[0].upper() if letters else "#"

    @property
    def current_role(self):
        """The affiliation held now (prefetch affiliations for lists)."""
        return self.role_on(None)

    def role_on(self, day):
        """The affiliation held on `day` (from prefetched affiliations when available)."""
        return pick_affiliation(self.affiliations.all(), day)


def pick_affiliation(affiliations, day):
    """The affiliation current on `day`: the most recently started one that covers it.

    Open start or end dates count as "since/until whenever"; with no day, the current role.
    """
    covering = [a for a in affiliations if a.covers(day)]
    if not covering:
        return None
    return max(covering, key=lambda a: (a.start_date is not None, a.start_date or 0))


class ExpertPart:
    """A record readers see as part of its expert's profile (a name variant, an affiliation):
    on a public expert it changes the profile and the claims already published at once, so
    there it is the editors' to write (core.workflow.edit_refusal)."""

    # Who may write it in every state: those who may change experts (the editors).
    review_permission = "experts.change_expert"

    def editors_only_reason(self):
        """Why only editors may write this now ("" while its expert is not public)."""
        if self.expert_id is None or not Expert.objects.public().filter(pk=self.expert_id).exists():
            return ""
        return f"expert #{self.expert_id} “{self.expert}” is public (has a published claim)"


class NameVariant(ExpertPart, Stamped):
    """Another spelling of an expert's name: a transliteration, another script, a misspelling."""

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="name_variants")
    name = models.CharField(max_length=200)
    # Derived from name on every save: the comparison key of experts/names.py.
    name_key = models.CharField(max_length=200, blank=True, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "name"],
                name="name_variant_unique_per_expert",
                violation_error_message="This expert already has this name variant.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        _add_update_field(kwargs, "name", "name_key")
        super().save(*args, **kwargs)


def _add_update_field(save_kwargs, source, derived):
    """Save `derived` too when a save limited by update_fields saves `source`."""
    fields = save_kwargs.get("update_fields")
    if fields is not None and source in fields and derived not in fields:
        save_kwargs["update_fields"] = [*fields, derived]


class OrganizationQuerySet(models.QuerySet):
    def public(self):
        """Organizations readers may see: where a public expert holds or held a role."""
        return self.filter(
            Exists(
                Affiliation.objects.filter(
                    organization=OuterRef("pk"), expert__in=Expert.objects.public()
                )
            )
        )

    def with_expert_counts(self):
        """Annotate `expert_count`: the public experts who hold or held a role there."""
        experts = (
            Expert.objects.public()
            .filter(affiliations__organization=OuterRef("pk"))
            .order_by()
            .values("affiliations__organization")
            .annotate(n=Count("pk", distinct=True))
            .values("n")
        )
        return self.annotate(
            expert_count=Coalesce(Subquery(experts, output_field=IntegerField()), 0)
        )


class Organization(Stamped):
    class Kind(models.TextChoices):
        RESEARCH_CENTRE = "research", _("Research centre / think tank")
        UNIVERSITY = "university", _("University")
        CIVIC_GROUP = "civic", _("Civic group / NGO")
        MEDIA = "media", _("Media")
        GOVERNMENT = "government", _("Government body")
        MILITARY = "military", _("Armed forces")
        COMPANY = "company", _("Company")
        OTHER = "other", _("Other")

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    country = models.CharField(max_length=2, blank=True, validators=[country_code_validator])

    objects = OrganizationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Affiliation(ExpertPart, Stamped):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="affiliations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="affiliations"
    )
    role_title = models.CharField(max_length=200)
    start_date = models.DateField(null=True, blank=True, help_text="Leave empty if unknown.")
    end_date = models.DateField(null=True, blank=True, help_text="Leave empty while current.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["expert", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
                violation_error_message="An affiliation cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.role_title}, {self.organization}"

    def covers(self, day):
        if day is None:
            return self.end_date is None
        started = self.start_date is None or self.start_date <= day
        not_ended = self.end_date is None or day <= self.end_date
        return started and not_ended


def affiliations_prefetch(path="affiliations"):
    """Prefetch of the affiliations at `path` (e.g. "speaker__affiliations") with their
    organization, current ones first, then the latest ended: the order a profile lists roles
    in, and what `current_role` / `role_on` read without a query per expert."""
    return models.Prefetch(
        path,
        queryset=Affiliation.objects.select_related("organization").order_by(
            F("end_date").desc(nulls_first=True), F("start_date").desc(nulls_last=True), "pk"
        ),
    )


class ExpertMerge(Stamped):
    """One merge of experts into the one kept, with what moved where, so it can be undone.

    `snapshot` is written by experts.services.experts_merge and read by experts_merge_undo.
    """

    keep = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="merges")
    merged_names = models.CharField(
        max_length=1000, help_text="The display names of the experts merged in."
    )
    snapshot = models.JSONField(default=dict, editable=False)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "expert merge"

    def __str__(self):
        return f"{self.merged_names} → {self.keep}"

    @property
    def is_undone(self):
        return self.undone_at is not None


class ExpertSlugRedirect(Stamped):
    """The slug of an expert merged into another: its profile and feed URLs answer 301."""

    old_slug = models.SlugField(max_length=100, unique=True)
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="slug_redirects")
    merge = models.ForeignKey(ExpertMerge, on_delete=models.CASCADE, related_name="redirects")

    history = HistoricalRecords()

    class Meta:
        ordering = ["old_slug"]

    def __str__(self):
        return f"/experts/{self.old_slug}/ → {self.expert}"
