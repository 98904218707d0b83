"""The site-wide pages claims composes from every app: the front page and the sitemap.

No `app_name`: their URL names stay "home" and "sitemap", as templates and the public cache
(settings.PUBLIC_PATHS) name them.
"""

from django.contrib.sitemaps.views import sitemap
from django.urls import path

from claims import views
from claims.sitemaps import SITEMAPS

urlpatterns = [
    path("", views.home, name="home"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
