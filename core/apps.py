from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Publishing, history and operations"

    def ready(self):
        # The shared cache's table (production without Redis) and its `check --deploy` rule.
        from core import cache
        from core import checks as deploy_checks  # noqa: F401

        post_migrate.connect(cache.create_cache_table, sender=self)
