import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('claims', '0012_percent_encode_urls'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # The tables stay claims_partnerkey and claims_historicalpartnerkey (claims 0005): only
        # Django's record of which app holds the models changes.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PartnerKey',
                    fields=[
                        ('id', models.CharField(editable=False, max_length=150, primary_key=True, serialize=False, unique=True)),
                        ('prefix', models.CharField(editable=False, max_length=8, unique=True)),
                        ('hashed_key', models.CharField(editable=False, max_length=150)),
                        ('created', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('name', models.CharField(default=None, help_text='A free-form name for the API key. Need not be unique. 50 characters max.', max_length=50)),
                        ('revoked', models.BooleanField(blank=True, default=False, help_text='If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)')),
                        ('expiry_date', models.DateTimeField(blank=True, help_text='Once API key expires, clients cannot use it anymore.', null=True, verbose_name='Expires')),
                        ('contact', models.CharField(help_text="Email or name of the partner's contact person.", max_length=200)),
                        ('notes', models.TextField(blank=True, help_text='What the partner uses the API for, etc.')),
                        ('throttle_rate', models.CharField(blank=True, help_text='Requests allowed with this key, e.g. 5000/min; blank for the default (API_KEY_THROTTLE_RATE).', max_length=20, validators=[django.core.validators.RegexValidator('^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$', 'Use a rate like 5000/min or 100000/day.')])),
                    ],
                    options={
                        'verbose_name': 'partner API key',
                        'verbose_name_plural': 'partner API keys',
                        'db_table': 'claims_partnerkey',
                        'ordering': ('-created',),
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPartnerKey',
                    fields=[
                        ('id', models.CharField(db_index=True, editable=False, max_length=150)),
                        ('prefix', models.CharField(db_index=True, editable=False, max_length=8)),
                        ('hashed_key', models.CharField(editable=False, max_length=150)),
                        ('created', models.DateTimeField(blank=True, db_index=True, editable=False)),
                        ('name', models.CharField(default=None, help_text='A free-form name for the API key. Need not be unique. 50 characters max.', max_length=50)),
                        ('revoked', models.BooleanField(blank=True, default=False, help_text='If the API key is revoked, clients cannot use it anymore. (This cannot be undone.)')),
                        ('expiry_date', models.DateTimeField(blank=True, help_text='Once API key expires, clients cannot use it anymore.', null=True, verbose_name='Expires')),
                        ('contact', models.CharField(help_text="Email or name of the partner's contact person.", max_length=200)),
                        ('notes', models.TextField(blank=True, help_text='What the partner uses the API for, etc.')),
                        ('throttle_rate', models.CharField(blank=True, help_text='Requests allowed with this key, e.g. 5000/min; blank for the default (API_KEY_THROTTLE_RATE).', max_length=20, validators=[django.core.validators.RegexValidator('^[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)$', 'Use a rate like 5000/min or 100000/day.')])),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical partner API key',
                        'verbose_name_plural': 'historical partner API keys',
                        'db_table': 'claims_historicalpartnerkey',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
            database_operations=[],
        ),
    ]
