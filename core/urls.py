"""Operations and crawler endpoints: health probes and robots.txt.

No `app_name`: the names stay "healthz", "readyz" and "robots", as load balancers' and
templates' links know them.
"""

from django.urls import path

from core import health, views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
