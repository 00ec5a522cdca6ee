"""Scenarios 40-59: runs whoreset has not seen.

40-48: the far side only — the lab makes the real failure with a real client, then copies only the
far side's log(s) (nginx, HAProxy, the kernel, a CI console) into the sample.
49-54: timing and granularity — a shutdown in the failure's second (49, 53), one test with 13 parallel
failures (50, 54), a stale keep-alive reuse traced at DEBUG (51), a rate limit answered with 444 (52).

lab.py imports this module after its own table; the scenarios land in the same table.
Checks may name files of the run's temp folder (absolute paths): for a far-side-only sample they
prove that the client really failed, though its log is not kept.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

from labkit import LAB, PY, read

lab = sys.modules.get("lab") or sys.modules["__main__"]  # lab.py runs as __main__: its table, not a second copy
scenario, base, run_suite, incident, failed = lab.scenario, lab.base, lab.run_suite, lab.incident, lab.failed
nginx_files, nginx_logs = lab.nginx_files, lab.nginx_logs


def far(incidents_cause, what, count=1):
    """expected.json of a far-side-only sample: no test is known (the client's log is not kept)."""
    return {"what": what, "incidents": [incident(incidents_cause) for _ in range(count)]}


def tmp_failed(s, test, error=""):
    """failed() against the run's own pytest console (not copied into a far-side-only sample)."""
    return (s.pytest_log,) + failed(test, error)[1:]


# ---- A. the far side only ------------------------------------------------------------------
@scenario("40-far-nginx-premature-close")
def far_nginx_premature_close(s):
    s.start_app()
    s.start_nginx()
    run_suite(s, "far_premature.py", settle=0.3)
    s.collect({"nginx/error.log": s.tmp + "/nginx/error.log"}, far(
        "server/upstream-reset",
        "test_legacy_sync GETs /api/close through nginx; the app reads the request and closes the connection "
        "without answering (FIN), so nginx answers 502.  Only nginx's error.log is kept (no console, no "
        "client log, no access log)."))
    return [tmp_failed(s, "test_legacy_sync", "HTTPError: 502"),
            ("nginx/error.log", r"upstream prematurely closed connection while reading response header from upstream"
                                r".*\"GET /api/close HTTP/1.1\"")]


def start_rate_limited(s, status=None):
    """41 and 52, as 17: the app and nginx limiting /api/items/ to 2 requests/s per client (no burst),
    the excess answered with limit_req_status `status` (None: nginx's default, 503)."""
    s.start_app()
    s.start_nginx(http_extra="limit_req_zone $binary_remote_addr zone=items:1m rate=2r/s;",
                  locations="        location = /api/items {\n            proxy_pass http://app;\n        }\n"
                            "        location /api/items/ {\n            limit_req zone=items;\n"
                            + ("            limit_req_status %d;\n" % status if status else "")
                            + "            proxy_pass http://app;\n        }\n")


@scenario("41-far-nginx-rate-limited")
def far_nginx_rate_limited(s):
    start_rate_limited(s)
    run_suite(s, "rate_limited.py", settle=0.3)
    s.collect(nginx_logs(s), far(
        "client/rate-limited",
        "nginx limits /api/items/ to 2 requests/s per client (limit_req, no burst, default limit_req_status "
        "503); test_bulk_fetch fetches 20 items back to back and fails on the first 503.  Only nginx's "
        "error.log and access.log are kept."))
    return [tmp_failed(s, "test_bulk_fetch", "HTTPError: 503"),
            ("nginx/error.log", r"limiting requests, excess: [\d.]+ by zone \"items\""),
            ("nginx/access.log", r'"GET /api/items/\d+ HTTP/1.1" 503 ')]


def through_haproxy(s, test_file, app_flags=(), settle=0.5, **haproxy):
    """42-44: HAProxy in front of nginx in front of the app, the suite against HAProxy."""
    s.start_app(*app_flags)
    s.start_nginx()
    s.start_haproxy(**haproxy)
    run_suite(s, test_file, base(s, "haproxy"), settle=settle)


@scenario("42-far-haproxy-sd")
def far_haproxy_sd(s):
    through_haproxy(s, "upstream_reset.py", ["--reset-export"])
    s.collect({"haproxy.log": s.haproxy_log}, far(
        "server/upstream-reset",
        "HAProxy 2.6 in front of nginx in front of the app; the app streams /api/export chunked and, after 3 "
        "chunks, closes with SO_LINGER 0 (RST), nginx cuts its own response short: HAProxy logs termination "
        "state SD (server aborted during data).  Only "
        "haproxy.log is kept."))
    return [tmp_failed(s, "test_export_csv", "ChunkedEncodingError"),
            ("haproxy.log", r" SD-- .*\"GET /api/export HTTP/1.1\"")]


@scenario("43-far-haproxy-cd")
def far_haproxy_cd(s):
    # settle: HAProxy notices the closed client when it forwards the next chunk (2 s later), then logs
    through_haproxy(s, "far_stream.py", settle=5)
    s.collect({"haproxy.log": s.haproxy_log}, far(
        "client/client-aborted",
        "HAProxy 2.6 in front of nginx in front of the app; test_download_archive streams /api/stream (a chunk every 2 s) with "
        "a 1 s read timeout, gives up after the first chunk and closes: HAProxy logs termination state CD "
        "(client aborted during data).  Only haproxy.log is kept."))
    return [tmp_failed(s, "test_download_archive", "ConnectionError"),
            ("haproxy.log", r" CD-- .*\"GET /api/stream\?n=20&s=2 HTTP/1.1\"")]


@scenario("44-far-haproxy-pr")
def far_haproxy_pr(s):
    through_haproxy(s, "proxy_rejected.py", frontend_extra="http-request deny if { path_beg /api/admin }")
    s.collect({"haproxy.log": s.haproxy_log}, far(
        "proxy-firewall/proxy-rejected",
        "HAProxy 2.6 in front of nginx refuses /api/admin with `http-request deny` (403, termination state "
        "PR); test_admin_stats fails on the 403.  Only haproxy.log is kept."))
    return [tmp_failed(s, "test_admin_stats", "HTTPError: 403"),
            ("haproxy.log", r" 403 .* PR-- .*\"GET /api/admin/stats HTTP/1.1\"")]


@scenario("45-far-kernel-reject")
def far_kernel_reject(s):
    srv, cli = "wrlab-far-srv", "wrlab-far-cli"
    s.netns_add(srv)
    s.netns_add(cli)
    run = lambda *a: subprocess.run(list(a), check=True)
    subprocess.run(["ip", "link", "del", "wrlab-far0"], capture_output=True)
    run("ip", "link", "add", "wrlab-far0", "type", "veth", "peer", "name", "wrlab-far1")
    for ns, dev, addr in ((srv, "wrlab-far0", "10.200.8.1/30"), (cli, "wrlab-far1", "10.200.8.2/30")):
        run("ip", "link", "set", dev, "netns", ns)
        run("ip", "netns", "exec", ns, "ip", "addr", "add", addr, "dev", dev)
        run("ip", "netns", "exec", ns, "ip", "link", "set", dev, "up")
    partner = str(s.port["nginx2"])
    prefix = "CI-EGRESS REJECT "
    # the runner's egress firewall: every connection to the partner's port is logged, then reset
    for target in (["LOG", "--log-prefix", prefix], ["REJECT", "--reject-with", "tcp-reset"]):
        run("ip", "netns", "exec", cli, "iptables", "-A", "OUTPUT", "-p", "tcp", "--dport", partner, "-j", *target)
    s.sysctl("net.netfilter.nf_log_all_netns", "1")  # LOG from a non-initial namespace (restored after)
    before = subprocess.run(["dmesg", "--time-format", "iso"], capture_output=True, text=True).stdout.count("\n")
    s.start_app(netns=srv)
    s.spawn("partner", [PY, os.path.join(LAB, "app.py"), "--host", "10.200.8.1", "--port", partner,
                        "--log", os.path.join(s.tmp, "partner.log")], netns=srv)
    s.start_nginx(netns=srv, host="10.200.8.1", listen="10.200.8.1:%d" % s.port["nginx"])
    run_suite(s, "far_egress.py", "http://10.200.8.1:%d" % s.port["nginx"], netns=cli,
              env={"LAB_PARTNER_URL": "http://10.200.8.1:" + partner})
    kmsg = subprocess.run(["dmesg", "--time-format", "iso"], capture_output=True, text=True).stdout.splitlines()
    fw = os.path.join(s.tmp, "firewall.log")
    with open(fw, "w") as f:
        f.writelines(l + "\n" for l in kmsg[before:] if prefix in l)
    rules = subprocess.run(["ip", "netns", "exec", cli, "iptables", "-S", "OUTPUT"], capture_output=True, text=True).stdout
    s.collect({"firewall.log": fw}, far(
        "proxy-firewall/firewall-reset",
        "The tests run in network namespace %s (10.200.8.2), nginx and a partner service in %s (10.200.8.1); "
        "the client namespace's egress firewall has `%s`, so test_partner_sync's connection to the partner "
        "(port %s) is logged and refused with a TCP reset.  Only the kernel log (dmesg --time-format iso, "
        "lines with the prefix) is kept."
        % (cli, srv, " ; ".join(l for l in rules.splitlines() if l.startswith("-A")), partner)))
    return [tmp_failed(s, "test_partner_sync", "ConnectionError"),
            (s.pytest_log, r"\[Errno 111\] Connection refused"),
            ("firewall.log", r"CI-EGRESS REJECT .*DPT=%s " % partner)]


lab.NEEDS_ROOT.add("45-far-kernel-reject")


@scenario("46-far-curl-connect-403")
def far_curl_connect_403(s):
    s.start_squid(acls="http_access deny CONNECT !SSL_ports")
    proxy = base(s, "squid")
    url = "https://127.0.0.1:%d/api/billing/export" % s.port["closed"]
    step, rc = s.run_step("step-curl", ["curl", "-sS", "-o", "billing.csv", "-x", proxy, url])
    s.stop_all()
    s.collect({"ci/step-curl.txt": step}, far(
        "proxy-firewall/proxy-denied",
        "A CI step runs `curl -sS -o billing.csv -x %s %s`; Squid 5.7 (the egress proxy, stock `http_access "
        "deny CONNECT !SSL_ports`) refuses the CONNECT to a non-443 port with 403 and curl fails (exit %d).  "
        "curl 7.88 words it `(56) CONNECT tunnel failed, response 403` (older releases: `Received HTTP code 403 "
        "from proxy after CONNECT`).  Only the step's console (GitHub Actions-style UTC stamps) is kept, not Squid's log." % (proxy, url, rc)))
    return [("ci/step-curl.txt", r"Z curl: \(56\) CONNECT tunnel failed, response 403$"),
            (s.squid_log, r" TCP_DENIED/403 \d+ CONNECT 127\.0\.0\.1:%d " % s.port["closed"])]


@scenario("47-far-nginx-499")
def far_nginx_499(s):
    s.start_app()
    s.start_nginx()

    def cancel():  # the CI job is cancelled while test_yearly_report waits: SIGINT to pytest, as the runner does
        deadline = time.time() + 60
        # test_list_items' third call logged: test_yearly_report is next
        while time.time() < deadline and read(s.tmp + "/client.log").count('"GET /api/items HTTP/1.1" 200') < 3:
            time.sleep(0.05)
        time.sleep(1.5)
        for label, p in list(s.procs):
            if label == "pytest":
                p.send_signal(signal.SIGINT)

    t = threading.Thread(target=cancel, daemon=True)
    t.start()
    run_suite(s, "far_cancelled.py", settle=1.0)
    t.join(5)
    s.collect(nginx_logs(s), far(
        "client/client-aborted",
        "test_yearly_report GETs /api/slow?s=6 through nginx; 1.5 s into it the lab cancels the job (SIGINT "
        "to pytest, as the GitHub Actions runner does on cancel), the client closes its connection and nginx "
        "logs 499.  Only nginx's error.log (level info) and access.log are kept."))
    return [(s.pytest_log, r"KeyboardInterrupt"),
            ("nginx/error.log", r"client prematurely closed connection"),
            ("nginx/access.log", r'"GET /api/slow\?s=6 HTTP/1.1" 499 ')]



def when_logged(path, pattern, action, delay=0.0, timeout=60):
    """Starts a thread that waits (bounded) until `pattern` is in the file `path`, then after `delay`
    seconds calls `action`; returns the thread."""
    def watch():
        deadline = time.time() + timeout
        while time.time() < deadline:
            if re.search(pattern, read(path)):
                time.sleep(delay)
                action()
                return
            time.sleep(0.02)
    t = threading.Thread(target=watch, daemon=True)
    t.start()
    return t


@scenario("48-far-nginx-routine")
def far_nginx_routine(s):
    s.start_app()
    s.start_nginx()
    stop = threading.Event()

    def probe():  # a load balancer's TCP health check: connect, close (bounded)
        for _ in range(120):
            if stop.wait(0.5):
                return
            try:
                socket.create_connection(("127.0.0.1", s.port["nginx"]), 1).close()
            except OSError:
                pass

    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    # a deploy reloads nginx (SIGHUP) while test_poll_status idles between its polls
    reload = when_logged(s.tmp + "/client.log", r'(?s)"GET /api/items HTTP/1.1" 200.*"GET /api/health HTTP/1.1" 200.*'
                         r'"GET /api/health HTTP/1.1" 200', lambda: os.kill(s.nginx.pid, signal.SIGHUP), delay=0.4)
    s.run_pytest("far_routine.py", base(s), report_url=base(s) + "/api/report")
    reload.join(5)
    stop.set()
    prober.join(5)
    time.sleep(0.3)
    s.stop_all()
    s.collect({"nginx/error.log": s.tmp + "/nginx/error.log"}, {
        "what": "A clean run through nginx (error log at level info): a TCP health probe connects and closes "
                "every 0.5 s, the Sessions close their keep-alive connections, and nginx is reloaded (SIGHUP) "
                "during test_poll_status' idle second; every test passes and every result is reported.  Only "
                "nginx's error.log is kept.",
        "incidents": []})
    return [(s.pytest_log, r"= 4 passed"),
            ("nginx/error.log", r"signal 1 \(SIGHUP\) received"),
            ("nginx/error.log", r"gracefully shutting down"),
            ("nginx/error.log", r"client 127\.0\.0\.1 closed keepalive connection"),
            ("nginx/error.log", r"client closed connection while waiting for request")]


# ---- B. timing and granularity --------------------------------------------------------------
@scenario("49-shutdown-after-failure")
def shutdown_after_failure(s):
    s.start_app("--reset-export")
    s.start_nginx()
    # the job's next step stops nginx the moment the last test has failed (conftest logs "<id> failed:")
    stop = when_logged(s.tmp + "/client.log", r"test_export_csv failed:", lambda: os.kill(s.nginx.pid, signal.SIGQUIT))
    run_suite(s, "far_reset_last.py", report_url="", settle=0.5)
    stop.join(5)
    s.collect(nginx_files(s), {
        "what": "As 05-upstream-reset (the app resets /api/export after 3 chunks), but test_export_csv is the "
                "suite's last test and nginx is stopped (SIGQUIT, graceful) the moment the client has logged "
                "the failure, so its shutdown lines fall in the failure's second; the cause is the upstream reset.",
        "incidents": [incident("server/upstream-reset", "test_export_csv")]})
    err = read(os.path.join(s.out, "nginx/error.log"))
    reset = re.search(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d) \[error\].*while reading upstream", err, re.M)
    second = re.escape(reset.group(1)) if reset else "(no upstream reset line)"
    return [failed("test_export_csv", "ChunkedEncodingError"),
            ("nginx/error.log", r"^%s \[notice\] \d+#\d+: signal 3 \(SIGQUIT\) received" % second)]


@scenario("50-parallel-resets")
def parallel_resets(s):
    s.start_app("--reset-export")
    s.start_nginx()
    run_suite(s, "far_parallel.py", settle=0.3,
              log_format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    s.collect(nginx_files(s), {
        "what": "test_dashboard_exports fires 13 parallel GETs of /api/export (one thread each) through nginx; "
                "the app resets every one after 3 chunks, nginx logs 13 upstream resets, the test re-raises "
                "the first of the 13 errors.  One failed test, one cause: whoreset should report it once "
                "(with a count of 13), not 13 times.",
        "incidents": [incident("server/upstream-reset", "test_dashboard_exports")]})
    return [failed("test_dashboard_exports", "ChunkedEncodingError"),
            ("client.log", r"13 of 13 widget requests failed"),
            ("nginx/error.log", r"(?s)(?:while reading upstream.*?){13}")]


@scenario("51-stale-session")
def stale_session(s):
    s.start_app()
    s.start_nginx(keepalive_timeout="1s")
    run_suite(s, "far_stale_session.py", report_url="", timeout=200)
    s.collect(nginx_files(s), {
        "what": "nginx keepalive_timeout 1s; test_poll_items uses one requests.Session (requests' default "
                "adapter) with urllib3 at DEBUG.  After two 1.5 s waits (urllib3 sees nginx's FIN: "
                "`Resetting dropped connection`, no failure) it bisects its wait towards the moment nginx closes "
                "the idle connection until a request goes out on the connection nginx is closing; that "
                "request fails and fails the test (the DEBUG trace shows no new connection before it).",
        "incidents": [incident("client/stale-keepalive", "test_poll_items")]})
    return [failed("test_poll_items", "ConnectionError"),
            ("client.log", r"Resetting dropped connection"),
            # the failed request went out on the pooled socket: no new connection, no reset, right before it
            ("client.log", r'"GET /api/items HTTP/1\.1" 200 \d+\n[^\n]*poll of /api/items failed after')]


@scenario("52-rate-limited-444")
def rate_limited_444(s):
    start_rate_limited(s, 444)
    run_suite(s, "rate_limited.py")
    s.collect(nginx_files(s), {
        "what": "nginx limits /api/items/ to 2 requests/s per client (limit_req, no burst) and answers the excess "
                "with `limit_req_status 444` (close, no response); test_bulk_fetch fetches 20 items back to back.",
        "incidents": [incident("client/rate-limited", "test_bulk_fetch")]})
    return [failed("test_bulk_fetch", "ConnectionError"),
            ("nginx/error.log", r"limiting requests, excess:"),
            ("nginx/access.log", r'"GET /api/items/\d+ HTTP/1.1" 444 0 ')]


@scenario("53-shutdown-after-stale")
def shutdown_after_stale(s):
    s.start_app()
    s.start_nginx(keepalive_timeout="1s")
    stop = when_logged(s.tmp + "/client.log", r"poll of /api/items failed after",
                       lambda: os.kill(s.nginx.pid, signal.SIGQUIT))
    run_suite(s, "far_stale_session.py", report_url="", settle=0.5, timeout=200)
    stop.join(5)
    s.collect(nginx_files(s), {
        "what": "As 51-stale-session (one Session's request goes out on the keep-alive connection nginx is "
                "closing after keepalive_timeout 1s), and nginx is stopped (SIGQUIT, graceful) the moment the "
                "client has logged the failure, so its shutdown lines fall in the failure's second; the cause "
                "is the stale connection, not the shutdown.",
        "incidents": [incident("client/stale-keepalive", "test_poll_items")]})
    hit = re.search(r"^(\d{4})-(\d\d)-(\d\d) (\d\d:\d\d:\d\d),\d+ ERROR tests\.poller: poll of",
                    read(os.path.join(s.out, "client.log")), re.M)
    second = "%s/%s/%s %s" % hit.groups() if hit else "(no failed poll)"
    return [failed("test_poll_items", "ConnectionError"),
            ("client.log", r'"GET /api/items HTTP/1\.1" 200 \d+\n[^\n]*poll of /api/items failed after'),
            ("nginx/error.log", r"^%s \[notice\] \d+#\d+: signal 3 \(SIGQUIT\) received" % re.escape(second))]


@scenario("54-parallel-overload")
def parallel_overload(s):
    s.start_app()
    s.start_nginx(worker_connections=8)
    run_suite(s, "far_parallel.py", settle=0.3, report_url="", env={"LAB_WIDGET_PATH": "/api/slow?s=1"},
              log_format="%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    n = re.search(r"(\d+) of 13 widget requests failed", read(s.client_log))
    s.collect(nginx_files(s), {
        "what": "nginx runs with worker_connections 8; test_dashboard_exports fires 13 parallel GETs of "
                "/api/slow?s=1 (one thread each): nginx serves the few it has connections for and drops the "
                "others (%s of 13 fail), the test re-raises the first error.  One failed test, one cause: "
                "whoreset should report it once (with a count), not once per thread." % (n.group(1) if n else "?"),
        "incidents": [incident("server/overload", "test_dashboard_exports")]})
    return [failed("test_dashboard_exports", "ConnectionError"),
            ("client.log", r"([2-9]|1[0-3]) of 13 widget requests failed"),
            ("nginx/error.log", r"8 worker_connections are not enough")]
