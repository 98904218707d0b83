from django.urls import path, register_converter

from claims import feeds, views
from core.converters import IdConverter

register_converter(IdConverter, "id")

app_name = "claims"

urlpatterns = [
    path("topics/", views.topic_list, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("topics/<slug:slug>/feed/", feeds.TopicClaimsFeed(), name="topic_feed"),
    path("claims/<id:pk>/", views.claim_detail, name="detail"),
    path("treaties/", views.treaty_list, name="treaties"),
    path("treaties/<slug:slug>/", views.treaty_detail, name="treaty"),
    path("treaties/<slug:slug>/<str:address>/", views.provision_detail, name="provision"),
]
