"""Requests per second of one gunicorn worker for four ways of serving a page.

    .venv/bin/python bench/serving_bench.py            # 12 rounds of 2 s per case, Redis if running
    .venv/bin/python bench/serving_bench.py --rounds 6 --no-redis

It builds a throwaway site (SQLite, content/ imported, collectstatic) in a
temporary directory, starts `gunicorn -w 1` on loopback, and measures, one
after the other with the same load generator:

1. a cached article page (the page cache, interactions/page_cache.py);
2. whitenoise serving the same bytes as a static file;
3. the same article uncached (a session cookie makes it skip the cache:
   database queries and templates on every request);
4. a Django view returning the same bytes from memory (bench/serving_urls.py),
   also with the cookie: all of Django but no database and no template;
5. for scale, the least a page from the database costs: one query for the
   same article's title and body in the base template (bench/serving_urls.py),
   with the cookie. It is not part of either target.

It prints requests/s and the worker's CPU time per request (from /proc),
the best round of each case, then the two ratios: cached / whitenoise
(target at least 90 %) and the CPU of an uncached page / the from-memory
view (target at most 5x). Each ratio is also given the other way (CPU, or
requests/s). The rounds interleave the cases and each ratio is taken within
a round, then the median over the rounds is shown with the lowest and
highest: on a machine shared with other work the speed of the whole machine
drifts, by half or more within seconds at times, more than the differences
being measured; short rounds and the median keep that out of the ratios.

The load comes from wrk when it is installed (apt-get install wrk), else
from Python threads with http.client; both send only to 127.0.0.1 and stop
after the given time.
"""

import argparse
import http.client
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ARTICLE = "/articles/diazepam-and-mirtazapine/"
ONE_QUERY = "/bench/one-query/diazepam-and-mirtazapine/"
HOST = "localhost"
# An invalid session key: Django never looks it up, but the page cache is skipped.
NO_CACHE_COOKIE = "sessionid=x"
REDIS_URL = "redis://127.0.0.1:6379/5"


def site_env(directory, redis_url=None, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "DATABASE_URL")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="bench.serving_settings",
        SECRET_KEY="benchmark-only-" + "x" * 40,
        SECURE_SSL_REDIRECT="0",
        INSECURE_COOKIES="1",
        DATABASE_URL=f"sqlite:///{directory / 'site.sqlite3'}",
        STATIC_ROOT=str(directory / "static"),
        CACHE_KEY_PREFIX=f"bench-{uuid.uuid4().hex}",
        BENCH_PAGE_FILE=str(directory / "static" / "bench" / "article.html"),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def build_site(env):
    commands = (["migrate", "--noinput"], ["import_content"], ["collectstatic", "--noinput"])
    try:
        for command in commands:
            subprocess.run(
                [sys.executable, "manage.py", *command, "-v0"], cwd=ROOT, env=env, check=True
            )
    except BaseException:
        forget_redis_keys(env)  # the import may already have set the generation
        raise


