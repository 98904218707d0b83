"""Abstract model pieces shared by the apps; core's one table, the API keys, is in api/keys.py."""

import datetime
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.api.keys import PartnerKey  # noqa: F401 - registers the API keys with this app


class PublicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    # Still public, with a dated correction note shown to readers.
    CORRECTED = "corrected", _("Corrected")
    # Taken down: kept with the reason, shown to no reader.
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The one definition of "a reader may see it"; everything public goes through public_q().
PUBLIC_STATUSES = (PublicationStatus.PUBLISHED, PublicationStatus.CORRECTED)


def public_q(prefix=""):
    """Rows a reader may see, through `prefix` (e.g. "claim__"): published or corrected."""
    return Q(**{f"{prefix}status__in": PUBLIC_STATUSES})


def related_model(model, path):
    """The model at the end of `path` (e.g. "quotes__claim__speaker") from `model`, reached
    through the relations Django knows: an app reads the rows of an app built on it through the
    relations that app declares, without importing it."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


class PublishableQuerySet(models.QuerySet):
    """The reads every reviewed model shares; a model's own QuerySet adds its vocabulary."""

    def published(self):
        """Rows a reader may see: published or corrected."""
        return self.filter(public_q())

    def in_review(self):
        """Rows waiting for an editor, oldest submission first."""
        return self.filter(status=PublicationStatus.IN_REVIEW).order_by("submitted_at", "pk")

    def withdrawn(self):
        """Rows taken down: kept with the reason, shown to no reader."""
        return self.filter(status=PublicationStatus.WITHDRAWN)

    def visible_to(self, user):
        """Published rows, or every row for staff previewing drafts."""
        return self if user.is_staff else self.published()


class DatePrecision(models.TextChoices):
    """How much of a stored date is known: the seeds give "June 2024", not a day."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Stamped(models.Model):
    """Created/updated stamps and the user who last changed the row."""

    created = models.DateTimeField(auto_now_add=True, editable=False)
    updated = models.DateTimeField(auto_now=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class Correction(NamedTuple):
    date: datetime.datetime
    note: str


class Reviewed(models.Model):
    """The editorial workflow's state and record: who moved the item on, when, and why.

    Only the transition services in the apps' services.py change these fields, so none is
    editable in a form.
    """

    status = models.CharField(
        max_length=16,
        choices=PublicationStatus.choices,
        default=PublicationStatus.DRAFT,
        editable=False,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The editor who last published it or sent it back to draft.",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    correction_note = models.TextField(
        blank=True, editable=False, help_text="The latest correction, shown to readers."
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(
        blank=True, editable=False, help_text="Why it was withdrawn; never shown to readers."
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_published(self):
        """Whether a reader may see it (published or corrected)."""
        return self.status in PUBLIC_STATUSES

    @property
    def is_corrected(self):
        return self.corrected_at is not None

    def corrections(self):
        """Every correction published on it, newest first, as (date, note) pairs.

        The model keeps the latest note; earlier ones are read back from its history.
        """
        if not self.is_corrected:
            return []
        found = dict(
            self.history.exclude(corrected_at=None)
            .order_by()
            .values_list("corrected_at", "correction_note")
            .distinct()
        )
        found[self.corrected_at] = self.correction_note
        return [Correction(date, note) for date, note in sorted(found.items(), reverse=True)]


def format_date(value, precision):
    """A date as precise as it is known: "19 June 2024", "June 2024" or "2024"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%B %Y}"
    return f"{value.day} {value:%B %Y}"
