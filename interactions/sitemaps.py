"""The sitemap: every drug and published article, with when it last changed.

/sitemap.xml is an index of sections; each section is split into pages of
at most `limit` addresses, so no single response grows with the number of
articles (a 5,000-article sitemap in one response took a second to build).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
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


class _PageSitemap(_SiteSitemap):
    limit = 1000

    def lastmod(self, page):
        return page.updated

    def get_latest_lastmod(self):
        # For the index: one aggregate instead of Django's loop over every item.
        return self.items().aggregate(latest=Max("updated"))["latest"]


class DrugSitemap(_PageSitemap):
    def items(self):
        return Drug.objects.live().only("slug", "updated").order_by("slug")


class ArticleSitemap(_PageSitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated").order_by("slug")


SITEMAPS = {"pages": StaticPageSitemap, "drugs": DrugSitemap, "articles": ArticleSitemap}


def sitemap_index(request):
    """/sitemap.xml: Django's index of the section pages, addressed on
    SITE_URL when it is set (Django takes the host from the request)."""
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="sitemap_section")
    if settings.SITE_URL:
        base = settings.SITE_URL.rstrip("/")
        for item in response.context_data["sitemaps"]:
            address = urlsplit(item.location)
            item.location = base + address.path + (f"?{address.query}" if address.query else "")
    return response
