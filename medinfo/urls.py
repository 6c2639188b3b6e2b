from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from interactions.feeds import RecentArticlesFeed
from interactions.sitemaps import SITEMAPS
from interactions.views import robots_txt

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("feeds/articles/", RecentArticlesFeed(), name="article_feed"),
    path("", include("interactions.urls")),
]
