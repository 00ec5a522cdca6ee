"""Scenarios 60-62: stale keep-alive told by the client's own trace and the server's configuration; a
connection limit (limit_conn) read as the client's rate.

60: a pooled connection reused as nginx closes it (keepalive_timeout 1s), the nginx.conf kept in the
sample (in config/, recognised by its content), urllib3 at DEBUG: no new connection for the failed
request, idle as long as keepalive_timeout.
61: the same shape (one Session, pooled reuse, urllib3 at DEBUG, the nginx.conf kept) with an idle
time far below keepalive_timeout 30s, and another cause: nginx's worker is killed while the reused
connection's request is in flight. It must not read as a stale keep-alive.
62: nginx's limit_conn per client answers the excess of 13 parallel requests with 503: `limiting
connections` for the request decides the rate-limit cause, as `limiting requests` does (17, 41, 52).

lab.py imports this module after its own table; the scenarios land in the same table.
"""
import os
import re
import signal
import sys

from labkit import read

lab = sys.modules.get("lab") or sys.modules["__main__"]  # lab.py runs as __main__: its table, not a second copy
scenario, run_suite, incident, failed, nginx_files = lab.scenario, lab.run_suite, lab.incident, lab.failed, lab.nginx_files
far = sys.modules["scenarios_far"]


@scenario("60-stale-keepalive-config")
def stale_keepalive_config(s):
    s.start_app()
    s.start_nginx(keepalive_timeout="1s")
    run_suite(s, "far_stale_session.py", report_url="", timeout=200)
    s.collect(nginx_files(s, more={"config/nginx.conf": s.tmp + "/nginx/nginx.conf"}), {
        "what": "As 51-stale-session (one requests.Session polls nginx, keepalive_timeout 1s, bisecting its "
                "wait until a request goes out on the connection nginx is closing), with the nginx.conf the "
                "lab ran kept in config/.  The DEBUG trace shows no new connection for the failed request and "
                "the pool's previous request about 1 s before it: the stale reuse is shown, not inferred.",
        "incidents": [incident("client/stale-keepalive", "test_poll_items")]})
    return [failed("test_poll_items", "ConnectionError"),
            ("config/nginx.conf", r"keepalive_timeout 1s;"),
            ("client.log", r'"GET /api/items HTTP/1\.1" 200 \d+\n[^\n]*poll of /api/items failed after')]


@scenario("61-pooled-worker-killed")
def pooled_worker_killed(s):
    s.start_app()
    s.start_nginx(keepalive_timeout="30s")
    killed = []

    def kill_workers():
        for pid in s.nginx_workers():
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    watcher = far.when_logged(s.tmp + "/client.log", r"fetching the slow report", kill_workers, delay=0.8)
    # threadName in the layout: the trace then says whose pool each line is (no other thread's request passes for it)
    run_suite(s, "pooled_worker_killed.py", report_url="", settle=0.5,
              log_format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    watcher.join(5)
    s.collect(nginx_files(s, more={"config/nginx.conf": s.tmp + "/nginx/nginx.conf"}), {
        "what": "One requests.Session polls nginx (keepalive_timeout 30s) every 0.5 s, then asks /api/slow?s=3 "
                "on the same pooled connection; the lab kills the nginx worker (SIGKILL, pid %s) while that "
                "request is in flight.  The trace shows a pooled reuse, but idle 0.5 s, far below 30 s: not a "
                "stale keep-alive.  nginx logs the worker's death in the failure's own second, which its 1 s "
                "stamp cannot order against the failure: the crash is an incident of the server's own, and "
                "the client's failure is unknown (not stale, cause not tied)." % ",".join(map(str, killed)),
        "incidents": [incident("server/worker-crash"), incident("unknown/fresh-connection-closed", "test_poll_then_report")]})
    return [failed("test_poll_then_report", "ConnectionError"),
            ("client.log", r'"GET /api/items HTTP/1\.1" 200 \d+\n[^\n]*fetching the slow report[^\n]*\n[^\n]*slow report failed'),
            ("nginx/error.log", r"exited on signal 9")]


@scenario("62-conn-limited")
def conn_limited(s):
    s.start_app()
    s.start_nginx(http_extra="limit_conn_zone $binary_remote_addr zone=perip:1m;",
                  locations="        location /api/slow {\n            limit_conn perip 2;\n"
                            "            proxy_pass http://app;\n        }\n")
    run_suite(s, "far_parallel.py", settle=0.3, report_url="", env={"LAB_WIDGET_PATH": "/api/slow?s=1"},
              log_format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    n = re.search(r"(\d+) of 13 widget requests failed", read(s.client_log))
    s.collect(nginx_files(s), {
        "what": "nginx allows each client 2 connections at a time on /api/slow (limit_conn_zone $binary_remote_addr, "
                "limit_conn perip 2, nginx's default limit_conn_status 503); test_dashboard_exports fires 13 "
                "parallel GETs of /api/slow?s=1: nginx answers the excess with 503 and logs `limiting "
                "connections by zone` for each (%s of 13 fail), the test re-raises the first error.  The "
                "client's concurrency, not the server's capacity." % (n.group(1) if n else "?"),
        "incidents": [incident("client/rate-limited", "test_dashboard_exports")]})
    return [failed("test_dashboard_exports", "HTTPError: 503"),
            ("nginx/error.log", r'limiting connections by zone "perip"'),
            ("nginx/access.log", r'"GET /api/slow\?s=1&widget=\d+ HTTP/1.1" 503 ')]
