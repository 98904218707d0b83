from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims, topics and treaties"

    def ready(self):
        from claims import roles

        # Like Django's own permissions, the Editors group follows the code after each migrate.
        post_migrate.connect(roles.sync_groups_after_migrate, sender=self)
