"""The site's URLs plus a view that returns a saved page from memory.

That view is the floor for a Django response: routing and every middleware,
but no database, no template and no cache. bench/serving_bench.py compares
the uncached article page against it.
"""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from medinfo.urls import urlpatterns as site_urlpatterns


@functools.cache
def _page():
    return Path(os.environ["BENCH_PAGE_FILE"]).read_bytes()


def from_memory(request):
    return HttpResponse(_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/from-memory/", from_memory), *site_urlpatterns]
