#!/usr/bin/env python3
"""The lab driver: a table of scenarios, each a function that starts the real programs on
loopback (or inside network namespaces it creates), runs the modelled pytest suite, and
collects the resulting logs into samples/<name>/ with expected.json.

  python3 samples/lab/lab.py            # every scenario
  python3 samples/lab/lab.py 03 17      # only the scenarios whose name starts with 03 / 17
  python3 samples/lab/lab.py --list

Each scenario returns a list of checks (file in the sample, regex) that must hold for the
failure to count as reproduced.  A failing scenario is reported; the others still run.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from labkit import LAB, SAMPLES, Scenario, check, read  # noqa: E402

SCENARIOS = []


def scenario(name):
    def deco(fn):
        SCENARIOS.append((name, fn))
        return fn
    return deco


def base(s, port_key="nginx", host="127.0.0.1"):
    return "http://%s:%d" % (host, s.port[port_key])


def nginx_logs(s):
    return {"nginx/error.log": s.tmp + "/nginx/error.log", "nginx/access.log": s.tmp + "/nginx/access.log"}


def nginx_files(s, console="pytest.log", more=None):
    """The usual sample: the pytest console, client.log, nginx's logs, and `more` ({sample path: file})."""
    return {console: s.pytest_log, "client.log": s.client_log, **nginx_logs(s), **(more or {})}


# The steps most scenarios share, so that each scenario's function shows only what it does differently.
def run_suite(s, test_file, url=None, settle=0.0, **pytest_kw):
    """Runs the modelled suite (tests/<test_file> as tests/test_api.py) against `url` (default: nginx),
    its conftest reporter posting there too unless `report_url` is given; then waits `settle` seconds
    (for the servers to log what the client gave up on) and stops every program."""
    url = url or base(s)
    pytest_kw.setdefault("report_url", url + "/api/report")
    s.run_pytest(test_file, url, **pytest_kw)
    time.sleep(settle)
    s.stop_all()


def incident(cause, test=None):
    """One verdict of expected.json.  The attribution is the cause's family ("server/…" → server);
    `test` is a test function of tests/test_api.py, INTERNALERROR (the conftest reporter failed), or
    None (the client was not pytest)."""
    i = {"attribution": cause.split("/")[0], "cause": cause}
    if test:
        i["test"] = test if test == "INTERNALERROR" else "tests/test_api.py::" + test
    return i


def failed(test, error="", console="pytest.log"):
    """The check that pytest's short summary names `test` as failed with requests.exceptions.<error>."""
    return (console, r"FAILED tests/test_api.py::%s%s" % (test, " - requests.exceptions." + error if error else ""))


LOCATIONS_444 = "        location /api/v1/ {\n            return 444;\n        }\n"


# ------------------------------------------------------------------------------------------
@scenario("01-clean")
def clean(s):
    s.start_app()
    s.start_nginx()
    run_suite(s, "clean.py")
    s.collect(nginx_files(s), {"what": "Normal API traffic through nginx to the app; every test "
                                       "passes and every result is reported.", "incidents": []})
    return [("pytest.log", r"= 5 passed"), ("nginx/access.log", r'"POST /api/report HTTP/1.1" 204')]


@scenario("02-body-too-large")
def body_too_large(s):
    s.start_app()
    s.start_nginx(server_extra="client_max_body_size 1m;")
    run_suite(s, "body_too_large.py")
    s.collect(nginx_files(s), {
        "what": "test_upload POSTs an 8 MiB CSV through nginx whose client_max_body_size is 1m.",
        "incidents": [incident("server/body-too-large", "test_upload")]})
    return [failed("test_upload"),
            ("nginx/error.log", r"client intended to send too large body")]


