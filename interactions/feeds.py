"""An Atom feed of the most recently published or reviewed articles."""

import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Article

FEED_LENGTH = 20


def _site_path(path):
    # Absolute when SITE_URL is set; otherwise the syndication framework
    # adds the request's own host.
    return settings.SITE_URL + path if settings.SITE_URL else path


class RecentArticlesFeed(Feed):
    feed_type = Atom1Feed
    title = "MedInfo: recently reviewed articles"
    subtitle = "Articles about medicines that were published or checked most recently."
    author_name = "MedInfo"

    def link(self):
        return _site_path(reverse("interactions:home"))

    def items(self):
        return (
            Article.objects.published()
            .order_by("-last_reviewed", "-updated", "pk")
            .with_drugs()[:FEED_LENGTH]
        )

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return _site_path(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.created

    def item_updateddate(self, article):
        return datetime.datetime.combine(
            article.last_reviewed, datetime.time.min, tzinfo=datetime.UTC
        )

    def item_categories(self, article):
        return [article.get_kind_display(), *(drug.title for drug in article.drug_list)]
