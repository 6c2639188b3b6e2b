"""Sixty seconds at saturation against gunicorn: no failed request allowed.

    .venv/bin/python bench/load.py                  # 2 workers, 60 s, Redis if running
    .venv/bin/python bench/load.py --workers 3 --seconds 30 --max-requests 2000

It builds the same throwaway site as bench/serving_bench.py, starts gunicorn
with deploy/gunicorn.conf.py on loopback, and sends a mix of requests as fast
as the workers answer (more connections than workers, so they never wait):
cached pages, pages that skip the cache (a session cookie), searches, the
checker and a static file. It reports requests/s, failed requests (errors,
timeouts and any status of 400 or more) and each worker's resident memory
at the start and the end. It exits non-zero if any request failed.

max_requests is off by default so that the memory figures belong to the same
processes from start to end; --max-requests N turns worker recycling on.
"""

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.serving_bench import (  # noqa: E402
    ARTICLE,
    NO_CACHE_COOKIE,
    REDIS_URL,
    Gunicorn,
    build_site,
    forget_redis_keys,
    free_port,
    load,
    load_generator,
    redis_available,
    rss_mb,
    site_env,
)


def mix(static_css):
    return [
        ("/", None),
        (ARTICLE, None),
        ("/drugs/diazepam/", None),
        ("/drugs/", None),
        ("/search/?q=diazepam+mirtazapine", None),
        ("/interactions/check/?drug=diazepam&drug=mirtazapine", None),
        (static_css, None),
        (ARTICLE, NO_CACHE_COOKIE),
        ("/drugs/mirtazapine/", NO_CACHE_COOKIE),
        ("/search/?q=side+effects", NO_CACHE_COOKIE),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--max-requests", type=int, default=0)
    parser.add_argument("--no-redis", action="store_true", help="use the per-process cache")
    args = parser.parse_args()
    use_redis = not args.no_redis and redis_available()

    with tempfile.TemporaryDirectory() as tmp:
        env = site_env(Path(tmp), REDIS_URL if use_redis else None)
        build_site(env)
        server = Gunicorn(
            env, free_port(), args.workers, extra=("--max-requests", str(args.max_requests))
        )
        try:
            page = server.get(ARTICLE)[2].decode()
            static_css = re.search(r'href="(/static/css/[^"]+\.css)"', page).group(1)
            requests = mix(static_css)
            load(server.port, requests, 2, args.connections)  # warm up
            workers = server.workers()
            start_rss = {pid: rss_mb(pid) for pid in workers}
            # Memory half-way too: growth that stops early is warming up
            # (caches filling), growth that goes on would be a leak.
            halfway = threading.Timer(
                args.seconds / 2,
                lambda: middle_rss.update({p: rss_mb(p) for p in server.workers()}),
            )
            middle_rss = {}
            halfway.start()
            started = time.monotonic()
            done, failures = load(server.port, requests, args.seconds, args.connections)
            elapsed = time.monotonic() - started
            halfway.cancel()
            end_workers = server.workers()
            end_rss = {pid: rss_mb(pid) for pid in end_workers}
        finally:
            server.stop()
            forget_redis_keys(env)

    print(f"$ .venv/bin/python bench/load.py {' '.join(sys.argv[1:])}".rstrip())
    print(
        f"gunicorn: {args.workers} sync workers, max_requests {args.max_requests}; "
        f"page cache: {'Redis' if use_redis else 'per-process'}; SQLite"
    )
    print(f"Load: {load_generator()}, {args.connections} connections, {len(requests)} URLs in turn")
    print(f"{done} requests in {elapsed:.0f} s: {done / elapsed:.0f} requests/s")
    print(f"Failed requests: {failures}")

    def rss(figures, pid):
        return f"{figures[pid]:.1f} MB" if pid in figures else "-"

    for pid in sorted(set(workers) | set(end_workers)):
        print(
            f"Worker {pid}: RSS at start {rss(start_rss, pid)}, "
            f"half-way {rss(middle_rss, pid)}, at end {rss(end_rss, pid)}"
        )
    print(f"Load average (1 min) after: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
