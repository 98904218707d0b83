"""The experts' pages under their own namespace (`experts:list`, `experts:detail`,
`experts:feed`): the A–Z list is experts' own; the profile and its feed list claims, so they
are composed in claims and the namespace is wired here."""

from django.urls import path

from claims import expert_feeds, expert_pages
from experts import views

app_name = "experts"

urlpatterns = [
    path("experts/", views.expert_list, name="list"),
    path("experts/<slug:slug>/", expert_pages.expert_detail, name="detail"),
    path("experts/<slug:slug>/feed/", expert_feeds.ExpertClaimsFeed(), name="feed"),
]
