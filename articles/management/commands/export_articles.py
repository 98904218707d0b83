import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Prefetch

from articles.imports.ninjs import NINJS_1, NINJS_2, article_to_ninjs
from articles.models import Article
from core.models import related_model


class Command(BaseCommand):
    help = (
        f"Write the published articles as ninjs ({NINJS_2} by default, {NINJS_1} on request), "
        "with their public quotes, claims and speakers in the `kb:quotes` extension. "
        "import_articles reads the files back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["ninjs"], default="ninjs")
        parser.add_argument(
            "--ninjs-version", choices=["1", "2"], default="2", help="ninjs 2.x (default) or 1.x."
        )
        parser.add_argument(
            "--output",
            "-o",
            help="A directory (existing, or ending in /): one <slug>.json per article; "
            "otherwise a file holding a JSON array. Standard output when left out.",
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix for the links to claims and experts, e.g. https://kb.example.org.",
        )

    def handle(self, *args, output, ninjs_version, base_url, **options):
        base_url = base_url.rstrip("/")
        items = [
            (
                article.slug,
                article_to_ninjs(
                    article,
                    version=ninjs_version,
                    quotes=article.public_quotes,
                    base_url=base_url,
                ),
            )
            for article in self._articles()
        ]
        if output is None:
            self.stdout.write(json.dumps([item for _, item in items], ensure_ascii=False, indent=2))
            return
        path = Path(output)
        try:
            if path.is_dir() or output.endswith((os.sep, "/")):
                path.mkdir(parents=True, exist_ok=True)
                for slug, item in items:
                    _write(path / f"{slug}.json", item)
            else:
                _write(path, [item for _, item in items])
        except OSError as error:
            raise CommandError(
                f"Cannot write {error.filename or output}: {error.strerror}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {len(items)} published article(s) as ninjs to {path}")
        )

    def _articles(self):
        # Claims' public quotes, reached through the relation (articles does not import claims).
        quotes = (
            related_model(Article, "quotes")
            .objects.public()
            .select_related("claim__speaker")
            .order_by("start", "end", "pk")
        )
        return (
            Article.objects.published()
            .select_related("outlet")
            .prefetch_related(
                "topics", Prefetch("quotes", queryset=quotes, to_attr="public_quotes")
            )
            .order_by("published_on", "pk")
        )


def _write(path, content):
    with path.open("w", encoding="utf-8") as file:
        json.dump(content, file, ensure_ascii=False, indent=2)
        file.write("\n")
