"""Two app servers share one PostgreSQL database and one Redis page cache.

A page cached by server B must not outlive a content change made through
server A: the change bumps the content generation in Redis, which B reads on
its next request.
"""

import html.parser
import sys
import urllib.parse
import urllib.request
import uuid

import pytest
import redis
from django.core.management import call_command
from django.db import connection

from tests.servers import clean_env, forget_redis_keys, get, gunicorn, restore_migration_rows, run

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REDIS_URL = "redis://127.0.0.1:6379/5"
ADMIN_PASSWORD = "two-servers-" + uuid.uuid4().hex
PAGE = "/drugs/diazepam/"
NEW_SUMMARY = "Changed through server A: diazepam is a benzodiazepine."


class _FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from the page's form with this id."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.fields, self._in_form, self._textarea, self._select = [], False, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self._in_form = True
        if not self._in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in ("submit", "button", "file", "image"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                self.fields.append([attrs["name"], attrs.get("value", "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            self.fields.append(self._textarea)
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields.append([self._select, attrs.get("value", "")])

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._in_form:
            self._in_form = False


class _Browser:
    """Just enough of a browser for the admin: cookies, no redirects followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base, self.cookies = base, {}
        self.opener = urllib.request.build_opener(self._NoRedirect)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        try:
            response = self.opener.open(request, timeout=20)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name] = value
        return response.status, response.read().decode()

    def form(self, path, form_id):
        parser = _FormFields(form_id)
        parser.feed(self.request(path)[1])
        return dict(parser.fields)


def change_content_through(base, drug_id):
    """Change the diazepam summary as a medical reviewer would in the admin:
    "Edit this page", change the pending version, publish it."""
    browser = _Browser(base)
    login = browser.form("/admin/login/", "login-form")
    login.update(username="admin", password=ADMIN_PASSWORD)
    status, _ = browser.request("/admin/login/", login)
    assert status == 302, "admin login failed"
    live_url = f"/admin/interactions/drug/{drug_id}/change/"
    status, _ = browser.request(
        f"/admin/interactions/drug/{drug_id}/edit/", browser.form(live_url, "edit-form")
    )
    assert status == 302, "could not start editing"
    pending_url = _pending_url(browser, live_url)
    form = browser.form(pending_url, "drug_form")
    form.update(summary=NEW_SUMMARY, status="published", _save="Save")
    status, page = browser.request(pending_url, form)
    errors = [
        line.strip() for line in page.splitlines() if "errorlist" in line or "errornote" in line
    ]
    assert status == 302, f"the admin did not save the drug: {errors}"


def _pending_url(browser, live_url):
    """The live page's admin address redirects to its pending version."""
    request = urllib.request.Request(browser.base + live_url)
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in browser.cookies.items()))
    try:
        browser.opener.open(request, timeout=20)
    except urllib.error.HTTPError as error:
        assert error.status == 302, error.status
        return urllib.parse.urlsplit(error.headers["Location"]).path
    raise AssertionError("the live page did not redirect to its pending version")


@pytest.fixture
def postgres_url():
    settings = connection.settings_dict
    if connection.vendor != "postgresql":
        pytest.skip("Two app servers need a shared database: set DATABASE_URL to PostgreSQL")
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    user = urllib.parse.quote(settings["USER"] or "")
    password = ":" + urllib.parse.quote(settings["PASSWORD"]) if settings["PASSWORD"] else ""
    host = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    # The test database this suite created (test_<name>), already migrated.
    return f"postgres://{user}{password}@{host}/{settings['NAME']}"


def test_a_change_through_one_server_is_served_by_the_other_at_once(postgres_url, static_root):
    from django.contrib.auth.models import User

    from interactions.models import Drug, Reviewer

    restore_migration_rows()  # a transactional test may start after a flush
    call_command("import_content", verbosity=0)
    env = clean_env(
        DATABASE_URL=postgres_url,
        CONN_MAX_AGE="0",  # so the test database can be dropped afterwards
        REDIS_URL=REDIS_URL,
        CACHE_KEY_PREFIX=f"two-servers-{uuid.uuid4().hex}",
        STATIC_ROOT=static_root,
        DJANGO_SUPERUSER_PASSWORD=ADMIN_PASSWORD,
    )
    result = run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput"]
        + ["--username", "admin", "--email", "admin@example.com"],
        env,
    )
    assert result.returncode == 0, result.stderr
    Reviewer.objects.create(
        key="admin", name="Alex Admin", role="Pharmacist", user=User.objects.get(username="admin")
    )
    drug_id = Drug.objects.get(slug="diazepam").pk
    host = {"Host": "localhost"}  # the same page key on both servers
    try:
        with gunicorn(env) as server_a, gunicorn(env) as server_b:
            status, _, before = get(server_b + PAGE, headers=host)
            assert status == 200 and NEW_SUMMARY.encode() not in before
            status, headers, _ = get(server_b + PAGE, headers=host)
            assert headers["X-Page-Cache"] == "hit"
            # Server A finds the page B stored: the cache is shared.
            assert get(server_a + PAGE, headers=host)[1]["X-Page-Cache"] == "hit"

            change_content_through(server_a, drug_id)

            status, headers, after = get(server_b + PAGE, headers=host)
            assert status == 200 and NEW_SUMMARY.encode() in after
            assert headers["X-Page-Cache"] == "miss"
            assert get(server_b + PAGE, headers=host)[1]["X-Page-Cache"] == "hit"
    finally:
        forget_redis_keys(REDIS_URL, env["CACHE_KEY_PREFIX"])
