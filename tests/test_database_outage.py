"""With the database unreachable, readers get a friendly 503 or a cached page.

Real failures: gunicorn is started with DATABASE_URL pointing at a port that
nothing listens on, just as when PostgreSQL is stopped.
"""

import sys
import uuid

import pytest
import redis

from tests.servers import clean_env, forget_redis_keys, get, gunicorn, run

pytestmark = pytest.mark.slow

NO_DATABASE = "postgres://postgres@127.0.0.1:1/medinfo"
PAGES = [
    "/",
    "/drugs/",
    "/drugs/diazepam/",
    "/articles/diazepam-and-mirtazapine/",
    "/drugs/no-such-drug/",
    "/search/?q=diazepam",
    "/interactions/check/?drug=diazepam&drug=mirtazapine",
    "/sitemap.xml",
    "/sitemap-articles.xml",
    "/feeds/articles/",
]


def test_every_page_that_needs_the_database_answers_a_friendly_503(static_root):
    with gunicorn(clean_env(DATABASE_URL=NO_DATABASE, STATIC_ROOT=static_root)) as base:
        for path in PAGES:
            status, headers, body = get(base + path)
            html = body.decode()
            assert status == 503, path
            assert headers["Retry-After"] == "30"
            assert "no-cache" in headers["Cache-Control"]
            assert "Sorry, MedInfo is not available just now" in html, path
            assert "Traceback" not in html and "OperationalError" not in html
        # Staff, whose session is looked up in the database, get the same page.
        status, _, body = get(base + "/admin/", headers={"Cookie": "sessionid=" + "a" * 32})
        assert status == 503 and b"not available just now" in body
        assert get(base + "/robots.txt")[0] == 200  # needs no database


@pytest.fixture
def redis_url():
    url = "redis://127.0.0.1:6379/5"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return url


def test_cached_pages_are_still_served_while_the_database_is_down(tmp_path, redis_url, static_root):
    shared = {
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": f"outage-{uuid.uuid4().hex}",
        "STATIC_ROOT": static_root,
    }
    healthy = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", **shared)
    for command in (["migrate", "--noinput"], ["import_content"]):
        result = run([sys.executable, "manage.py", *command, "-v0"], healthy)
        assert result.returncode == 0, result.stderr
    page = "/articles/diazepam-and-mirtazapine/"
    # The cache key includes the host, so both servers are asked for the same one.
    host = {"Host": "localhost"}
    try:
        with gunicorn(healthy) as base:
            status, _, cached = get(base + page, headers=host)
            assert status == 200
        with gunicorn(clean_env(DATABASE_URL=NO_DATABASE, **shared)) as base:
            status, headers, body = get(base + page, headers=host)
            assert status == 200 and headers["X-Page-Cache"] == "hit"
            assert body == cached
            assert get(base + "/drugs/diazepam/", headers=host)[0] == 503
    finally:
        forget_redis_keys(redis_url, shared["CACHE_KEY_PREFIX"])
