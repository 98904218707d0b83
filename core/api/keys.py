"""Partners' API keys: the record behind the API's access rules (core/api/access.py).

Registered with the core app through core/models.py; editors manage them in the admin.
"""

from django.core.validators import RegexValidator
from django.db import models
from rest_framework_api_key.models import AbstractAPIKey
from simple_history.models import HistoricalRecords

# DRF's throttle rate form, as in the API_*_THROTTLE_RATE settings: "5000/min", "100000/day".
throttle_rate_validator = RegexValidator(
    r"^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$",
    "Use a rate like 5000/min or 100000/day.",
)


class PartnerKey(AbstractAPIKey):
    """A partner's key to the API: stored hashed, the plain key shown once on creation.

    Sent as `Authorization: Api-Key <key>`; revoking it (which cannot be undone) or letting it
    expire makes the API refuse it with a 401.
    """

    contact = models.CharField(
        max_length=200, help_text="Email or name of the partner's contact person."
    )
    notes = models.TextField(blank=True, help_text="What the partner uses the API for, etc.")
    throttle_rate = models.CharField(
        max_length=20,
        blank=True,
        validators=[throttle_rate_validator],
        help_text="Requests allowed with this key, e.g. 5000/min; blank for the default "
        "(API_KEY_THROTTLE_RATE).",
    )

    history = HistoricalRecords(table_name="claims_historicalpartnerkey")

    class Meta(AbstractAPIKey.Meta):
        # The table claims created before the model moved here (migration core 0001).
        db_table = "claims_partnerkey"
        verbose_name = "partner API key"
        verbose_name_plural = "partner API keys"
