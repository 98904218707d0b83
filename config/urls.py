from django.contrib import admin
from django.urls import include, path

from config import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", views.sitemap, name="sitemap"),
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
    path("", include("experts.urls")),
    path("", include("claims.urls")),
]
