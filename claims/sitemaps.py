from django.contrib.sitemaps import Sitemap

from claims.models import Claim, Provision, Topic, Treaty


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
