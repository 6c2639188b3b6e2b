"""The site's URLs plus two views for bench/serving_bench.py.

`from_memory` returns a saved page: the floor for a Django response (routing
and every middleware, but no database, no template and no cache); the
uncached article page is compared against it. `one_query` is the floor for
a page made from the database: one query for one article's title and body,
rendered into the site's base template, with nothing else on the page.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from interactions.models import Article
from medinfo.urls import urlpatterns as site_urlpatterns


@functools.cache
def _page():
    return Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()


def from_memory(request):
    return HttpResponse(_page(), content_type="text/html; charset=utf-8")


@functools.cache
def _one_query_template():
    return engines["django"].from_string(
        '{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}'
        "{% block content %}<h1>{{ article.title }}</h1>"
        '<div class="prose">{{ article.body_html|safe }}</div>{% endblock %}'
    )


def one_query(request, slug):
    article = Article.objects.only("title", "body_html").get(slug=slug, pending_for=None)
    return HttpResponse(_one_query_template().render({"article": article}, request))


urlpatterns = [
    path("bench/from-memory/", from_memory),
    path("bench/one-query/<slug:slug>/", one_query),
    *site_urlpatterns,
]