@scenario("03-nginx-444")
def nginx_444(s):
    s.start_app()
    s.start_nginx(locations=LOCATIONS_444)
    run_suite(s, "nginx_444.py")
    s.collect(nginx_files(s), {
        "what": "nginx answers the retired /api/v1/ prefix with `return 444` (close, no response); "
                "test_legacy_export calls /api/v1/export.",
        "incidents": [incident("server/nginx-444", "test_legacy_export")]})
    return [failed("test_legacy_export", "ConnectionError"),
            ("pytest.log", r"^E +requests.exceptions.ConnectionError: .*RemoteDisconnected"),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0')]


@scenario("04-worker-crash")
def worker_crash(s):
    marker = os.path.join(s.tmp, "report-in-progress")
    s.start_app("--report-after", "4", "--slow-report", "3", "--marker", marker)
    s.start_nginx()
    killed = {}

    def killer():  # wait (bounded) until the 5th report is being handled, then kill the worker
        deadline = time.time() + 60
        while time.time() < deadline and not os.path.exists(marker):
            time.sleep(0.05)
        time.sleep(0.5)
        for pid in s.nginx_workers():
            os.kill(pid, signal.SIGKILL)
            killed.setdefault("pids", []).append(pid)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    s.run_pytest("reporter_fails.py", base(s), report_url=base(s) + "/api/report")
    t.join(5)
    time.sleep(0.3)
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "While nginx proxies the 5th result POST of the conftest reporter (the app takes 3 s), "
                "the lab kills the nginx worker with SIGKILL (pid %s); the hook's exception "
                "becomes an INTERNALERROR." % ",".join(map(str, killed.get("pids", []))),
        "incidents": [incident("server/worker-crash", "INTERNALERROR")]})
    return [("pytest.log", r"INTERNALERROR> requests.exceptions.ConnectionError: .*RemoteDisconnected"),
            ("nginx/error.log", r"worker process \d+ exited on signal 9")]


@scenario("05-upstream-reset")
def upstream_reset(s):
    s.start_app("--reset-export")
    s.start_nginx()
    run_suite(s, "upstream_reset.py")
    s.collect(nginx_files(s), {
        "what": "The app streams /api/export as a chunked CSV and, after 3 chunks, closes its socket "
                "with SO_LINGER 0 (RST); nginx had already forwarded the headers and part of the body.",
        "incidents": [incident("server/upstream-reset", "test_export_csv")]})
    return [failed("test_export_csv", "ChunkedEncodingError"),
            ("nginx/error.log", r"(Connection reset by peer|prematurely closed).*upstream")]


@scenario("06-upstream-reset-direct")
def upstream_reset_direct(s):
    s.start_app("--report-after", "3", "--reset-report")
    run_suite(s, "reporter_fails.py", base(s, "app"))
    s.collect({"pytest.log": s.pytest_log, "client.log": s.client_log, "app/access.log": s.app_log}, {
        "what": "No proxy: the tests and the conftest reporter talk to the app directly; the app "
                "answers the 4th result POST by closing with SO_LINGER 0 before any response byte "
                "(as in the seed: ConnectionResetError in _read_status, inside INTERNALERROR).",
        "incidents": [incident("server/upstream-reset", "INTERNALERROR")]})
    return [("pytest.log", r"INTERNALERROR> urllib3.exceptions.ProtocolError: \('Connection aborted.', ConnectionResetError\(104"),
            ("app/access.log", r'"POST /api/report HTTP/1.1" - -')]


@scenario("07-proxy-read-timeout")
def proxy_read_timeout(s):
    s.start_app()
    s.start_nginx(location_extra="proxy_read_timeout 1s;")
    run_suite(s, "slow_upstream.py", log_cli=True)
    s.collect(nginx_files(s), {
        "what": "nginx has proxy_read_timeout 1s; /api/slow takes 3 s in the app, so nginx answers 504 "
                "and the test's raise_for_status() fails.  pytest live logging (log_cli) is on.",
        "incidents": [incident("server/proxy-read-timeout", "test_monthly_report")]})
    return [failed("test_monthly_report", "HTTPError: 504"),
            ("nginx/error.log", r"upstream timed out \(110: Connection timed out\)")]


