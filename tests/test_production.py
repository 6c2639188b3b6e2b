"""The production path: settings from the environment, collectstatic, gunicorn."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)


def clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env["DJANGO_SETTINGS_MODULE"] = "medinfo.settings"
    env.update(extra)
    return env


def test_settings_refuse_to_start_without_secret_key():
    result = run([sys.executable, "manage.py", "check"], clean_env())
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_debug_is_off_unless_asked_for():
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = run([sys.executable, "-c", code], clean_env(SECRET_KEY="x" * 50))
    assert result.stdout.strip() == "False"
    result = run([sys.executable, "-c", code], clean_env(DEBUG="1"))
    assert result.stdout.strip() == "True"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_gunicorn_serves_pages_and_compressed_hashed_static_files(tmp_path):
    env = clean_env(
        SECRET_KEY="production-test-" + "x" * 40,
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        STATIC_ROOT=str(tmp_path / "static"),
        INSECURE_COOKIES="1",
    )
    for command in (["migrate", "--noinput"], ["import_content"], ["collectstatic", "--noinput"]):
        result = run([sys.executable, "manage.py", *command, "-v0"], env)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "medinfo.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                page = urllib.request.urlopen(f"{base}/articles/diazepam-and-mirtazapine/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + server.stderr.read1().decode())
        html = page.read().decode()
        assert "Can you take diazepam with mirtazapine?" in html
        css_url = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css_url.startswith("/static/css/content.") and css_url.endswith(".css")
        request = urllib.request.Request(base + css_url, headers={"Accept-Encoding": "gzip"})
        response = urllib.request.urlopen(request)
        assert response.headers["Content-Encoding"] == "gzip"
        assert "max-age=315360000" in response.headers["Cache-Control"]
        try:
            urllib.request.urlopen(f"{base}/drugs/no-such-drug/")
        except urllib.error.HTTPError as error:
            assert error.code == 404
            assert "Page not found" in error.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
