"""Error pages that must work when the rest of the site does not.

A database outage is not a bug in a page: patients get a 503 "try again
shortly" page with Retry-After (so browsers, crawlers and a CDN come back
later) instead of the 500 page. Both pages carry their own small <style>;
its hash is added to the Content-Security-Policy so the strict public policy
does not strip their look.
"""

import base64
import hashlib
import logging
import re
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30
_STYLE = re.compile(r"<style>(.*?)</style>", re.DOTALL)


def _allow_inline_style(response):
    """Let the page's own <style> element through the CSP, by its hash."""
    hashes = [
        f"'sha256-{base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()}'"
        for css in _STYLE.findall(response.content.decode())
    ]
    response._csp_update = {"style-src": hashes}
    return response


def database_unavailable(request):
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return _allow_inline_style(response)


def server_error(request):
    """handler500: the 503 page when the database is what failed.

    Errors raised inside middleware (loading a session, say) never reach
    DatabaseUnavailableMiddleware.process_exception; they end up here.
    """
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable(request)
    return _allow_inline_style(HttpResponseServerError(loader.render_to_string("500.html")))


class DatabaseUnavailableMiddleware:
    """Answer 503 when a view cannot reach the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return database_unavailable(request)
        return None
