import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims.roles import sync_groups


class Command(BaseCommand):
    help = (
        "Create a staff account in the Editors group with a random password, printed once. "
        "An existing account is left as it is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="editor")
        parser.add_argument("--email", default="")

    @transaction.atomic
    def handle(self, *args, username, email, **options):
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be empty.")
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(
                f"The editor account “{username}” already exists; to set a new password run:\n"
                f"  .venv/bin/python manage.py changepassword {username}"
            )
            return
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(username, email=email, password=password, is_staff=True)
        user.groups.add(sync_groups())
        self.stdout.write(
            self.style.SUCCESS(
                f"Created the editor account “{username}” (Editors group, not a superuser).\n"
                f"  Password (shown once): {password}\n"
                f"  Log in at http://127.0.0.1:8000/admin/"
            )
        )
