from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.models import SearchEntry
from claims.search import index


class Command(BaseCommand):
    help = (
        "Rewrite the search entries of every record (or of the kinds named). Writes keep the "
        "index current by themselves; run this after restoring data written without it."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "kinds", nargs="*", metavar="kind", help=f"Any of: {', '.join(SearchEntry.Kind.values)}"
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when the index has entries."
        )

    def handle(self, *args, kinds, batch_size, if_empty, **options):
        unknown = sorted(set(kinds) - set(SearchEntry.Kind.values))
        if unknown:
            choices = ", ".join(SearchEntry.Kind.values)
            raise CommandError(f"Unknown kind {', '.join(unknown)}; choose from {choices}.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if if_empty and SearchEntry.objects.exists():
            self.stdout.write("The search index has entries; nothing to do.")
            return
        bars = {}

        def progress(kind, done, total):
            bar = bars.get(kind) or bars.setdefault(
                kind, tqdm(total=total, desc=kind, unit="rec", file=self.stderr, leave=True)
            )
            bar.update(done - bar.n)

        index.rebuild(kinds or None, batch_size=batch_size, progress=progress)
        for bar in bars.values():
            bar.close()
        self.stdout.write(f"Indexed {SearchEntry.objects.count()} entries.")
