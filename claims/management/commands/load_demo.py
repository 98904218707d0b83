from django.core.management.base import BaseCommand, CommandError

from claims.demo import DemoDataError, demo_directory, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo knowledge base (outlets, articles, experts, claims, topics, treaties) "
        "from the project's demo/ folder. Safe to run again: unchanged records are not touched."
    )

    def handle(self, *args, **options):
        try:
            counts = load_demo()
        except DemoDataError as error:
            raise CommandError(f"Nothing was loaded: {error}") from error

        self.stdout.write(f"Demo data from {demo_directory()}:")
        totals = {"created": 0, "updated": 0, "unchanged": 0}
        for model, counter in counts.items():
            for state in totals:
                totals[state] += counter[state]
            self.stdout.write(
                f"  {str(model._meta.verbose_name_plural).capitalize():<24}"
                f"{counter['created']:>4} created {counter['updated']:>4} updated "
                f"{counter['unchanged']:>4} unchanged"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {totals['created']} created, {totals['updated']} updated, "
                f"{totals['unchanged']} unchanged."
            )
        )
