from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from articles.imports.items import parse_partial_date
from articles.imports.text import clean_page
from articles.models import Language, Outlet
from articles.services import article_page_upsert
from core.models import format_date


class Command(BaseCommand):
    help = (
        "Import a web page's text (as copied or scraped) as a draft article: site text such as "
        "breadcrumbs, language switchers, repeated headlines and 'You may also like' blocks is "
        "removed, the story's own text is kept verbatim. Importing the same story again (the "
        "same --source-url, else the same title, outlet and date) updates its article and "
        "re-anchors its quotes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="UTF-8 text file with the page's text.")
        parser.add_argument("--outlet", required=True, help="Slug of the outlet.")
        parser.add_argument("--language", required=True, choices=Language.values)
        parser.add_argument(
            "--published", required=True, help="YYYY, YYYY-MM or YYYY-MM-DD, as precise as known."
        )
        parser.add_argument(
            "--byline", default=None, help="Author(s); by default the byline found in the page."
        )
        parser.add_argument("--slug", default="", help="By default made from the title.")
        parser.add_argument("--source-url", default="", help="The article on the outlet's site.")
        parser.add_argument("--title", default="", help="By default the title found in the page.")
        parser.add_argument(
            "--user",
            help="Import with this user's rights (adding articles), recorded in the history. "
            "Without it the import runs as the system.",
        )

    def handle(self, *args, path, outlet, language, published, **options):
        user = _user(options["user"])
        raw = self._read(Path(path))
        outlet_obj = Outlet.objects.filter(slug=outlet).first()
        if outlet_obj is None:
            known = ", ".join(Outlet.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No outlet has the slug “{outlet}” (known: {known}).")
        try:
            published_on, precision = parse_partial_date(published)
        except ValueError as error:
            raise CommandError(f"--published: {error}") from error

        page = clean_page(raw)
        try:
            result = article_page_upsert(
                page=page,
                outlet=outlet_obj,
                language=language,
                published_on=published_on,
                published_precision=precision,
                byline=options["byline"],
                slug=options["slug"],
                source_url=options["source_url"],
                title=options["title"],
                user=user,
            )
        except ValidationError as error:
            raise CommandError(f"Nothing was imported from {path}: {_describe(error)}") from error
        except PermissionDenied as error:
            raise CommandError(f"Nothing was imported from {path}: {error}") from error

        article = result.article
        if not result.created:
            changed = ", ".join(result.changed) or "nothing changed"
            self.stdout.write(
                self.style.SUCCESS(f"Updated article #{article.pk} “{article.title}” ({changed})")
            )
            if result.followers is not None and str(result.followers):
                self.stdout.write(f"  {result.followers}")
            return
        self.stdout.write(
            self.style.SUCCESS(f"Created draft article #{article.pk} “{article.title}”")
        )
        self.stdout.write(f"  slug: {article.slug}")
        self.stdout.write(
            f"  {outlet_obj.name}, {format_date(article.published_on, precision)}, "
            f"language {article.language}"
        )
        byline_source = " (found in the page)" if options["byline"] is None and page.byline else ""
        self.stdout.write(f"  byline: {article.byline or '—'}{byline_source}")
        self.stdout.write(
            f"  body: {page.paragraph_count} paragraphs, {len(article.body)} characters"
        )
        if page.removed:
            self.stdout.write(f"  removed as site text ({len(page.removed)}):")
            for rule, text in page.removed:
                self.stdout.write(f"    [{rule}] {_shorten(text)}")

    def _read(self, path):
        try:
            return path.read_text(encoding="utf-8-sig")
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except IsADirectoryError as error:
            raise CommandError(f"{path} is a directory, not a text file.") from error
        except UnicodeDecodeError as error:
            raise CommandError(f"{path} is not UTF-8 text: {error}") from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error}") from error


def _user(username):
    """The active user named `username`, or None (the system) when none is given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user is named “{username}”.")
    return user


def _describe(error):
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    return "; ".join(
        " ".join(messages) if name == NON_FIELD_ERRORS else f"{name}: {' '.join(messages)}"
        for name, messages in error.message_dict.items()
    )


def _shorten(text, limit=90):
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
