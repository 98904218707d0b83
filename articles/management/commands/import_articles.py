from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles.imports.files import (
    ImportOptions,
    Outcome,
    articles_import_files,
    find_import_files,
)
from articles.imports.items import parse_partial_date
from articles.models import Language, Outlet

BAR_WIDTH = 20


class Command(BaseCommand):
    help = (
        "Import articles from ninjs files (IPTC News in JSON, 1.x or 2.x) and saved web pages "
        "(.html: the main text is extracted, the site's menus and boxes left out). Directories "
        "are walked for *.json and *.html. Each file is written whole or not at all; an item "
        "imported before (same ninjs uri or source URL) is updated, never duplicated. New "
        "articles are drafts. Exits non-zero when any file failed. With --user, the import "
        "has exactly that user's rights (a contributor's file that would change an article "
        "submitted for review or public fails: it needs an editor); without it, the command "
        "runs as the system, with full rights, and says so. No limit on the number of items: "
        "each file is one transaction, outside any request."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="Files or directories.")
        parser.add_argument(
            "--outlet",
            help="Slug of the outlet to file new articles under, whatever the files name.",
        )
        parser.add_argument(
            "--language",
            choices=Language.values,
            help="Language of new articles whose file states none.",
        )
        parser.add_argument(
            "--published",
            help="YYYY, YYYY-MM or YYYY-MM-DD: the date of new articles whose file has none.",
        )
        parser.add_argument(
            "--user",
            help="Import with this user's rights, recorded in the history as having made the "
            "changes. Without it the import runs as the system, with full rights.",
        )

    def handle(self, *args, paths, **options):
        import_options = self._options(options)
        user = self._user(options["user"])
        missing = [path for path in paths if not Path(path).exists()]
        if missing:
            raise CommandError(f"No such file or directory: {', '.join(missing)}")
        files = find_import_files(paths)
        if not files:
            raise CommandError("No .json or .html files found in the paths given.")
        if user is None:
            self.stdout.write(
                "No --user given: importing as the system, with full rights (articles in review "
                "or published may be updated); the history names no user."
            )

        summary = articles_import_files(
            files=[(str(path), path) for path in files],
            user=user,
            options=import_options,
            progress=self._progress,
        )

        self.stdout.write(f"Summary: {summary}")
        failures = summary.failures
        if failures:
            self.stderr.write("Failed, nothing written from them:")
            for result in failures:
                self.stderr.write(f"  {result.name}: {result.error}")
            raise CommandError(f"{len(failures)} of {len(files)} file(s) failed.")

    def _options(self, options):
        outlet = None
        if options["outlet"]:
            outlet = Outlet.objects.filter(slug=options["outlet"]).first()
            if outlet is None:
                raise CommandError(f"No outlet has the slug “{options['outlet']}”.")
        published_on, precision = None, None
        if options["published"]:
            try:
                published_on, precision = parse_partial_date(options["published"])
            except ValueError as error:
                raise CommandError(f"--published: {error}") from error
        return ImportOptions(
            outlet=outlet,
            language=options["language"] or "",
            published_on=published_on,
            **({"published_precision": precision} if precision else {}),
        )

    def _user(self, username):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is named “{username}”.")
        if not user.is_active:
            raise CommandError(f"The account “{username}” is inactive; it may not import.")
        return user

    def _progress(self, position, total, result):
        filled = round(BAR_WIDTH * position / total)
        bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {position}/{total}"
        if result.failed:
            self.stdout.write(
                f"{bar} {result.name}: " + self.style.ERROR(f"FAILED: {result.error}")
            )
            return
        for item in result.items:
            detail = f" ({', '.join(item.changed)})" if item.changed else ""
            line = (
                f"{bar} {result.name}: {item.outcome}{detail} #{item.article.pk} “{item.article}”"
            )
            if item.followers is not None and str(item.followers):
                line += f"\n    {item.followers}"
            style = self.style.SUCCESS if item.outcome != Outcome.UNCHANGED else str
            self.stdout.write(style(line))
