from django.contrib.sitemaps import Sitemap

from experts.models import Expert


class ExpertSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Expert.objects.public().order_by("slug")

    def lastmod(self, expert):
        return expert.updated
