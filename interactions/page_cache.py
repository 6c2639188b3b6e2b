"""Whole-page cache for anonymous readers, shared by every app server.

Anonymous GET and HEAD requests for public pages are answered from Django's
cache (Redis in production, see REDIS_URL) without touching the database.
Invalidation is one number, the *content generation*, kept in the same
cache: every page key includes it, and content_changed() bumps it, so every
app server stops using every old copy at once. Old copies are never deleted;
they expire (PAGE_CACHE_TIMEOUT) or are evicted.

Only responses that are the same for every anonymous reader are stored: no
session cookie or logged-in user, a 200, no cookie set, no CSRF token, not
marked private / no-cache (draft previews), and never the admin or the
editor's endpoints. (The sitemap's X-Robots-Tag: noindex only asks search
engines not to list the sitemap itself; it is stored like any page.)
Stored responses get Cache-Control public with a short max-age, an ETag and
Last-Modified, so browsers and a CDN revalidate and get a 304.

Each process also keeps its most recently served pages in memory, under the
same keys, and its own copy of the generation, which Redis tells it about
when it changes (_GenerationWatch): a hit on a page this process has served
then costs no trip to Redis at all. The keys include the generation, so a
content change makes these copies unreachable at once, exactly like the
shared ones.

When the cache cannot be reached (Redis down) pages are served uncached and
a warning is logged; the cache is then left alone for a few seconds so each
request does not wait for it again.
"""

import contextlib
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe
from redis.exceptions import RedisError

from .security import staff_prefixes

logger = logging.getLogger(__name__)

GENERATION_KEY = "content-generation"
# Errors from the cache backend that must never become a 500.
CACHE_ERRORS = (RedisError, OSError)
# After a cache error, skip the cache in this process for this long.
CACHE_RETRY_SECONDS = 5
_cache_down_until = 0.0
_bump_pending = False
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Pages kept in each process's memory (about 20 KB each).
LOCAL_ENTRIES = 256
_local = OrderedDict()
_local_lock = threading.Lock()
_UNCACHEABLE_DIRECTIVES = ("private", "no-cache", "no-store")


def _cache_failed(error):
    global _cache_down_until
    if time.monotonic() >= _cache_down_until:
        logger.warning("Page cache unavailable, serving uncached: %s", error)
    _cache_down_until = time.monotonic() + CACHE_RETRY_SECONDS


def _cache_up():
    return time.monotonic() >= _cache_down_until


def current_generation():
    """The content generation, or None when the cache cannot be reached."""
    if not _cache_up():
        return None
    if _bump_pending:
        content_changed()  # a change made while the cache was unreachable
    try:
        return _watch.generation()
    except CACHE_ERRORS as error:
        _watch.close()
        _cache_failed(error)
        return None


def _read_generation():
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # First use, or evicted: start from the clock, so the number is
        # higher than any generation that old pages were stored under.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


class _GenerationWatch:
    """This process's copy of the generation, when the cache is Redis.

    Reading the generation from Redis on every hit was more than half of a
    hit's CPU. Instead each process subscribes to a channel on which
    content_changed() announces every change, and a hit only looks, without
    waiting, for a message on that connection. Any message makes it read the
    number again: an announcement, or the confirmation Redis sends when
    redis-py subscribes again after losing the connection (announcements
    made meanwhile are lost, so the number is read after it). A process
    that cannot subscribe reads the number on every request, and the number
    is read at least every REREAD_SECONDS whatever happens. Other caches
    (the per-process one) are simply asked each time.
    """

    REREAD_SECONDS = 1.0

    def __init__(self):
        self._lock = threading.Lock()
        self._owner = None  # (process, cache backend) the subscription belongs to
        self._pubsub = None
        self._generation = None
        self._read_at = 0.0

    def generation(self):
        backend = caches["default"]
        if not hasattr(backend, "subscribe"):
            return _read_generation()
        with self._lock:
            if self._owner != (os.getpid(), backend):  # a forked worker, or new settings
                self._owner, self._pubsub, self._generation = (os.getpid(), backend), None, None
            try:
                if self._pubsub is None:
                    self._pubsub = backend.subscribe(GENERATION_KEY)
                    self._generation = None
                while self._pubsub.get_message(timeout=0) is not None:
                    self._generation = None
            except CACHE_ERRORS:
                self._close()  # subscribe again on the next request
                return _read_generation()
            if self._generation is None or time.monotonic() - self._read_at > self.REREAD_SECONDS:
                self._generation = _read_generation()
                self._read_at = time.monotonic()
            return self._generation

    def changed(self):
        """This process changed the generation: read it again next time."""
        with self._lock:
            self._generation = None

    def close(self):
        with self._lock:
            self._close()

    def _close(self):
        if self._pubsub is not None and self._owner[0] == os.getpid():
            with contextlib.suppress(CACHE_ERRORS):
                self._pubsub.close()
        self._pubsub = self._generation = None


