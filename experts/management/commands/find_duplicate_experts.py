"""List the experts that probably are one person, for an editor to merge in the admin."""

from collections import defaultdict

from django.core.management.base import BaseCommand

from experts.models import Expert
from experts.names import name_key, name_parts, probably_named, stem


class Command(BaseCommand):
    help = (
        "Lists pairs of experts that are probably the same person: the same name in another "
        "spelling or alphabet, initials and surname (V. Fesenko), a surname alone or in another "
        "case (Фесенка). Nothing is changed: merge in the admin (Experts, action “Merge”)."
    )

    def handle(self, *args, **options):
        experts = list(Expert.objects.prefetch_related("name_variants").order_by("display_name"))
        names = {
            expert.pk: [expert.display_name, *(v.name for v in expert.name_variants.all())]
            for expert in experts
        }
        # Experts sharing the stem of a key word are the only ones compared.
        by_stem = defaultdict(set)
        for expert in experts:
            for name in names[expert.pk]:
                for word in name_key(name).split():
                    if len(word) > 1:
                        by_stem[stem(word)].add(expert.pk)
        reasons = {}
        for group in by_stem.values():
            for first in group:
                for second in group:
                    if first < second and (first, second) not in reasons:
                        reasons[first, second] = _reason(names[first], names[second])
        pairs = [pair for pair, reason in reasons.items() if reason]
        labels = {expert.pk: f"{expert.display_name} ({expert.slug})" for expert in experts}
        for first, second in sorted(pairs, key=lambda pair: (labels[pair[0]], labels[pair[1]])):
            self.stdout.write(f"{labels[first]}  ~  {labels[second]}: {reasons[first, second]}")
        self.stdout.write(f"{len(pairs)} probable duplicate pair(s) among {len(experts)} experts.")


def _reason(ours, theirs):
    """Why two experts' spellings probably name one person, or "" when they do not."""
    if {name_key(name) for name in ours} & {name_key(name) for name in theirs}:
        return "the same name in another spelling"
    for typed, known in ((ours, theirs), (theirs, ours)):
        for name in typed:
            initials, words = name_parts(name)
            if (initials or len(words) == 1) and probably_named(name, known):
                return "initials and surname" if initials else "the surname alone or inflected"
    return ""
