"""/api/v1/: one router, so the API root lists every resource."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView
from rest_framework.routers import DefaultRouter

from articles.api.views import OutletViewSet
from claims.api.articles import ArticleViewSet
from claims.api.experts import ExpertViewSet, OrganizationViewSet
from claims.api.search import SearchView
from claims.api.views import (
    ClaimExportView,
    ClaimViewSet,
    ProvisionViewSet,
    QuoteViewSet,
    TopicViewSet,
    TreatyViewSet,
)
from core.api.views import SwaggerView


class Router(DefaultRouter):
    """The default router, whose root also lists the mixed search outside the viewsets."""

    def get_api_root_view(self, api_urls=None):
        api_root_dict = {
            prefix: self.routes[0].name.format(basename=basename)
            for prefix, viewset, basename in self.registry
        }
        api_root_dict["search"] = "search"
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
router.register("articles", ArticleViewSet, basename="article")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("experts", ExpertViewSet, basename="expert")
router.register("organizations", OrganizationViewSet, basename="organization")
router.register("claims", ClaimViewSet, basename="claim")
router.register("quotes", QuoteViewSet, basename="quote")
router.register("topics", TopicViewSet, basename="topic")
router.register("treaties", TreatyViewSet, basename="treaty")
router.register("provisions", ProvisionViewSet, basename="provision")

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Before the router, whose `claims/<pk>.<format>` route would otherwise take it.
    path("claims/export.ndjson", ClaimExportView.as_view(), name="claim-export"),
    path("search/", SearchView.as_view(), name="search"),
    path("", include(router.urls)),
]
