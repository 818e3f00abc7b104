"""gunicorn's settings for Khozchast: ``gunicorn -c gunicorn.conf.py`` (see docs/deploy.md).

Threaded workers: a request waiting on the database lets the worker's other threads go on, and the worker's
heartbeat does not stop while one request is long, so a slow page is not killed half way. Long work (exports
past EXPORT_JOB_ROWS, imports, depreciation runs) is not done in requests at all: it goes to the job queue.
Every setting can be changed by an environment variable of the same name in capitals, prefixed GUNICORN_.
"""
import multiprocessing
import os


def env(name, default):
    return os.environ.get(f"GUNICORN_{name.upper()}", default)


wsgi_app = "app:create_app()"
bind = env("bind", "127.0.0.1:8000")  # behind the reverse proxy; it terminates HTTPS
workers = int(env("workers", multiprocessing.cpu_count()))
worker_class = "gthread"
threads = int(env("threads", 4))
timeout = int(env("timeout", 60))  # a worker silent this long is restarted (its heartbeat, not one request)
graceful_timeout = int(env("graceful_timeout", 30))
keepalive = int(env("keepalive", 5))
# Recycle workers now and then, so a slow leak in any library cannot grow without end.
max_requests = int(env("max_requests", 5000))
max_requests_jitter = int(env("max_requests_jitter", 500))
# The proxy's X-Forwarded-For / -Proto are believed only from here (set to the proxy's address).
forwarded_allow_ips = env("forwarded_allow_ips", "127.0.0.1")

# Access log: client, user (set by the app per request), request, status, bytes, duration in ms.
accesslog = env("accesslog", "-")
errorlog = env("errorlog", "-")
access_log_format = '%(h)s %({khozchast.user}e)s [%(t)s] "%(r)s" %(s)s %(B)s %(M)sms "%(a)s"'
