from django.contrib.sitemaps import Sitemap

from articles.sitemaps import ArticleSitemap, OutletSitemap
from claims.models import Claim, Provision, Topic, Treaty
from experts.sitemaps import ExpertSitemap


class TopicSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Topic.objects.order_by("slug")


class ClaimSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Claim.objects.published().order_by("pk")

    def lastmod(self, claim):
        return claim.updated


class TreatySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Treaty.objects.order_by("slug")


class ProvisionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Provision.objects.select_related("treaty").order_by("treaty__slug", "order", "pk")


# The site's sitemap.xml (claims/site_urls.py): every app's public pages, in one index.
SITEMAPS = {
    "topics": TopicSitemap,
    "experts": ExpertSitemap,
    "articles": ArticleSitemap,
    "claims": ClaimSitemap,
    "treaties": TreatySitemap,
    "provisions": ProvisionSitemap,
    "outlets": OutletSitemap,
}
