import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from claims.corpus import (
    DEFAULT_BATCH_SIZE,
    DEFAULT_SEED,
    PREFIX,
    CorpusError,
    check_sizes,
    clear_corpus,
    default_experts,
    generate_corpus,
)


class Command(BaseCommand):
    help = (
        "Generate a synthetic corpus for load tests and benchmarks: outlets in Ukrainian, "
        "Russian and English, experts with name variants, topics, treaties, articles and the "
        f"claims they quote. Every generated record is marked with the slug prefix “{PREFIX}”; "
        "--clear deletes those records (and only those) first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, help="How many articles to generate.")
        parser.add_argument(
            "--claims", type=int, help="How many claims, each quoted in an article."
        )
        parser.add_argument(
            "--experts",
            type=int,
            help="How many experts make the claims (default: claims / 50, between 10 and 2000).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"The same seed and sizes give the same corpus (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=DEFAULT_BATCH_SIZE,
            help=f"Articles or claims written per transaction (default {DEFAULT_BATCH_SIZE}).",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete the previously generated corpus first; alone, only delete it.",
        )

    def handle(self, *args, articles, claims, experts, seed, batch_size, clear, **options):
        sizes_given = articles is not None or claims is not None
        if not clear and not sizes_given:
            raise CommandError("Give --articles and --claims (or --clear to delete a corpus).")
        if sizes_given and (articles is None or claims is None):
            raise CommandError("Give both --articles and --claims.")
        if experts is None and claims is not None:
            experts = default_experts(claims)
        if sizes_given:
            # Before anything is cleared: bad sizes must not cost the corpus already there.
            try:
                check_sizes(
                    articles=articles, claims=claims, experts=experts, batch_size=batch_size
                )
            except CorpusError as error:
                raise CommandError(str(error)) from error
        if clear:
            started = time.monotonic()
            try:
                deleted = clear_corpus()
            except CorpusError as error:
                raise CommandError(str(error)) from error
            summary = ", ".join(f"{count} {label}" for label, count in deleted.items())
            self.stdout.write(
                f"Cleared the generated corpus ({summary or 'nothing to delete'}) "
                f"in {time.monotonic() - started:.1f} s."
            )
        if not sizes_given:
            return

        bar = tqdm(total=articles, unit="article", file=self.stderr, desc="corpus")

        def progress(articles_done, claims_done):
            bar.set_postfix(claims=claims_done, refresh=False)
            bar.update(articles_done - bar.n)

        started = time.monotonic()
        try:
            counts = generate_corpus(
                articles=articles,
                claims=claims,
                experts=experts,
                seed=seed,
                batch_size=batch_size,
                progress=progress,
            )
        except CorpusError as error:
            raise CommandError(str(error)) from error
        finally:
            bar.close()
        elapsed = time.monotonic() - started
        self.stdout.write("Generated:")
        for model, count in counts.items():
            self.stdout.write(f"  {str(model._meta.verbose_name_plural):<28}{count:>10}")
        self.stdout.write(self.style.SUCCESS(f"Done in {elapsed:.1f} s (seed {seed})."))
