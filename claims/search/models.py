"""The search index's table: one entry per searchable record (app label `claims`).

claims/models.py imports this module, so Django registers the model with the claims app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """A searchable record's text and facets as the search engines index them (claims/search/).

    Derived data, rewritten from its record by `claims.search.index` on every write and never
    edited by hand. On PostgreSQL a generated column `document` (a weighted tsvector, GIN-indexed)
    sits beside these fields; on SQLite an FTS5 table mirrors them (migration 0009).
    """

    class Kind(models.TextChoices):
        EXPERT = "expert", _("Experts")
        CLAIM = "claim", _("Claims")
        ARTICLE = "article", _("Articles")
        PROVISION = "provision", _("Provisions")
        TOPIC = "topic", _("Topics")
        TREATY = "treaty", _("Treaties")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    public = models.BooleanField(default=False)
    # Weight A: names as written (not stemmed) and the title.
    names = models.TextField(blank=True)
    title = models.TextField(blank=True)
    title_language = models.CharField(max_length=8, blank=True)
    # Weight B, C: a lead (standfirst, question) and the body, both in `language`.
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True)
    language = models.CharField(max_length=8, blank=True)
    # Weight D: context such as a claim's speaker, not stemmed.
    extra = models.TextField(blank=True)
    # Experts only: the name keys of experts/names.py, matched by trigram similarity.
    name_keys = models.TextField(blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    outlet = models.ForeignKey(
        "articles.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    topics = models.ManyToManyField("claims.Topic", blank=True, related_name="+")

    class Meta:
        verbose_name_plural = "search entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_unique"),
        ]
        indexes = [models.Index(fields=["public", "kind"], name="search_entry_public_kind")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
