from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, OutletSitemap
from claims.sitemaps import ClaimSitemap, ProvisionSitemap, TopicSitemap, TreatySitemap
from config import views
from core import health
from experts.sitemaps import ExpertSitemap

sitemaps = {
    "topics": TopicSitemap,
    "experts": ExpertSitemap,
    "articles": ArticleSitemap,
    "claims": ClaimSitemap,
    "treaties": TreatySitemap,
    "provisions": ProvisionSitemap,
    "outlets": OutletSitemap,
}

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("claims.search.urls")),
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("articles.urls")),
    path("", include("experts.urls")),
    path("", include("claims.urls")),
]

handler404 = "config.views.page_not_found"
