from config.api_views import ReadOnlyViewSet
from experts.models import Expert, Organization


class ExpertViewSet(ReadOnlyViewSet):
    queryset = Expert.objects.none()


class OrganizationViewSet(ReadOnlyViewSet):
    queryset = Organization.objects.none()