@scenario("08-overload")
def overload(s):
    s.start_app()
    s.start_nginx(worker_connections=4)
    run_suite(s, "overload.py", report_url="", log_format="%(levelname)s %(asctime)s %(name)s: %(message)s")
    s.collect(nginx_files(s), {
        "what": "nginx runs with worker_connections 3 (listener + one client + its upstream); while a "
                "slow request holds them, a second concurrent request cannot be served.",
        "incidents": [incident("server/overload", "test_dashboard_parallel")]})
    return [failed("test_dashboard_parallel", "ConnectionError"),
            ("nginx/error.log", r"worker_connections are not enough")]


# ---- proxy / firewall ---------------------------------------------------------------------
@scenario("09-proxy-rejected")
def proxy_rejected(s):
    s.start_app()
    s.start_nginx()
    s.start_haproxy(frontend_extra="http-request silent-drop if { path_beg /api/admin }")
    run_suite(s, "proxy_rejected.py", base(s, "haproxy"), settle=0.5)
    s.collect(nginx_files(s, more={"haproxy.log": s.haproxy_log}), {
        "what": "HAProxy in front of nginx drops every /api/admin request (`http-request silent-drop`); "
                "nginx never sees test_admin_stats' request, HAProxy logs it with termination state PR.",
        "incidents": [incident("proxy-firewall/proxy-rejected", "test_admin_stats")]})
    return [failed("test_admin_stats", "(ConnectionError|ReadTimeout)"),
            ("haproxy.log", r"GET /api/admin/stats"),
            ("nginx/access.log", r"GET /api/items/7")]


@scenario("10-proxy-timeout")
def proxy_timeout(s):
    s.start_app()
    s.start_nginx()
    s.start_haproxy(backend_extra="timeout server 1s")
    # settle: let nginx finish (and log) the upstream request HAProxy abandoned
    run_suite(s, "slow_upstream.py", base(s, "haproxy"), settle=2.5)
    s.collect(nginx_files(s, more={"haproxy.log": s.haproxy_log}), {
        "what": "HAProxy (timeout server 1s) in front of nginx; /api/slow takes 3 s, so HAProxy gives up, "
                "answers 504 and logs termination state sH; the test's raise_for_status() fails.",
        "incidents": [incident("proxy-firewall/proxy-timeout", "test_monthly_report")]})
    return [failed("test_monthly_report", "HTTPError: 504"),
            ("haproxy.log", r" 504 .* sH")]


@scenario("11-proxy-unreachable")
def proxy_unreachable(s):
    s.start_app()
    s.start_nginx()
    run_suite(s, "proxy_unreachable.py")
    s.collect(nginx_files(s), {
        "what": "test_partner_sync sends its request through an HTTP proxy configured as "
                "http://127.0.0.1:%d, where nothing listens; the other tests go to nginx directly." % s.port["closed"],
        "incidents": [incident("proxy-firewall/proxy-unreachable", "test_partner_sync")]})
    return [failed("test_partner_sync", "ProxyError")]


