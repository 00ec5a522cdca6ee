"""Scenarios 27–39: the failure kinds of 01–26 again, in other programs' dialects — an upstream that is
not http.server (gunicorn, uvicorn), client logs in other layouts, other clients in the same CI
console, docker compose's prefixed output, a busy run with unrelated failures in the same second.

Registered in lab.py's table by importing this module; the helpers come from lab.py.
"""
import os
import time

from lab import base, failed, incident, nginx_files, run_suite, scenario  # noqa: F401
from labkit import LAB, wait_port


def start_gunicorn(s, *flags):
    """gunicorn (Debian's, on its own /usr/bin/python3) serving wsgi_app.py on the app port, its error
    and access logs in services/api/ — a folder named after the service, not the server."""
    d = os.path.join(s.tmp, "services", "api")
    os.makedirs(d, exist_ok=True)
    s.gunicorn_logs = {"services/api/stderr.log": os.path.join(d, "stderr.log"),
                       "services/api/access.log": os.path.join(d, "access.log")}
    s.spawn("gunicorn", ["gunicorn", "--pythonpath", LAB, "--bind", "127.0.0.1:%d" % s.port["app"],
                         "--log-level", "info", "--error-logfile", os.path.join(d, "stderr.log"),
                         "--access-logfile", os.path.join(d, "access.log")] + list(flags) + ["wsgi_app:app"])
    wait_port("127.0.0.1", s.port["app"])


# ------------------------------------------------------------------------------------------
@scenario("27-gunicorn-worker-timeout")
def gunicorn_worker_timeout(s):
    start_gunicorn(s, "--workers", "2", "--worker-class", "sync", "--timeout", "2")
    s.start_nginx()
    run_suite(s, "worker_timeout.py", settle=0.5)
    s.collect(nginx_files(s, more=s.gunicorn_logs), {
        "what": "nginx in front of gunicorn 20.1 (2 sync workers, --timeout 2) serving samples/lab/wsgi_app.py; "
                "test_quarterly_report asks for a report the app takes 10 s to build, so gunicorn's arbiter "
                "kills the worker (WORKER TIMEOUT) and nginx answers 502.  gunicorn's error and access logs "
                "are services/api/stderr.log and services/api/access.log.",
        "incidents": [incident("server/app-worker-timeout", "test_quarterly_report")]})
    return [failed("test_quarterly_report", "HTTPError: 502"),
            ("services/api/stderr.log", r"\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)"),
            ("nginx/error.log", r"upstream prematurely closed connection while reading response header "
                                r"from upstream.*GET /api/slow\?s=10")]
