"""Security policies that depend on the request: the admin's CSP, the client address."""

import functools

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.urls import get_urlconf, reverse


def staff_prefixes():
    """Paths that belong to editors: the admin and the Markdown editor's endpoints."""
    return _staff_prefixes(get_urlconf())


@functools.cache
def _staff_prefixes(urlconf):
    # Looked up once per URLconf: this runs on every request.
    return tuple(
        reverse(name, urlconf=urlconf)
        for name in ("admin:index", "markdownx_markdownify", "markdownx_upload")
    )


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with ADMIN_CONTENT_SECURITY_POLICY for the staff side.

    The admin and the Markdown editor need their own scripts; patients' pages
    need none, so they keep the strict CONTENT_SECURITY_POLICY.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        staff_page = request.path_info.startswith(staff_prefixes())
        if staff_page and not report_only and parts.config is None:
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


def client_ip(request):
    """The address that django-axes counts failed logins against.

    Behind the proxy REMOTE_ADDR is the proxy's own address, so every client
    would share one lockout. nginx appends the address it saw to
    X-Forwarded-For; the last entry is the only one a client cannot forge.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR")