@scenario("12-firewall-reset")
def firewall_reset(s):
    srv, cli = "wrlab-fw-srv", "wrlab-fw-cli"
    s.netns_add(srv)
    s.netns_add(cli)
    run = lambda *a: subprocess.run(list(a), check=True)
    subprocess.run(["ip", "link", "del", "wrlab-fw0"], capture_output=True)
    run("ip", "link", "add", "wrlab-fw0", "type", "veth", "peer", "name", "wrlab-fw1")
    run("ip", "link", "set", "wrlab-fw0", "netns", srv)
    run("ip", "link", "set", "wrlab-fw1", "netns", cli)
    run("ip", "netns", "exec", srv, "ip", "addr", "add", "10.200.7.1/30", "dev", "wrlab-fw0")
    run("ip", "netns", "exec", cli, "ip", "addr", "add", "10.200.7.2/30", "dev", "wrlab-fw1")
    run("ip", "netns", "exec", srv, "ip", "link", "set", "wrlab-fw0", "up")
    run("ip", "netns", "exec", cli, "ip", "link", "set", "wrlab-fw1", "up")
    port = str(s.port["nginx"])
    for target in (["LOG", "--log-prefix", "WHORESET-FW: "], ["REJECT", "--reject-with", "tcp-reset"]):
        run("ip", "netns", "exec", srv, "iptables", "-A", "INPUT", "-p", "tcp", "--dport", port,
            "-m", "string", "--string", "/api/blocked", "--algo", "bm", "-j", *target)
    # the kernel only logs from non-initial network namespaces with this sysctl on (restored after)
    s.sysctl("net.netfilter.nf_log_all_netns", "1")
    before = subprocess.run(["dmesg", "--time-format", "iso"], capture_output=True, text=True).stdout.count("\n")
    s.start_app(netns=srv)
    s.start_nginx(netns=srv, host="10.200.7.1", listen="10.200.7.1:" + port)
    run_suite(s, "firewall.py", "http://10.200.7.1:" + port, netns=cli)
    kmsg = subprocess.run(["dmesg", "--time-format", "iso"], capture_output=True, text=True).stdout.splitlines()
    fw = os.path.join(s.tmp, "firewall.log")
    with open(fw, "w") as f:
        f.writelines(l + "\n" for l in kmsg[before:] if "WHORESET-FW: " in l)
    rules = subprocess.run(["ip", "netns", "exec", srv, "iptables", "-S", "INPUT"], capture_output=True, text=True).stdout
    s.collect(nginx_files(s, more={"firewall.log": fw}), {
        "what": "nginx runs in network namespace %s (10.200.7.1), the tests in %s (10.200.7.2), joined by a "
                "veth pair; the server namespace has `%s`.  The client retries twice, each attempt is "
                "logged and reset by the kernel; nginx never sees /api/blocked."
                % (srv, cli, " ; ".join(l for l in rules.splitlines() if l.startswith("-A"))),
        "incidents": [incident("proxy-firewall/firewall-reset", "test_blocked_feature")]})
    return [failed("test_blocked_feature", "ConnectionError"),
            ("client.log", r"Retrying \(Retry\(total=1.*ConnectionResetError\(104"),
            ("firewall.log", r"WHORESET-FW: .*DPT=" + port)]


def partner_lookup_in(s, ns, partner_host):
    """13 and 15: the app, nginx and the suite all inside network namespace `ns`, whose resolver
    fails in its own way; test_partner_lookup calls nginx by the name `partner_host`."""
    s.start_app(netns=ns)
    s.start_nginx(netns=ns)
    run_suite(s, "partner_host.py", netns=ns,
              env={"LAB_PARTNER_URL": "http://%s:%d" % (partner_host, s.port["nginx"])})


