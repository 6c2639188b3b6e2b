"""deploy/: the gunicorn settings and the nginx site in front of it, for real."""

import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.servers import BIN, ROOT, clean_env, free_port, gunicorn, no_redirects, run

DEPLOY = ROOT / "deploy"


def test_gunicorn_settings_take_the_worker_count_from_the_environment():
    result = run(
        [str(BIN / "gunicorn"), "--print-config", "-c", str(DEPLOY / "gunicorn.conf.py")]
        + ["medinfo.wsgi"],
        clean_env(WEB_CONCURRENCY="5"),
    )
    lines = (line.partition("=") for line in result.stdout.splitlines())
    config = {name.strip(): value.strip() for name, _, value in lines}
    assert config["workers"] == "5"
    assert config["worker_class"] == "sync"
    assert int(config["max_requests"]) > 0 and int(config["max_requests_jitter"]) > 0
    assert config["timeout"] == "30" and config["graceful_timeout"] == "30"
    assert config["forwarded_allow_ips"] == "['127.0.0.1']"


def _certificate(directory):
    key, cert = directory / "key.pem", directory / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return key, cert


def _nginx_config(tmp_path, app_port, http_port, https_port, static_root):
    """deploy/nginx.conf with this machine's ports and paths, in a main config."""
    key, cert = _certificate(tmp_path)
    site = (DEPLOY / "nginx.conf").read_text()
    for old, new in [
        ("127.0.0.1:8000", f"127.0.0.1:{app_port}"),
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        ("/etc/letsencrypt/live/medinfo.example/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/medinfo.example/privkey.pem", str(key)),
        ("/srv/medinfo/staticfiles/", static_root + "/"),
        ("/srv/medinfo/media/", str(tmp_path / "media") + "/"),
    ]:
        assert old in site, old
        site = site.replace(old, new)
    (tmp_path / "site.conf").write_text(site)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"""
        user root;
        worker_processes 1;
        daemon off;
        pid {tmp_path}/nginx.pid;
        error_log {tmp_path}/error.log;
        events {{ worker_connections 64; }}
        http {{
            include /etc/nginx/mime.types;
            access_log off;
            client_body_temp_path {tmp_path}/body;
            proxy_temp_path {tmp_path}/proxy;
            include {tmp_path}/site.conf;
        }}
        """
    )
    return main


def _https(port, path, method="GET", data=None):
    context = ssl._create_unverified_context()
    request = urllib.request.Request(
        f"https://127.0.0.1:{port}{path}",
        method=method,
        data=data,
        headers={"Host": "localhost", "Accept-Encoding": "gzip"},
    )
    try:
        with urllib.request.urlopen(request, context=context, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _slow_client(port, tls):
    """A client that sends half of its request headers and then waits."""
    sock = socket.create_connection(("127.0.0.1", port))
    if tls:
        sock = ssl._create_unverified_context().wrap_socket(sock, server_hostname="localhost")
    sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
    return sock


@pytest.mark.slow
def test_nginx_in_front_of_gunicorn(tmp_path, static_root):
    if not shutil.which("nginx"):
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    result = run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        clean_env(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}"),
    )
    assert result.returncode == 0, result.stderr
    env = clean_env(
        DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}",
        STATIC_ROOT=static_root,
        BEHIND_TLS_PROXY="1",
    )
    del env["SECURE_SSL_REDIRECT"], env["INSECURE_COOKIES"]  # production defaults
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    config = _nginx_config(tmp_path, app_port, http_port, https_port, static_root)
    nginx = subprocess.Popen(["nginx", "-c", str(config)], stderr=subprocess.PIPE)
    try:
        with gunicorn(env, "--bind", f"127.0.0.1:{app_port}", workers=1) as direct:
            for _ in range(50):
                assert nginx.poll() is None, nginx.stderr.read().decode()
                try:
                    socket.create_connection(("127.0.0.1", https_port)).close()
                    break
                except OSError:
                    time.sleep(0.1)
            # Plain HTTP is sent to HTTPS by nginx.
            with pytest.raises(urllib.error.HTTPError) as redirect:
                no_redirects.open(f"http://127.0.0.1:{http_port}/drugs/", timeout=5)
            assert redirect.value.code == 301
            assert redirect.value.headers["Location"] == "https://127.0.0.1/drugs/"
            # Over HTTPS Django trusts X-Forwarded-Proto: no redirect loop.
            status, headers, _ = _https(https_port, "/drugs/")
            assert status == 200 and headers["Content-Encoding"] == "gzip"
            # Static files come from nginx, cached for a year.
            css = next((ROOT / "static" / "css").glob("*.css")).name
            status, headers, _ = _https(https_port, "/static/css/" + css)
            assert status == 200
            assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
            # Bodies over the upload limit stop at nginx.
            status, _, _ = _https(https_port, "/search/", "POST", b"x" * (4 * 1024 * 1024))
            assert status == 413

            # Slow clients hold nginx connections, never the one sync worker...
            slow = [_slow_client(https_port, tls=True) for _ in range(3)]
            started = time.monotonic()
            assert _https(https_port, "/robots.txt")[0] == 200
            assert time.monotonic() - started < 2
            # ...whereas talking to gunicorn directly, one slow client blocks it.
            slow.append(_slow_client(app_port, tls=False))
            time.sleep(0.2)
            request = urllib.request.Request(
                direct + "/robots.txt", headers={"X-Forwarded-Proto": "https"}
            )
            with pytest.raises(OSError):
                urllib.request.urlopen(request, timeout=2)
            for sock in slow:
                sock.close()
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
