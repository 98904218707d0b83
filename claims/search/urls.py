# No app_name: the page's URL name stays `search`, as links and templates have it.
from django.urls import path

from . import views

urlpatterns = [
    path("search/", views.search, name="search"),
]
