"""The production path: settings from the environment, collectstatic, gunicorn."""

import sys
import urllib.request

import pytest

from tests.servers import clean_env, get, gunicorn, run


def test_settings_refuse_to_start_without_secret_key():
    env = clean_env()
    del env["SECRET_KEY"]
    result = run([sys.executable, "manage.py", "check"], env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = run([sys.executable, "-c", code], clean_env(SECRET_KEY="x" * 50))
    assert result.stdout.strip() == "False"
    result = run([sys.executable, "-c", code], clean_env(DEBUG="1"))
    assert result.stdout.strip() == "True"


def test_the_page_cache_is_redis_with_redis_url_and_per_process_without():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'])"
    )
    result = run([sys.executable, "-c", code], clean_env(DEBUG="1"))
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"
    result = run([sys.executable, "-c", code], clean_env(REDIS_URL="redis://127.0.0.1:6379/5"))
    # Django's own RedisCache (redis-py), sharing one client per server.
    assert result.stdout.strip() == "interactions.redis_cache.RedisCache"


@pytest.mark.slow
def test_gunicorn_serves_pages_and_compressed_hashed_static_files(tmp_path, static_root):
    env = clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}", STATIC_ROOT=static_root)
    for command in (["migrate", "--noinput"], ["import_content"]):
        result = run([sys.executable, "manage.py", *command, "-v0"], env)
        assert result.returncode == 0, result.stderr
    with gunicorn(env) as base:
        page = urllib.request.urlopen(f"{base}/articles/diazepam-and-mirtazapine/")
        html = page.read().decode()
        assert "Can you take diazepam with mirtazapine?" in html
        css_url = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_url.startswith("/static/css/content.") and css_url.endswith(".css")
        request = urllib.request.Request(base + css_url, headers={"Accept-Encoding": "gzip"})
        response = urllib.request.urlopen(request)
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response.headers["Cache-Control"]
        status, _, body = get(f"{base}/drugs/no-such-drug/")
        assert status == 404
        assert "Page not found" in body.decode()
