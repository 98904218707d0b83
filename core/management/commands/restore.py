from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, database_restore


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup written by `manage.py backup`. Refuses a "
        "database that already holds data unless --force is given; a restore that fails "
        "leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The backup file to read.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the data the database holds now with the backup's.",
        )

    def handle(self, *args, path, force, **options):
        try:
            database_restore(path, force=force)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Database restored from {path}."))