@scenario("13-dns-unavailable")
def dns_unavailable(s):
    ns = "wrlab-dns-down"
    # the namespace's resolver is 127.0.0.1 (inside the namespace), where nothing listens on 53
    s.netns_add(ns, resolv_conf="nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    partner_lookup_in(s, ns, "partner.inventory-lab.test")
    s.collect(nginx_files(s), {
        "what": "Everything runs in network namespace %s whose /etc/resolv.conf names 127.0.0.1 as the "
                "resolver, where nothing listens; test_partner_lookup calls partner.inventory-lab.test "
                "and getaddrinfo fails with EAI_AGAIN." % ns,
        "incidents": [incident("proxy-firewall/dns-unavailable", "test_partner_lookup")]})
    return [failed("test_partner_lookup", "ConnectionError"),
            ("pytest.log", r"Temporary failure in name resolution")]


# ---- client ------------------------------------------------------------------------------
@scenario("14-timeout-too-short")
def timeout_too_short(s):
    s.start_app()
    s.start_nginx()
    # settle: let nginx notice and log the abandoned request
    run_suite(s, "timeout_short.py", settle=2,
              log_format="%(asctime)s.%(msecs)03dZ [%(levelname)s] %(name)s - %(message)s",
              log_datefmt="%Y-%m-%dT%H:%M:%S")
    s.collect(nginx_files(s, console="ci/step-3.txt"), {
        "what": "test_search calls /api/slow?s=2 with timeout=0.5; the client gives up, nginx logs 499.  "
                "The pytest console is saved as ci/step-3.txt (format detection by content).",
        "incidents": [incident("client/timeout-too-short", "test_search")]})
    return [failed("test_search", "ReadTimeout", console="ci/step-3.txt"),
            ("nginx/access.log", r'"GET /api/slow\?s=2 HTTP/1.1" 499')]


@scenario("15-dns-nxdomain")
def dns_nxdomain(s):
    ns = "wrlab-dns-nx"
    s.netns_add(ns, resolv_conf="nameserver 127.0.0.1\noptions timeout:1 attempts:1\n")
    s.spawn("dns", [sys.executable, os.path.join(LAB, "dns_nx.py"), os.path.join(s.tmp, "dns.log")], netns=ns)
    time.sleep(0.3)
    partner_lookup_in(s, ns, "api.staging.whoreset.invalid")
    s.collect(nginx_files(s), {
        "what": "Everything runs in network namespace %s whose resolver (127.0.0.1 inside it, a small "
                "Python responder) answers NXDOMAIN; test_partner_lookup calls api.staging.whoreset.invalid." % ns,
        "incidents": [incident("client/dns-nxdomain", "test_partner_lookup")]})
    return [failed("test_partner_lookup", "ConnectionError"),
            ("pytest.log", r"\[Errno -2\] Name or service not known")]


@scenario("16-stale-keepalive")
def stale_keepalive(s):
    s.start_app()
    s.start_nginx(keepalive_timeout="1s")
    race = os.path.join(s.tmp, "race.txt")
    run_suite(s, "stale_keepalive.py", report_url="", env={"LAB_RACE_FILE": race},
              log_format="%(asctime)s %(levelname)-8s %(threadName)s %(name)s: %(message)s", timeout=200)
    hits, tries = (int(x) for x in (read(race).split() or ["0", "0"]))
    s.collect(nginx_files(s), {
        "what": "nginx keepalive_timeout 1s; 8 pollers, each with its own requests.Session "
                "(HTTPAdapter(max_retries=0)), repeat 'GET /api/items, wait ~1 s' and nudge the wait "
                "towards the moment nginx closes the idle connection (at most 200 polls / 60 s).  Each "
                "lost race is one incident.",
        "hits": hits, "tries": tries,
        "incidents": [incident("client/stale-keepalive", "test_poll_items") for _ in range(hits)]})
    return [failed("test_poll_items", "ConnectionError")]


@scenario("17-rate-limited")
def rate_limited(s):
    s.start_app()
    s.start_nginx(http_extra="limit_req_zone $binary_remote_addr zone=items:1m rate=2r/s;",
                  locations="        location = /api/items {\n            proxy_pass http://app;\n        }\n"
                            "        location /api/items/ {\n            limit_req zone=items;\n"
                            "            limit_req_status 429;\n            proxy_pass http://app;\n        }\n")
    run_suite(s, "rate_limited.py")
    s.collect(nginx_files(s), {
        "what": "nginx limits /api/items/ to 2 requests/s per client (limit_req, no burst, status 429); "
                "test_bulk_fetch fetches 20 items back to back.",
        "incidents": [incident("client/rate-limited", "test_bulk_fetch")]})
    return [failed("test_bulk_fetch", "HTTPError: 429"),
            ("pytest.log", r"= 1 failed, 2 passed"),
            ("nginx/error.log", r"limiting requests, excess:")]


# ---- controls ----------------------------------------------------------------------------
@scenario("18-no-server-logs")
def no_server_logs(s):
    s.start_app("--reset-export")
    s.start_nginx()
    run_suite(s, "upstream_reset.py")
    s.collect({"pytest.log": s.pytest_log, "client.log": s.client_log}, {
        "what": "Same run as 05-upstream-reset (the app resets /api/export mid-body behind nginx), but "
                "only the client side's pytest.log and client.log were kept.",
        "incidents": [incident("unknown/no-server-logs", "test_export_csv")]})
    return [failed("test_export_csv", "ChunkedEncodingError")]


@scenario("19-tz-shanghai")
def tz_shanghai(s):
    s.start_app()
    s.start_nginx(env={"TZ": "Asia/Shanghai"}, locations=LOCATIONS_444)
    run_suite(s, "nginx_444.py", env={"TZ": "UTC"})
    s.collect(nginx_files(s), {
        "what": "As 03-nginx-444, but nginx runs with TZ=Asia/Shanghai (its logs are 8 hours ahead, "
                "error.log without a zone) while pytest and the client log run with TZ=UTC.",
        "incidents": [incident("server/nginx-444", "test_legacy_export")]})
    return [failed("test_legacy_export", "ConnectionError"),
            ("nginx/access.log", r'\+0800\] "GET /api/v1/export HTTP/1.1" 444 0')]


@scenario("20-gha-prefix")
def gha_prefix(s):
    s.start_app()
    s.start_nginx(location_extra="proxy_read_timeout 1s;")
    run_suite(s, "slow_upstream.py", gha_prefix=True)
    s.collect(nginx_files(s), {
        "what": "As 07-proxy-read-timeout (nginx proxy_read_timeout 1s, upstream 3 s → 504), with every "
                "pytest console line prefixed by the UTC time it was read, as the GitHub Actions runner does.",
        "incidents": [incident("server/proxy-read-timeout", "test_monthly_report")]})
    return [("pytest.log", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z FAILED tests/test_api.py::test_monthly_report - requests.exceptions.HTTPError: 504")]


@scenario("21-seed-only")
def seed_only(s):
    s.collect({"pytest.log": os.path.join(LAB, "seed-internalerror.txt")}, {
        "what": "Only the seed's problem statement: one flattened INTERNALERROR line "
                "(ConnectionResetError(54) on macOS), no other logs.",
        "incidents": [incident("unknown/no-server-logs", "INTERNALERROR")]})
    return [("pytest.log", r"ConnectionResetError\(54, 'Connection reset by peer'\)")]


@scenario("22-bad-request")
def bad_request(s):
    s.start_app()
    s.start_nginx()
    run_suite(s, "bad_request.py")
    s.collect(nginx_files(s), {
        "what": "test_me calls /api/me without the Authorization header; the app answers 401 "
                "(through nginx) and raise_for_status() fails.",
        "incidents": [incident("server/bad-request", "test_me")]})
    return [failed("test_me", "HTTPError: 401"),
            ("nginx/access.log", r'"GET /api/me HTTP/1.1" 401')]


# ---- Squid as the client's forward proxy; curl and Node clients -------------------------------
def through_squid(s, acls, test_file, **env):
    """23 and 24: the app and nginx, Squid with `acls` as the suite's egress proxy (the conftest's
    `api` Session uses LAB_PROXY_URL), the suite against nginx; returns the proxy's URL."""
    s.start_app()
    s.start_nginx()
    s.start_squid(acls=acls)
    proxy = base(s, "squid")
    run_suite(s, test_file, env=dict(env, LAB_PROXY_URL=proxy))
    return proxy


@scenario("23-squid-denied")
def squid_denied(s):
    partner = "http://partner.lab.test:%d" % s.port["nginx"]
    proxy = through_squid(s, "acl partner dstdomain .partner.lab.test\nhttp_access deny partner",
                          "squid_denied.py", LAB_PARTNER_URL=partner)
    s.collect(nginx_files(s, more={"squid/access.log": s.squid_log}), {
        "what": "The tests reach the API through Squid 5.7 as their forward proxy (%s); Squid has "
                "`acl partner dstdomain .partner.lab.test` + `http_access deny partner`, and "
                "test_partner_sync calls %s/api/partner/sync: Squid answers 403 itself (TCP_DENIED) "
                "and the test's raise_for_status() fails." % (proxy, partner),
        "incidents": [incident("proxy-firewall/proxy-denied", "test_partner_sync")]})
    return [failed("test_partner_sync", "HTTPError: 403"),
            ("squid/access.log", r" TCP_DENIED/403 \d+ GET http://partner\.lab\.test:\d+/api/partner/sync "),
            ("squid/access.log", r" TCP_MISS/200 \d+ GET http://127\.0\.0\.1:\d+/api/items/7 ")]


@scenario("24-squid-connect")
def squid_connect(s):
    tls = "https://127.0.0.1:%d" % s.port["closed"]
    proxy = through_squid(s, "http_access deny CONNECT !SSL_ports", "squid_connect.py", LAB_TLS_URL=tls)
    s.collect(nginx_files(s, more={"squid/access.log": s.squid_log}), {
        "what": "The tests reach the API through Squid 5.7 as their forward proxy (%s) whose ACL has the "
                "stock `http_access deny CONNECT !SSL_ports` (SSL_ports = 443); test_billing_export calls "
                "%s/api/billing/export, so requests asks Squid for a CONNECT tunnel to that port and Squid "
                "refuses it with 403 before any tunnel exists." % (proxy, tls),
        "incidents": [incident("proxy-firewall/proxy-denied", "test_billing_export")]})
    return [failed("test_billing_export", "ProxyError"),
            ("pytest.log", r"Tunnel connection failed: 403 Forbidden"),
            ("squid/access.log", r" TCP_DENIED/403 \d+ CONNECT 127\.0\.0\.1:%d " % s.port["closed"])]


def smoke_step(s, label, argv):
    """25 and 26: a CI step (not pytest) runs `argv` against nginx, which answers the retired /api/v1/
    prefix with 444; returns the step's stamped console and its exit code."""
    s.start_app()
    s.start_nginx(locations=LOCATIONS_444)
    step, rc = s.run_step(label, argv)
    time.sleep(6)  # the job's services outlive the step: keep nginx's shutdown out of the failure's window
    s.stop_all()
    return step, rc


@scenario("25-curl-reset")
def curl_reset(s):
    art = os.path.join(s.tmp, "artifacts")
    os.makedirs(art)
    step, rc = smoke_step(s, "step-curl", ["bash", os.path.join(LAB, "steps", "smoke-curl.sh"), base(s), art])
    s.collect({"ci/step-curl.txt": step, "ci/curl-trace.txt": os.path.join(art, "curl-trace.txt"), **nginx_logs(s)}, {
        "what": "A CI step (samples/lab/steps/smoke-curl.sh) curls four endpoints with `curl -sS` through "
                "nginx, which answers the retired /api/v1/ prefix with `return 444`; the step repeats the "
                "failed request with `curl -v` into ci/curl-trace.txt and fails (exit %d).  The step's "
                "console carries GitHub Actions-style UTC stamps." % rc,
        "incidents": [incident("server/nginx-444")] * 2})
    return [("ci/step-curl.txt", r"Z curl: \(52\) Empty reply from server$"),
            ("ci/curl-trace.txt", r"^\* Empty reply from server"),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0')]


@scenario("26-node-reset")
def node_reset(s):
    step, rc = smoke_step(s, "step-node", ["node", os.path.join(LAB, "steps", "smoke-node.mjs"), base(s)])
    s.collect({"ci/step-node.txt": step, **nginx_logs(s)}, {
        "what": "A CI step runs samples/lab/steps/smoke-node.mjs with Node %s (no packages): node:http GETs, "
                "then a global fetch(); nginx answers the retired /api/v1/ prefix with `return 444`, so "
                "both calls fail (node:http: an ECONNRESET error object; fetch: a TypeError whose cause "
                "is undici's SocketError); the script prints each error with console.error and fails "
                "(exit %d).  The console carries GitHub Actions-style UTC stamps."
                % (subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip(), rc),
        "incidents": [incident("server/nginx-444")] * 2})
    return [("ci/step-node.txt", r"Z Error: socket hang up$"),
            ("ci/step-node.txt", r"Z TypeError: fetch failed$"),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0'),
            ("nginx/access.log", r'"GET /api/v1/report.csv HTTP/1.1" 444 0')]


sys.modules.setdefault("lab", sys.modules[__name__])  # the scenario files below import their helpers from here
import scenarios_dialects  # noqa: E402,F401  (27-39: other programs' dialects)

NEEDS_ROOT = {"12-firewall-reset", "13-dns-unavailable", "15-dns-nxdomain"}
import scenarios_far  # noqa: E402,F401  (samples 40-59: registers them in SCENARIOS / NEEDS_ROOT)
import scenarios_keepalive  # noqa: E402,F401  (samples 60-62: stale keep-alive from the trace and the config)
import scenarios_squid  # noqa: E402,F401  (samples 63-64: Squid's own read_timeout, logged as its 504)


# ------------------------------------------------------------------------------------------
def failed_tests_match(sample_dir):
    """The FAILED lines of the pytest console must name exactly the tests of expected.json."""
    exp = json.loads(read(os.path.join(sample_dir, "expected.json")) or "{}")
    want = sorted({i["test"] for i in exp.get("incidents", []) if i.get("test", "INTERNALERROR") != "INTERNALERROR"})
    for console in ("pytest.log", "ci/step-3.txt"):
        text = read(os.path.join(sample_dir, console))
        if text:
            got = sorted(set(re.findall(r"FAILED (tests/\S+::\w+)", text)))
            return [] if got == want else ["FAILED tests %s, expected.json says %s" % (got, want)]
    return []


def main(argv):
    if "--list" in argv:
        for name, _ in SCENARIOS:
            print(name)
        return 0
    keep = "--keep-tmp" in argv
    wanted = [a for a in argv if not a.startswith("--")]
    todo = [(n, f) for n, f in SCENARIOS if not wanted or any(n.startswith(w) for w in wanted)]
    results = []
    for i, (name, fn) in enumerate(SCENARIOS):
        if (name, fn) not in todo:
            continue
        if name in NEEDS_ROOT and os.geteuid() != 0:
            results.append((name, False, "skipped: needs root (network namespace)", 0.0))
            print("   %s skipped: needs root (network namespace)" % name, flush=True)
            continue
        s = Scenario(name, i + 1)
        t0 = time.time()
        print("== %s" % name, flush=True)
        try:
            misses = check(s.out, fn(s) or []) + failed_tests_match(s.out)
            ok = not misses
            detail = "; ".join(misses)
        except Exception as e:  # a broken scenario is reported, the others still run
            traceback.print_exc()
            ok, detail = False, "error: %s" % e
        finally:
            s.stop_all()
            s.cleanup_host()
            if not keep:
                s.cleanup()
        results.append((name, ok, detail, time.time() - t0))
        print("   %s reproduced: %s %s" % (name, "yes" if ok else "NO", detail), flush=True)
    print("\nscenario                          reproduced  seconds")
    for name, ok, detail, dt in results:
        print("%-33s %-11s %5.1f  %s" % (name, "yes" if ok else "NO", dt, detail))
    return 0 if all(ok for _, ok, _, _ in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
