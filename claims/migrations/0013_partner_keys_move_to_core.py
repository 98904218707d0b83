from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0001_partner_keys_from_claims'),
        ('claims', '0012_percent_encode_urls'),
    ]

    operations = [
        # The models moved to core (core 0001) with their tables: nothing is dropped.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='historicalpartnerkey',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='PartnerKey',
                ),
                migrations.DeleteModel(
                    name='HistoricalPartnerKey',
                ),
            ],
            database_operations=[],
        ),
    ]
