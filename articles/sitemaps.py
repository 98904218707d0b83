from django.contrib.sitemaps import Sitemap

from articles.models import Article, Outlet


class ArticleSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Article.objects.published().order_by("-published_on", "pk")

    def lastmod(self, article):
        return article.updated


class OutletSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return Outlet.objects.public().order_by("slug")
