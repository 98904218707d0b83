"""Existing web addresses rewritten to the characters RFC 3986 allows (config.validators), so
the rows the new validators would refuse stay editable and the API's `format: uri` holds."""

from django.db import migrations

from config.validators import encode_uri

FIELDS = {"Claim": "outcome_source_url", "Treaty": "source_url"}


def percent_encode(apps, schema_editor):
    for model_name, field in FIELDS.items():
        model = apps.get_model("claims", model_name)
        max_length = model._meta.get_field(field).max_length
        for pk, url in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            encoded = encode_uri(url)
            # One that no longer fits stays as it is: the API encodes it on the way out, and
            # an editor who saves the record is asked for a shorter address.
            if encoded != url and len(encoded) <= max_length:
                model.objects.filter(pk=pk).update(**{field: encoded})


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0011_uri_characters_in_urls"),
    ]

    # Backwards leaves the encoded addresses: they name the same pages, and decoding them would
    # bring back the characters the older code let through.
    operations = [migrations.RunPython(percent_encode, migrations.RunPython.noop)]
