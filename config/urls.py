from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("claims.site_urls")),
    path("", include("claims.search.urls")),
    path("", include("core.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_urls")),
    path("", include("articles.urls")),
    path("", include("claims.expert_urls")),
    path("", include("claims.urls")),
]

handler404 = "core.views.page_not_found"
