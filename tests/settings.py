"""Settings for the test suite: production settings with test-only changes."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# Playwright's sync API runs an event loop in the test thread; Django would
# otherwise refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from medinfo.settings import *  # noqa: E402, F403
from medinfo.settings import STORAGES  # noqa: E402

# Manifest storage needs collectstatic; tests use plain storage.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# The test client speaks plain HTTP.
SECURE_SSL_REDIRECT = False
# The live server's threads must not keep connections open, or PostgreSQL
# refuses to drop the test database at the end.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
