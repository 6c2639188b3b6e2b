"""sitemap.xml: every drug and published article, with when it last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article, Drug, Kind


class _SiteSitemap(Sitemap):
    """Uses settings.SITE_URL for the address when it is set."""

    def get_protocol(self, protocol=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return super().get_protocol(protocol)

    def get_domain(self, site=None):
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).netloc
        return super().get_domain(site)


class StaticPageSitemap(_SiteSitemap):
    def items(self):
        return [
            ("interactions:home", []),
            ("interactions:drug_list", []),
            ("interactions:checker", []),
            ("interactions:severity_guide", []),
            *(("interactions:article_kind_list", [kind]) for kind in Kind.values),
        ]

    def location(self, item):
        name, args = item
        return reverse(name, args=args)


class DrugSitemap(_SiteSitemap):
    def items(self):
        return Drug.objects.live().only("slug", "updated").order_by("slug")

    def lastmod(self, drug):
        return drug.updated


class ArticleSitemap(_SiteSitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("slug")

    def lastmod(self, article):
        return article.updated


SITEMAPS = {"pages": StaticPageSitemap, "drugs": DrugSitemap, "articles": ArticleSitemap}
