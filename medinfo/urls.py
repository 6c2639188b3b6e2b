from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from interactions import editor
from interactions.feeds import RecentArticlesFeed
from interactions.sitemaps import SITEMAPS
from interactions.views import favicon, robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's editor posts here (MARKDOWNX_URLS_PATH and
    # MARKDOWNX_UPLOAD_URLS_PATH); these are MedInfo's staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("feeds/articles/", RecentArticlesFeed(), name="article_feed"),
    path("", include("interactions.urls")),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),  # DEBUG only
]
