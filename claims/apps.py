from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def register_sqlite_functions(sender, connection, **kwargs):
    """kb_fold(), the case and accent folding the slow search match compares with."""
    if connection.vendor == "sqlite":
        from claims.search.engines import fold

        connection.connection.create_function("kb_fold", 1, fold, deterministic=True)


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims, topics and treaties"

    def ready(self):
        from claims import article_signals, roles  # noqa: F401  (article_signals connects)
        from claims.models import Claim
        from core.workflow import register_reviewed

        register_reviewed(Claim, source="speaker")

        # Like Django's own permissions, the Editors group follows the code after each migrate.
        post_migrate.connect(roles.sync_groups_after_migrate, sender=self)

        from claims.search import checks, signals

        signals.connect()
        checks.register()
        connection_created.connect(register_sqlite_functions, dispatch_uid="kb-sqlite-functions")
