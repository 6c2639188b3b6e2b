from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from interactions import editor, images
from interactions.feeds import RecentArticlesFeed
from interactions.sitemaps import SITEMAPS, sitemap_index
from interactions.views import favicon, robots_txt

handler500 = "interactions.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    # django-markdownx's editor posts here (MARKDOWNX_URLS_PATH and
    # MARKDOWNX_UPLOAD_URLS_PATH); these are MedInfo's staff-only views.
    path("markdownx/markdownify/", editor.markdownify, name="markdownx_markdownify"),
    path("markdownx/upload/", editor.upload, name="markdownx_upload"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("feeds/articles/", RecentArticlesFeed(), name="article_feed"),
    # Uploaded images, served by Django with and without DEBUG (nothing else
    # under MEDIA_ROOT is public). MEDIA_URL is "media/", MARKDOWNX_MEDIA_PATH
    # "images/": images.uploaded_image_url_re() checks bodies against both.
    re_path(rf"^media/images/(?P<name>{images.IMAGE_NAME})$", images.serve_image, name="image"),
    path("", include("interactions.urls")),
]
