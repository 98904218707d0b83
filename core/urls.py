"""Operations and crawler endpoints: health probes, robots.txt, and the partner keys' old admin
address.

No `app_name`: the names stay "healthz", "readyz" and "robots", as load balancers' and
templates' links know them.
"""

from django.urls import path, re_path
from django.views.generic import RedirectView

from core import health, views

urlpatterns = [
    path("robots.txt", views.robots_txt, name="robots"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Partner keys were claims' until they moved to core with the API's access code; editors'
    # bookmarks of the old admin pages land on the same page.
    re_path(
        r"^admin/claims/partnerkey/(?P<rest>.*)$",
        RedirectView.as_view(url="/admin/core/partnerkey/%(rest)s", query_string=True),
    ),
]
