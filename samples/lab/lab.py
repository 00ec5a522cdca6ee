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


def nginx_files(s, console="pytest.log", client=True):
    files = {console: s.pytest_log, "nginx/error.log": s.tmp + "/nginx/error.log",
             "nginx/access.log": s.tmp + "/nginx/access.log"}
    if client:
        files["client.log"] = s.client_log
    return files


def base(s, port_key="nginx", host="127.0.0.1"):
    return "http://%s:%d" % (host, s.port[port_key])


# ------------------------------------------------------------------------------------------
@scenario("01-clean")
def clean(s):
    s.start_app()
    s.start_nginx()
    s.run_pytest("clean.py", base(s), report_url=base(s) + "/api/report")
    s.stop_all()
    s.collect(nginx_files(s), {"what": "Normal API traffic through nginx to the app; every test "
                                       "passes and every result is reported.", "incidents": []})
    return [("pytest.log", r"= 5 passed"), ("nginx/access.log", r'"POST /api/report HTTP/1.1" 204')]


@scenario("02-body-too-large")
def body_too_large(s):
    s.start_app()
    s.start_nginx(server_extra="client_max_body_size 1m;")
    s.run_pytest("body_too_large.py", base(s), report_url=base(s) + "/api/report")
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "test_upload POSTs an 8 MiB CSV through nginx whose client_max_body_size is 1m.",
        "incidents": [{"attribution": "server", "cause": "server/body-too-large",
                       "test": "tests/test_api.py::test_upload"}]})
    return [("pytest.log", r"FAILED tests/test_api.py::test_upload"),
            ("nginx/error.log", r"client intended to send too large body")]


@scenario("03-nginx-444")
def nginx_444(s):
    s.start_app()
    s.start_nginx(locations="        location /api/v1/ {\n            return 444;\n        }\n")
    s.run_pytest("nginx_444.py", base(s), report_url=base(s) + "/api/report")
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "nginx answers the retired /api/v1/ prefix with `return 444` (close, no response); "
                "test_legacy_export calls /api/v1/export.",
        "incidents": [{"attribution": "server", "cause": "server/nginx-444",
                       "test": "tests/test_api.py::test_legacy_export"}]})
    return [("pytest.log", r"FAILED tests/test_api.py::test_legacy_export - requests.exceptions.ConnectionError"),
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
        "incidents": [{"attribution": "server", "cause": "server/worker-crash", "test": "INTERNALERROR"}]})
    return [("pytest.log", r"INTERNALERROR> requests.exceptions.ConnectionError: .*RemoteDisconnected"),
            ("nginx/error.log", r"worker process \d+ exited on signal 9")]


@scenario("05-upstream-reset")
def upstream_reset(s):
    s.start_app("--reset-export")
    s.start_nginx()
    s.run_pytest("upstream_reset.py", base(s), report_url=base(s) + "/api/report")
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "The app streams /api/export as a chunked CSV and, after 3 chunks, closes its socket "
                "with SO_LINGER 0 (RST); nginx had already forwarded the headers and part of the body.",
        "incidents": [{"attribution": "server", "cause": "server/upstream-reset",
                       "test": "tests/test_api.py::test_export_csv"}]})
    return [("pytest.log", r"FAILED tests/test_api.py::test_export_csv - requests.exceptions.ChunkedEncodingError"),
            ("nginx/error.log", r"(Connection reset by peer|prematurely closed).*upstream")]


@scenario("06-upstream-reset-direct")
def upstream_reset_direct(s):
    s.start_app("--report-after", "3", "--reset-report")
    s.run_pytest("reporter_fails.py", base(s, "app"), report_url=base(s, "app") + "/api/report")
    s.stop_all()
    s.collect({"pytest.log": s.pytest_log, "client.log": s.client_log, "app/access.log": s.app_log}, {
        "what": "No proxy: the tests and the conftest reporter talk to the app directly; the app "
                "answers the 4th result POST by closing with SO_LINGER 0 before any response byte "
                "(as in the seed: ConnectionResetError in _read_status, inside INTERNALERROR).",
        "incidents": [{"attribution": "server", "cause": "server/upstream-reset", "test": "INTERNALERROR"}]})
    return [("pytest.log", r"INTERNALERROR> urllib3.exceptions.ProtocolError: \('Connection aborted.', ConnectionResetError\(104"),
            ("app/access.log", r'"POST /api/report HTTP/1.1" - -')]


@scenario("07-proxy-read-timeout")
def proxy_read_timeout(s):
    s.start_app()
    s.start_nginx(location_extra="proxy_read_timeout 1s;")
    s.run_pytest("slow_upstream.py", base(s), report_url=base(s) + "/api/report", log_cli=True)
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "nginx has proxy_read_timeout 1s; /api/slow takes 3 s in the app, so nginx answers 504 "
                "and the test's raise_for_status() fails.  pytest live logging (log_cli) is on.",
        "incidents": [{"attribution": "server", "cause": "server/proxy-read-timeout",
                       "test": "tests/test_api.py::test_monthly_report"}]})
    return [("pytest.log", r"FAILED tests/test_api.py::test_monthly_report - requests.exceptions.HTTPError: 504"),
            ("nginx/error.log", r"upstream timed out \(110: Connection timed out\)")]


@scenario("08-overload")
def overload(s):
    s.start_app()
    s.start_nginx(worker_connections=4)
    s.run_pytest("overload.py", base(s), report_url="",
                 log_format="%(levelname)s %(asctime)s %(name)s: %(message)s")
    s.stop_all()
    s.collect(nginx_files(s), {
        "what": "nginx runs with worker_connections 3 (listener + one client + its upstream); while a "
                "slow request holds them, a second concurrent request cannot be served.",
        "incidents": [{"attribution": "server", "cause": "server/overload",
                       "test": "tests/test_api.py::test_dashboard_parallel"}]})
    return [("pytest.log", r"FAILED tests/test_api.py::test_dashboard_parallel - requests.exceptions.ConnectionError"),
            ("nginx/error.log", r"worker_connections are not enough")]


# ------------------------------------------------------------------------------------------
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
        s = Scenario(name, i + 1)
        t0 = time.time()
        print("== %s" % name, flush=True)
        try:
            misses = check(s.out, fn(s) or [])
            ok = not misses
            detail = "; ".join(misses)
        except Exception as e:  # a broken scenario is reported, the others still run
            traceback.print_exc()
            ok, detail = False, "error: %s" % e
        finally:
            s.stop_all()
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
