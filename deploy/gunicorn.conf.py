"""gunicorn settings for MedInfo behind nginx (deploy/nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py medinfo.wsgi

Sync workers handle one request each and nothing else meanwhile, so they
must only ever talk to nginx, which reads slow clients' requests and sends
slow clients' responses from its own buffers.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two or three per core: requests mostly wait for the database or Redis.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A request that takes longer than this is stuck: the worker is replaced.
# nginx's proxy_read_timeout is a little longer, so nginx reports it.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On restart or deploy, requests in flight get this long to finish.
graceful_timeout = 30
# Replace each worker after about this many requests, so a slow leak never
# grows for long; the jitter stops all workers restarting at once.
max_requests = 2000
max_requests_jitter = 200
# Trust X-Forwarded-Proto only from the proxy (nginx on this host by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers are forked from a loaded app: less memory, faster restarts.
preload_app = True
# nginx logs every request; gunicorn logs errors only.
accesslog = None
errorlog = "-"
