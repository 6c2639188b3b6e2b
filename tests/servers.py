"""Start real gunicorn servers for the tests that need a production process."""

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from importlib import import_module
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)


def clean_env(**extra):
    """The environment of a production process: DEBUG off, plain HTTP allowed."""
    env = {
        k: v
        for k, v in os.environ.items()
        # DJANGO_ALLOW_ASYNC_UNSAFE is for the browser tests only (tests/settings.py).
        if k
        not in (
            "DEBUG",
            "SECRET_KEY",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        DJANGO_SETTINGS_MODULE="medinfo.settings",
        SECRET_KEY="production-test-" + "x" * 40,
        # The tests talk plain HTTP to gunicorn, as the proxy would.
        INSECURE_COOKIES="1",
        SECURE_SSL_REDIRECT="0",
    )
    env.update(extra)
    return env


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


# Any HTTP answer, a redirect to HTTPS included, shows the server is up.
no_redirects = urllib.request.build_opener(_NoRedirect)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(env, *args, workers=1, ready_path="/robots.txt"):
    """A gunicorn serving MedInfo on a free port; yields its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "medinfo.wsgi", "--bind", f"127.0.0.1:{port}"]
        + ["--workers", str(workers), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                no_redirects.open(base + ready_path, timeout=5)
                break
            except urllib.error.HTTPError:
                break  # it answers, whatever the status
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    server.kill()
                    raise RuntimeError(
                        "gunicorn did not start: " + server.stderr.read().decode()
                    ) from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=15)


def get(url, headers=None):
    """(status, headers, body) for a GET, without raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def forget_redis_keys(url, prefix):
    """Delete one test's keys from Redis (never FLUSHDB: others may share it)."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(prefix + ":*"))
    if keys:
        client.delete(*keys)


def restore_migration_rows():
    """Put back the rows data migrations add (populations, editor groups).

    A transactional test ends by emptying every table, so the next one
    starts without them. pytest-django runs transactional tests last, so
    only they need this, at their start.
    """
    from django.apps import apps

    import_module("interactions.migrations.0002_populations").add_populations(apps, None)
    # The flush re-creates permissions (post_migrate), not the groups.
    import_module("interactions.migrations.0004_editor_groups").assign_group_permissions(apps)
    import_module("interactions.migrations.0006_revisions").grant_workflow_permissions(apps, None)
    import_module("interactions.migrations.0007_feedback").allow_groups(apps, None)
