"""PartnerKey moved from claims to core with its tables (claims 0013, core 0001 and 0002)."""

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from claims.roles import EDITORS
from core.api.keys import PartnerKey
from tests.factories import UserFactory

BEFORE_THE_MOVE = "0012_percent_encode_urls"


def content_type(app_label):
    ContentType.objects.clear_cache()
    return ContentType.objects.filter(app_label=app_label, model="partnerkey").first()


@pytest.mark.django_db(transaction=True)
def test_migrating_back_and_forth_keeps_the_keys_and_what_points_at_them():
    partner_key, _ = PartnerKey.objects.create_key(name="Partner", contact="desk@example.org")
    moved = content_type("core")
    entry = LogEntry.objects.create(
        user=UserFactory(),
        content_type=moved,
        object_id=partner_key.pk,
        object_repr=str(partner_key),
        action_flag=ADDITION,
    )

    call_command("migrate", "claims", BEFORE_THE_MOVE, verbosity=0)
    assert content_type("claims").pk == moved.pk
    assert PartnerKey.objects.filter(pk=partner_key.pk).exists()

    call_command("migrate", verbosity=0)
    assert content_type("core").pk == moved.pk
    assert content_type("claims") is None
    assert PartnerKey.objects.get().pk == partner_key.pk
    entry.refresh_from_db()
    assert entry.content_type_id == moved.pk
    editors = Group.objects.get(name=EDITORS)
    assert editors.permissions.filter(content_type=moved, codename="add_partnerkey").exists()
