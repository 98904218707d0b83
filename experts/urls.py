from django.urls import path

from experts import feeds, views

app_name = "experts"

urlpatterns = [
    path("experts/", views.expert_list, name="list"),
    path("experts/<slug:slug>/", views.expert_detail, name="detail"),
    path("experts/<slug:slug>/feed/", feeds.ExpertClaimsFeed(), name="feed"),
]