_watch = _GenerationWatch()


def content_changed():
    """Make every app server stop serving every cached page.

    Call it after a change to published content is committed. If the cache
    cannot be reached, this process tries again on its next request.
    """
    global _bump_pending
    _watch.changed()
    try:
        try:
            generation = cache.incr(GENERATION_KEY)
        except ValueError:
            cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
            generation = cache.get(GENERATION_KEY)
        if hasattr(cache, "publish"):
            cache.publish(GENERATION_KEY, generation)
    except CACHE_ERRORS as error:
        _bump_pending = True
        _cache_failed(error)
    else:
        _bump_pending = False


def _local_get(key):
    with _local_lock:
        entry = _local.get(key)
        if entry is not None:
            _local.move_to_end(key)
        return entry


def _local_set(key, entry):
    with _local_lock:
        _local[key] = entry
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)


def _shared_get(key):
    try:
        entry = cache.get(key)
    except CACHE_ERRORS as error:
        _cache_failed(error)
        return None
    if entry is not None:
        _local_set(key, entry)
    return entry


def _may_use_cache(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path_info.startswith(staff_prefixes())
    )


def _page_key(request, generation):
    # The host and scheme are part of the key: pages print absolute URLs
    # taken from the request when SITE_URL is not set.
    variant = "gzip" if _ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else ""
    address = f"{variant}|{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return f"page:{generation}:{hashlib.sha256(address.encode()).hexdigest()[:40]}"


def _is_cacheable(request, response):
    cache_control = response.get("Cache-Control", "").lower()
    user = getattr(request, "user", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not any(directive in cache_control for directive in _UNCACHEABLE_DIRECTIVES)
        and not (user is not None and user.is_authenticated)
    )


def _add_validators(response, generation):
    digest = hashlib.sha256(response.content).hexdigest()[:20]
    response["ETag"] = f'"{generation or 0:x}-{digest}"'
    response["Last-Modified"] = http_date()
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PAGE_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PAGE_CACHE_MAX_AGE,
    )


_CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _conditional(request, response):
    if not any(name in request.META for name in _CONDITIONS):
        return response  # the common case, kept cheap: this runs on every hit
    last_modified = parse_http_date_safe(response["Last-Modified"])
    return get_conditional_response(
        request, etag=response["ETag"], last_modified=last_modified, response=response
    )


class PageCacheMiddleware:
    """Serve and store whole anonymous pages (see the module docstring)."""

    def __init__(self, get_response):
        if not settings.PAGE_CACHE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not _may_use_cache(request):
            return self.get_response(request)
        generation = current_generation()
        key = None if generation is None else _page_key(request, generation)
        if key is not None:
            entry = _local_get(key) or _shared_get(key)
            if entry is not None:
                headers, content = entry
                response = HttpResponse(content, headers=headers)
                response["X-Page-Cache"] = "hit"
                return _conditional(request, response)
        response = self.get_response(request)
        if not _is_cacheable(request, response):
            return response
        _add_validators(response, generation)
        if key is not None:
            entry = (dict(response.items()), response.content)
            try:
                cache.set(key, entry, settings.PAGE_CACHE_TIMEOUT)
            except CACHE_ERRORS as error:
                _cache_failed(error)
            else:
                _local_set(key, entry)
        response["X-Page-Cache"] = "miss"
        return _conditional(request, response)
