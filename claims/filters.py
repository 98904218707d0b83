"""FilterSets for the public claim lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Stance
from experts.models import Expert


class TopicClaimFilter(django_filters.FilterSet):
    """The filters of a topic page: by expert, by kind, by answer to the topic's question.

    Invalid values are dropped (the form reports them) rather than failing the page.
    """

    expert = django_filters.ModelChoiceFilter(
        field_name="speaker",
        to_field_name="slug",
        queryset=Expert.objects.none(),
        label=_("Expert"),
        empty_label=_("All experts"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Claim.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    stance = django_filters.ChoiceFilter(
        choices=Stance.choices,
        method="filter_stance",
        label=_("Answer"),
        empty_label=_("Any answer"),
    )

    class Meta:
        model = Claim
        fields = ["expert", "kind", "stance"]

    def __init__(self, data=None, queryset=None, *, topic, **kwargs):
        self.topic = topic
        super().__init__(data, queryset, **kwargs)
        # Only the experts who speak on this topic are worth offering.
        self.filters["expert"].queryset = Expert.objects.filter(
            pk__in=self.queryset.values("speaker")
        ).only("pk", "slug", "display_name")

    def filter_stance(self, queryset, name, value):
        return queryset.answering(self.topic, value)
