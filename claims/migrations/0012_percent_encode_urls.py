"""Existing web addresses rewritten to the characters RFC 3986 allows (core.validators), so
the rows the new validators would refuse stay editable and the API's `format: uri` holds."""

from django.db import migrations

from core.validators import percent_encode_stored_urls


def percent_encode(apps, schema_editor):
    percent_encode_stored_urls(
        apps, "claims", {"Claim": "outcome_source_url", "Treaty": "source_url"}
    )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_uri_characters_in_urls"),
    ]

    # Backwards leaves the encoded addresses: they name the same pages, and decoding them would
    # bring back the characters the older code let through.
    operations = [migrations.RunPython(percent_encode, migrations.RunPython.noop)]