class Gunicorn:
    """gunicorn with deploy/gunicorn.conf.py on a loopback port.

    max_requests is off by default: a recycled worker would take its CPU
    and memory figures with it.
    """

    def __init__(self, env, port, workers=1, extra=("--max-requests", "0")):
        self.port = port
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
            + ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
            + [*extra, "medinfo.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                self.get("/robots.txt")
                break
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.2)

    def get(self, path, cookie=None):
        headers = {"Host": HOST}
        if cookie:
            headers["Cookie"] = cookie
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_wrk(port, requests, seconds, connections):
    """(requests, failures) from wrk, cycling through (path, cookie) pairs."""
    rows = ", ".join(f'{{"{path}", "{cookie or ""}"}}' for path, cookie in requests)
    script = "\n".join(
        [
            f"requests = {{{rows}}}",
            "i = 0",
            "request = function()",
            "  i = i % #requests + 1",
            "  local path, cookie = requests[i][1], requests[i][2]",
            "  if cookie == '' then return wrk.format(nil, path) end",
            "  return wrk.format(nil, path, {Cookie = cookie})",
            "end",
        ]
    )
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as lua:
        lua.write(script)
        lua.flush()
        command = ["wrk", "-t1", f"-c{connections}", f"-d{int(seconds)}s", "-s", lua.name]
        command += ["-H", f"Host: {HOST}", "--timeout", "10s"]
        output = subprocess.run(
            [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
        ).stdout
    done = int(re.search(r"(\d+) requests in", output).group(1))
    failures = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    bad_status = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return done, failures + (int(bad_status.group(1)) if bad_status else 0)


def run_threads(port, requests, seconds, connections):
    """(requests, failures) from Python threads, each with its own connection."""
    counts = []
    deadline = time.monotonic() + seconds

    def client(offset):
        done = failed = 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            path, cookie = requests[(done + offset) % len(requests)]
            headers = {"Host": HOST, **({"Cookie": cookie} if cookie else {})}
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status >= 400:
                    failed += 1
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
            except (OSError, http.client.HTTPException):
                failed += 1
                connection.close()
            done += 1
        counts.append((done, failed))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def load(port, requests, seconds, connections):
    """Send `requests` ((path, cookie) pairs) in turn for `seconds`."""
    runner = run_wrk if shutil.which("wrk") else run_threads
    return runner(port, requests, seconds, connections)


def load_generator():
    return "wrk" if shutil.which("wrk") else "Python threads (http.client)"


def forget_redis_keys(env):
    """Delete this run's keys (never FLUSHDB: others may share the Redis)."""
    if env.get("REDIS_URL"):
        import redis

        client = redis.Redis.from_url(env["REDIS_URL"])
        keys = list(client.scan_iter(env["CACHE_KEY_PREFIX"] + ":*"))
        if keys:
            client.delete(*keys)


def redis_available():
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ratio(rounds, numerator, denominator, column):
    """(median, lowest, highest) of numerator / denominator, round by round.

    The machine's speed drifts (other work, CPU frequency), so cases are
    compared within a round, where they ran minutes apart at most.
    """
    ratios = sorted(r[numerator][column] / r[denominator][column] for r in rounds)
    return statistics.median(ratios), ratios[0], ratios[-1]


def _percent(ratio):
    median, low, high = ratio
    return f"{median:.0%} ({low:.0%}-{high:.0%})"


def _times(ratio):
    median, low, high = ratio
    return f"{median:.1f}x ({low:.1f}-{high:.1f}x)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=2, help="per case and round (default 2)")
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--no-redis", action="store_true", help="use the per-process cache")
    args = parser.parse_args()
    use_redis = not args.no_redis and redis_available()

    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        env = site_env(directory, REDIS_URL if use_redis else None)
        build_site(env)
        # Save the article's exact bytes as a static file, then restart so
        # whitenoise (which looks at STATIC_ROOT when it starts) serves it.
        server = Gunicorn(env, free_port())
        page = server.get(ARTICLE)[2]
        server.stop()
        (directory / "static" / "bench").mkdir()
        (directory / "static" / "bench" / "article.html").write_bytes(page)

        server = Gunicorn(env, free_port())
        try:
            cases = [
                ("cached article page", ARTICLE, None),
                ("whitenoise static file", "/static/bench/article.html", None),
                ("uncached article page", ARTICLE, NO_CACHE_COOKIE),
                ("from-memory Django view", "/bench/from-memory/", NO_CACHE_COOKIE),
                ("one query + base template", ONE_QUERY, NO_CACHE_COOKIE),
            ]
            for name, path, cookie in cases:
                status, headers, body = server.get(path, cookie)
                assert status == 200, f"{name}: {status}"
                assert body == page or path == ONE_QUERY, f"{name}: not the same bytes"
            assert server.get(ARTICLE)[1].get("X-Page-Cache") == "hit"
            (worker,) = server.workers()
            print(f"$ .venv/bin/python bench/serving_bench.py {' '.join(sys.argv[1:])}".rstrip())
            print(f"CPU: {platform.processor() or platform.machine()}, {os.cpu_count()} cores")
            print(f"Python {platform.python_version()}; gunicorn -w 1 (sync), SQLite")
            print(f"Page cache: {'Redis' if use_redis else 'per-process (LocMemCache)'}")
            print(f"Load: {load_generator()}, {args.connections} connections, loopback")
            print(f"Page: {ARTICLE}, {len(page)} bytes, no compression")
            print(f"{args.rounds} rounds of {args.seconds} s per case; best round of each shown")
            for _, path, cookie in cases:
                load(server.port, [(path, cookie)], 1, args.connections)  # warm up
            rounds = []  # per round, {case: (requests/s, worker CPU ms/request, failures)}
            for _ in range(args.rounds):
                # Rounds interleave the cases, so a burst of other work on the
                # machine does not fall on one case only.
                measured = {}
                for name, path, cookie in cases:
                    cpu_before, started = cpu_seconds(worker), time.monotonic()
                    requests, failed = load(
                        server.port, [(path, cookie)], args.seconds, args.connections
                    )
                    rate = requests / (time.monotonic() - started)
                    cpu = (cpu_seconds(worker) - cpu_before) / requests * 1000
                    measured[name] = (rate, cpu, failed)
                rounds.append(measured)
            for name, _, _ in cases:
                rate = max(measured[name][0] for measured in rounds)
                cpu = min(measured[name][1] for measured in rounds)
                failures = sum(measured[name][2] for measured in rounds)
                print(
                    f"{name:26} {rate:8.0f} requests/s  "
                    f"{cpu:6.2f} ms worker CPU/request  failures: {failures}"
                )
        finally:
            server.stop()
            forget_redis_keys(env)
    print(f"Ratios: median over the {len(rounds)} rounds, each within one round (lowest-highest)")
    cached_rate = _ratio(rounds, "cached article page", "whitenoise static file", 0)
    cached_cpu = _ratio(rounds, "whitenoise static file", "cached article page", 1)
    print(
        f"cached / whitenoise requests/s: {_percent(cached_rate)} (target >= 90%); "
        f"by worker CPU per request: {_percent(cached_cpu)}"
    )
    uncached_cpu = _ratio(rounds, "uncached article page", "from-memory Django view", 1)
    uncached_rate = _ratio(rounds, "from-memory Django view", "uncached article page", 0)
    print(
        f"uncached / from-memory worker CPU per request: {_times(uncached_cpu)} "
        f"(requests/s {_times(uncached_rate)}) (target <= 5x)"
    )
    floor = _ratio(rounds, "one query + base template", "from-memory Django view", 1)
    print(f"one query + base template / from-memory worker CPU per request: {_times(floor)}")
    load_average = os.getloadavg()[0]
    print(f"Load average (1 min) after: {load_average:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
