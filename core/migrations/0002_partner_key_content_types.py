from django.db import migrations

MODELS = ("partnerkey", "historicalpartnerkey")


def move_content_types(apps, schema_editor, *, old, new):
    """Relabel the models' ContentType rows, so their permissions (and the groups holding them)
    and the admin's log entries follow the models to their new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        moving = content_types.filter(app_label=old, model=model)
        if not moving.exists():
            continue  # a new database: post_migrate creates the row under the new app
        # A row under the new app can only be one post_migrate made after a migration back:
        # it holds nothing but permissions, which the groups get again after migrate.
        content_types.filter(app_label=new, model=model).delete()
        moving.update(app_label=new)


def to_core(apps, schema_editor):
    move_content_types(apps, schema_editor, old="claims", new="core")


def to_claims(apps, schema_editor):
    move_content_types(apps, schema_editor, old="core", new="claims")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("core", "0001_partner_keys_from_claims"),
        ("claims", "0013_partner_keys_move_to_core"),
    ]

    operations = [migrations.RunPython(to_core, to_claims)]
