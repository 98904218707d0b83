from claims.models import Claim, Provision, Quote, Topic, Treaty
from config.api_views import ReadOnlyViewSet


class ClaimViewSet(ReadOnlyViewSet):
    queryset = Claim.objects.none()


class QuoteViewSet(ReadOnlyViewSet):
    queryset = Quote.objects.none()


class TopicViewSet(ReadOnlyViewSet):
    queryset = Topic.objects.none()


class TreatyViewSet(ReadOnlyViewSet):
    queryset = Treaty.objects.none()


class ProvisionViewSet(ReadOnlyViewSet):
    queryset = Provision.objects.none()
