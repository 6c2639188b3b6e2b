"""Settings for bench/search_bench.py: production settings, plain static files.

Manifest static storage needs collectstatic, which a benchmark should not.
The page cache is left out: repeated queries must measure search, not it.
"""

import os

os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key")

from medinfo.settings import *  # noqa: E402, F403
from medinfo.settings import MIDDLEWARE, STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["testserver"]
MIDDLEWARE = [name for name in MIDDLEWARE if name != "interactions.page_cache.PageCacheMiddleware"]
SECURE_SSL_REDIRECT = False
