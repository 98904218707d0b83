from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, database_backup


class Command(BaseCommand):
    help = (
        "Write a backup of the whole database to PATH: a pg_dump custom-format archive on "
        "PostgreSQL, a copy of the database file on SQLite. `manage.py restore PATH` reads it "
        "back. The file is complete once the command succeeds; it is readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="The backup file to write (replaced).")

    def handle(self, *args, path, **options):
        try:
            written = database_backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = written.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backup written to {written} ({size:,} bytes)."))
