"""Content-Security-Policy, admin login throttling and the production settings."""

import base64
import hashlib
import re
import secrets
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from tests import editors
from tests.servers import clean_env, run

pytestmark = pytest.mark.django_db


def _policy(response):
    parts = response["Content-Security-Policy"].split(";")
    return dict(part.strip().split(None, 1) for part in parts)


@pytest.fixture
def article(make):
    drug = make.drug("Diazepam")
    return make.article("Diazepam side effects", drugs=[drug])


def test_public_pages_allow_no_script_and_only_this_sites_styles_and_images(client, article):
    response = client.get(article.get_absolute_url())
    policy = _policy(response)
    assert policy["script-src"] == "'none'"
    assert policy["style-src"] == "'self'" and policy["img-src"] == "'self'"
    assert policy["default-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    # The page's one script element is JSON-LD data, which browsers never run.
    html = response.content.decode()
    assert re.findall(r"<script[^>]*>", html) == ['<script type="application/ld+json">']


def test_the_admin_may_run_its_own_scripts(admin_client):
    for url in (reverse("admin:index"), reverse("admin:interactions_article_add")):
        policy = _policy(admin_client.get(url))
        assert policy["script-src"] == "'self'" and policy["connect-src"] == "'self'"
        assert "'unsafe-eval'" not in policy["script-src"]


def test_the_admin_login_page_has_the_admin_policy(client):
    assert _policy(client.get(reverse("admin:login")))["script-src"] == "'self'"


def _style_hash(html):
    css = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"


def test_the_error_pages_inline_style_is_allowed_by_its_hash(client):
    from interactions.errors import database_unavailable, server_error

    for response in (database_unavailable(None), server_error(None)):
        html = response.content.decode()
        assert response._csp_update == {"style-src": [_style_hash(html)]}


def _login(client, password):
    return client.post(
        reverse("admin:login"),
        {"username": "rita", "password": password, "next": reverse("admin:index")},
    )


def test_repeated_wrong_admin_passwords_lock_the_login_for_a_while(client):
    editors.reviewer()
    for _ in range(4):
        response = _login(client, "wrong")
        assert response.status_code == 200  # the form again, with its error
    locked = _login(client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    assert "0:15:00" in locked.content.decode()
    # The right password does not help until the lock expires.
    assert _login(client, editors.PASSWORD).status_code == 429


def test_the_right_password_logs_in_and_clears_earlier_failures(client):
    editors.reviewer()
    for _ in range(4):
        _login(client, "wrong")
    assert _login(client, editors.PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "wrong").status_code == 200


@override_settings(BEHIND_TLS_PROXY=True, REMOTE_ADDR="127.0.0.1")
def test_behind_the_proxy_the_client_address_is_the_last_forwarded_one(rf):
    from interactions.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"
    with override_settings(BEHIND_TLS_PROXY=False):
        assert client_ip(request) == "127.0.0.1"


@override_settings(
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"), SECURE_SSL_REDIRECT=True
)
def test_behind_the_proxy_plain_http_is_redirected_and_https_is_served(client, article):
    url = article.get_absolute_url()
    response = client.get(url)
    assert response.status_code == 301 and response["Location"].startswith("https://")
    assert client.get(url, headers={"X-Forwarded-Proto": "https"}).status_code == 200


PRODUCTION_ENV = {
    "ALLOWED_HOSTS": "medinfo.example",
    "SITE_URL": "https://medinfo.example",
    "BEHIND_TLS_PROXY": "1",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "1",
    "SECURE_HSTS_PRELOAD": "1",
}


def _production_env():
    env = clean_env(SECRET_KEY=secrets.token_urlsafe(50), **PRODUCTION_ENV)
    for name in ("INSECURE_COOKIES", "SECURE_SSL_REDIRECT"):
        del env[name]
    return env


def test_the_documented_production_environment_passes_the_deploy_checks():
    result = run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        _production_env(),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_production_environment_turns_on_https_everything():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
        "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.CSRF_TRUSTED_ORIGINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = run([sys.executable, "-c", code], _production_env())
    assert result.stdout.split() == [
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "31536000",
        "True",
        "True",
        "['https://medinfo.example']",
        "True",
        "True",
    ], result.stderr
