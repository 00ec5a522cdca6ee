"""Scenarios 27–39: the failure kinds of 01–26 again, in other programs' dialects — an upstream that is
not http.server (gunicorn, uvicorn; HAProxy instead of nginx in front), a suite in httpx instead of
requests, client logs in other layouts, nginx's access log as JSON, other clients in the same CI
console, docker compose's prefixed output, a busy run with unrelated failures in the same second.

Registered in lab.py's table by importing this module; the helpers come from lab.py.
"""
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

from lab import LOCATIONS_444, base, failed, incident, nginx_files, nginx_logs, run_suite, scenario
from labkit import LAB, read, wait_port


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


def start_nginx_with(s, subs, stdout=None, **conf):
    """nginx with the lab's config (labkit's template and `conf`) changed by `subs` ([(regex, replacement)])
    — for the log layouts the template does not write."""
    path = s.nginx_conf(**conf)
    d = os.path.dirname(path)
    os.makedirs(os.path.join(d, "logs"), exist_ok=True)  # nginx opens its built-in error log before reading the config
    text = read(path)
    for pattern, repl in subs:
        text, n = re.subn(pattern, repl, text)
        if n != 1:
            raise RuntimeError("nginx.conf: /%s/ matched %d times" % (pattern, n))
    with open(path, "w") as f:
        f.write(text)
    t = subprocess.run(["nginx", "-t", "-p", d + "/", "-c", path], capture_output=True, text=True)
    if t.returncode != 0:
        raise RuntimeError("nginx -t failed: " + t.stderr)
    s.nginx = s.spawn("nginx", ["nginx", "-p", d + "/", "-c", path, "-g", "daemon off;"], stdout=stdout)
    wait_port("127.0.0.1", s.port["nginx"])


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


@scenario("28-http-status-failures")
def http_status_failures(s):
    s.start_app("--report-after", "0", "--reset-report")
    s.start_nginx(server_extra="client_max_body_size 1m;",
                  locations="        location /api/slow {\n            proxy_pass http://app;\n"
                            "            proxy_read_timeout 1s;\n        }\n")
    # no results reporter: the app resets every POST /api/report
    run_suite(s, "http_statuses.py", report_url="", settle=2.5)
    s.collect(nginx_files(s, more={"app/access.log": s.app_log}), {
        "what": "Three tests fail on the status nginx answers: test_upload_catalog POSTs 2.25 MB where "
                "client_max_body_size is 1m (413, `assert r.status_code == 201`); test_publish_report POSTs "
                "/api/report, which the app answers by closing with SO_LINGER 0 before any byte (502, "
                "raise_for_status()); test_monthly_report GETs /api/slow?s=3 where proxy_read_timeout is 1s "
                "(504, `assert r.status_code == 200`).  No results reporter in this run.",
        "incidents": [incident("server/body-too-large", "test_upload_catalog"),
                      incident("server/upstream-reset", "test_publish_report"),
                      incident("server/proxy-read-timeout", "test_monthly_report")]})
    return [("pytest.log", r"^E +assert 413 == 201"),
            failed("test_publish_report", "HTTPError: 502"),
            ("pytest.log", r"^E +assert 504 == 200"),
            ("nginx/error.log", r"client intended to send too large body"),
            ("nginx/error.log", r"recv\(\) failed \(104: Connection reset by peer\) while reading response header from upstream"),
            ("nginx/error.log", r"upstream timed out \(110: Connection timed out\) while reading response header"),
            ("app/access.log", r'"POST /api/report HTTP/1\.[01]" - -')]


@scenario("29-busy-same-second")
def busy_same_second(s):
    search, legacy = s.port["closed"], s.port["closed"] - 1  # nothing listens on either
    s.start_app("--reset-export")
    s.start_nginx(server_extra="client_max_body_size 1m;",
                  http_extra="upstream search {\n        server 127.0.0.1:%d;\n    }\n"
                             "    upstream legacy {\n        server 127.0.0.1:%d;\n    }" % (search, legacy),
                  locations="        location /api/search/ {\n            proxy_pass http://search;\n        }\n"
                            "        location /api/legacy/ {\n            proxy_pass http://legacy;\n        }\n")
    run_suite(s, "busy.py", settle=0.5)
    s.collect(nginx_files(s, more={"app/access.log": s.app_log}), {
        "what": "While the suite runs, 3 threads of other clients (urllib and raw sockets, not the suite's "
                "Session) hit the same nginx every 50 ms: a malformed request line (400), unknown paths "
                "(404 from the app), a 2 MiB upload over client_max_body_size 1m (413) and /api/legacy/ whose "
                "upstream (127.0.0.1:%d) is down (502).  In the same second two tests fail for their own "
                "reasons: test_search_recent (the search upstream 127.0.0.1:%d is down: connect() refused, "
                "502) and test_export_csv (the app resets /api/export after 3 chunks with SO_LINGER 0)."
                % (legacy, search),
        "incidents": [incident("server/upstream-reset", "test_search_recent"),
                      incident("server/upstream-reset", "test_export_csv")]})
    return [failed("test_search_recent", "HTTPError: 502"),
            failed("test_export_csv", "ChunkedEncodingError"),
            ("nginx/error.log", r"connect\(\) failed \(111: Connection refused\) while connecting to upstream.*GET /api/search/recent"),
            ("nginx/error.log", r"connect\(\) failed \(111: Connection refused\) while connecting to upstream.*GET /api/legacy/orders"),
            ("nginx/error.log", r"\(104: Connection reset by peer\) while reading upstream.*GET /api/export"),
            ("nginx/access.log", r'"HELLO /api/items" 400 '),
            ("nginx/access.log", r'"GET /api/nope/\d+ HTTP/1.1" 404 '),
            ("nginx/access.log", r'"POST /api/upload HTTP/1.1" 413 ')]


@scenario("30-uvicorn-reset")
def uvicorn_reset(s):
    out = os.path.join(s.tmp, "services", "api", "output.log")
    os.makedirs(os.path.dirname(out))
    # a container's output: uvicorn's stderr (its log, the app's lines) and stdout (access lines) in one file
    s.spawn("uvicorn", ["uvicorn", "--app-dir", LAB, "--host", "127.0.0.1", "--port", str(s.port["app"]),
                        "--http", "h11", "asgi_app:app"], env={"LAB_RESET_EXPORT": "1", "PYTHONUNBUFFERED": "1"},
            stdout=open(out, "ab"))
    wait_port("127.0.0.1", s.port["app"])
    run_suite(s, "upstream_reset.py", base(s, "app"), settle=0.3)
    version = subprocess.run(["uvicorn", "--version"], capture_output=True, text=True).stdout.strip()
    s.collect({"pytest.log": s.pytest_log, "client.log": s.client_log, "services/api/output.log": out}, {
        "what": "No proxy: the tests and the conftest reporter talk to samples/lab/asgi_app.py served by %s "
                "(h11); the app streams /api/export, logs an error after 3 chunks and resets the connection "
                "(SO_LINGER 0 on the transport's socket, abort()).  services/api/output.log is uvicorn's "
                "stdout+stderr, as a container's log." % version,
        # uvicorn's lines have no time, and its errors name no request nor client: nothing ties them to the failure
        "incidents": [dict(incident("unknown/no-match", "test_export_csv"), missing="have no timed line around the failure")]})
    return [failed("test_export_csv", "(ChunkedEncodingError|ConnectionError)"),
            ("services/api/output.log", r"export failed after 3 rows"),
            ("services/api/output.log", r'"GET /api/export HTTP/1.1" 200')]


# ---- the client's log in other layouts --------------------------------------------------------
@scenario("31-client-log-json")
def client_log_json(s):
    s.start_app("--reset-export")
    s.start_nginx()
    run_suite(s, "upstream_reset.py", log_format="json")
    s.collect(nginx_files(s), {
        "what": "As 05-upstream-reset (the app resets /api/export after 3 chunks behind nginx), with the "
                "client's logging writing one JSON object per line (timestamp ISO 8601 with ms and +00:00, "
                "level, logger, thread, message; a JsonFormatter in the project's conftest.py).",
        "incidents": [incident("server/upstream-reset", "test_export_csv")]})
    return [failed("test_export_csv", "ChunkedEncodingError"),
            ("client.log", r'^\{"timestamp": "\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", "level": "DEBUG", '
                           r'"logger": "urllib3.connectionpool", .*"GET /api/export HTTP/1.1\\" 200 None"\}$'),
            ("nginx/error.log", r"(Connection reset by peer|prematurely closed).*upstream")]


@scenario("32-client-log-iso")
def client_log_iso(s):
    s.start_app()
    s.start_nginx(locations=LOCATIONS_444)
    run_suite(s, "nginx_444.py", log_format="%(asctime)s.%(msecs)03d [%(name)s] %(levelname)s: %(message)s",
              log_datefmt="%Y-%m-%dT%H:%M:%S")
    s.collect(nginx_files(s), {
        "what": "As 03-nginx-444 (nginx answers /api/v1/ with `return 444`), with the client's logging in "
                "the layout `%(asctime)s.%(msecs)03d [%(name)s] %(levelname)s: %(message)s` and an ISO 8601 "
                "datefmt (UTC, no zone written).",
        "incidents": [incident("server/nginx-444", "test_legacy_export")]})
    return [failed("test_legacy_export", "ConnectionError"),
            ("client.log", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \[urllib3\.connectionpool\] DEBUG: "),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0')]


# ---- other clients in the same CI console; docker compose's output ----------------------------
def runner_stamp():
    """The GitHub Actions runner's line stamp for now (UTC, 7 fractional digits)."""
    ns = time.time_ns()
    return "%s.%07dZ " % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 10**9)), (ns % 10**9) // 100)


def step_header(command):
    """The lines the runner writes before a `run:` step's output (stamped now)."""
    return "".join(runner_stamp() + l + "\n" for l in ("##[group]Run " + command, command,
                                                        "shell: /usr/bin/bash -e {0}", "##[endgroup]"))


def step_footer(rc):
    return runner_stamp() + "##[error]Process completed with exit code %d.\n" % rc if rc else ""


@scenario("33-ci-console-mixed")
def ci_console_mixed(s):
    s.start_app()
    s.start_nginx(server_extra="client_max_body_size 1m;", locations=LOCATIONS_444)
    head = step_header("python -m pytest -rA -p no:cacheprovider tests")
    rc = s.run_pytest("body_too_large.py", base(s), report_url=base(s) + "/api/report", gha_prefix=True)
    pytest_part = head + read(s.pytest_log) + step_footer(rc)
    art = os.path.join(s.tmp, "artifacts")
    os.makedirs(art)
    head = step_header("bash ci/smoke-curl.sh \"$API_URL\" artifacts")
    step, rc = s.run_step("step-curl", ["bash", os.path.join(LAB, "steps", "smoke-curl.sh"), base(s), art])
    console = os.path.join(s.tmp, "console.txt")
    with open(console, "w") as f:
        f.write(pytest_part + head + read(step) + step_footer(rc))
    time.sleep(6)  # the job's services outlive the step: keep nginx's shutdown out of the failure's window
    s.stop_all()
    s.collect({"ci/console.txt": console, "client.log": s.client_log, **nginx_logs(s),
               "ci/curl-trace.txt": os.path.join(art, "curl-trace.txt")}, {
        "what": "One CI job's console (ci/console.txt, every line stamped as the GitHub Actions runner does; "
                "the `##[group]Run …` and `##[error]Process completed …` lines are written by the lab in the "
                "runner's place) with two steps against one nginx (client_max_body_size 1m, `return 444` for "
                "/api/v1/): pytest, where test_upload POSTs 8 MiB (413), then an `if: always()` curl smoke step "
                "(samples/lab/steps/smoke-curl.sh) whose GET /api/v1/export gets `(52) Empty reply from "
                "server`, repeated with -v into ci/curl-trace.txt.",
        "incidents": [incident("server/body-too-large", "test_upload")] + [incident("server/nginx-444")] * 2})
    return [failed("test_upload", "HTTPError: 413", console="ci/console.txt"),
            ("ci/console.txt", r"Z curl: \(52\) Empty reply from server$"),
            ("nginx/error.log", r"client intended to send too large body"),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0 "-" "curl/')]


class ComposeOutput:
    """What `docker compose up` prints for attached services: each line of a container's output as it
    arrives, prefixed with the container's name padded to the longest name + 1 and `| `."""

    def __init__(self, names):
        self.width = max(len(n) for n in names) + 1
        self.lines = []  # (arrival ns, text)
        self.threads = []

    def add(self, name, text, ns=None):
        self.lines.append((ns or time.time_ns(), "%-*s | %s" % (self.width, name, text)))

    def pump(self, name, stream):
        def run():
            for raw in stream:
                self.add(name, raw.decode(errors="replace"))
        t = threading.Thread(target=run, daemon=True)
        t.start()
        self.threads.append(t)

    def add_stamped(self, name, path):
        """Lines read (and stamped) by the lab's runner-style reader: the stamp gives the arrival time."""
        for l in read(path).splitlines(keepends=True):
            t = datetime.strptime(l[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
            self.add(name, l[29:], int(t.timestamp()) * 10**9 + int(l[20:27]) * 100)

    def write(self, path):
        for t in self.threads:
            t.join(10)
        with open(path, "w") as f:
            f.writelines(text for _, text in sorted(self.lines, key=lambda x: x[0]))


@scenario("34-compose-logs")
def compose_logs(s):
    out = ComposeOutput(["nginx-1", "api-1", "tests-1"])
    out.lines.append((time.time_ns(), "Attaching to api-1, nginx-1, tests-1\n"))  # compose's own line
    api = s.spawn("app", [sys.executable, os.path.join(LAB, "app.py"), "--host", "127.0.0.1", "--port",
                          str(s.port["app"]), "--log", "/dev/stdout", "--reset-export"], stdout=subprocess.PIPE)
    out.pump("api-1", api.stdout)
    wait_port("127.0.0.1", s.port["app"])
    # the official nginx image's layout: error log to stderr, access log to stdout
    start_nginx_with(s, [(r"error_log \S+ info;", "error_log stderr info;"),
                         (r"access_log \S+ lab;", "access_log /dev/stdout lab;")], stdout=subprocess.PIPE)
    out.pump("nginx-1", s.nginx.stdout)
    wait_port("127.0.0.1", s.port["nginx"])
    rc = s.run_pytest("upstream_reset.py", base(s), report_url=base(s) + "/api/report", gha_prefix=True,
                      env={"PYTHONUNBUFFERED": "1"})
    out.add_stamped("tests-1", s.pytest_log)
    out.lines.append((time.time_ns(), "tests-1 exited with code %d\n" % rc))  # compose's own line
    s.stop_all()
    compose = os.path.join(s.tmp, "compose.log")
    out.write(compose)
    s.collect({"compose.log": compose}, {
        "what": "As 05-upstream-reset (the app resets /api/export after 3 chunks behind nginx), as a "
                "`docker compose up` console shows it: the lab reads each program's output as it arrives "
                "(nginx with the official image's layout, error log to stderr and access log to stdout; the "
                "app's http.server log to stdout; pytest with PYTHONUNBUFFERED=1) and prefixes every line "
                "with the service's container name as compose does (`nginx-1  | `, `api-1    | `, "
                "`tests-1  | `); the `Attaching to …` and `tests-1 exited with code 1` lines are written by "
                "the lab in compose's place.  No other file was kept.",
        "incidents": [incident("server/upstream-reset", "test_export_csv")]})
    return [("compose.log", r"^tests-1  \| FAILED tests/test_api.py::test_export_csv - requests.exceptions.ChunkedEncodingError"),
            ("compose.log", r"^nginx-1  \| .*\(104: Connection reset by peer\) while reading upstream"),
            ("compose.log", r'^api-1    \| 127\.0\.0\.1 - - \[.*\] "GET /api/export HTTP/1\.0" 200')]


# ---- more upstream and log dialects ---------------------------------------------------------------
@scenario("35-gunicorn-worker-killed")
def gunicorn_worker_killed(s):
    start_gunicorn(s, "--workers", "2", "--worker-class", "sync", "--timeout", "30")
    s.start_nginx()
    errlog = s.gunicorn_logs["services/api/stderr.log"]
    killed = {}

    def killer():  # wait (bounded) until a worker logs that it builds the report, then SIGKILL that worker
        deadline = time.time() + 60
        while time.time() < deadline and "pid" not in killed:
            m = re.search(r"\[(\d+)\] \[INFO\] building report", read(errlog))
            if m:
                time.sleep(0.5)
                killed["pid"] = int(m.group(1))
                os.kill(killed["pid"], signal.SIGKILL)
            time.sleep(0.05)

    t = threading.Thread(target=killer, daemon=True)
    t.start()
    run_suite(s, "worker_timeout.py", settle=0.5)
    t.join(5)
    s.collect(nginx_files(s, more=s.gunicorn_logs), {
        "what": "nginx in front of gunicorn 20.1 (2 sync workers, --timeout 30) serving samples/lab/wsgi_app.py; "
                "while a worker builds test_quarterly_report's report, the lab kills that worker (pid %s) with "
                "SIGKILL, as the kernel's OOM killer would; nginx answers 502.  gunicorn's logs are "
                "services/api/stderr.log and services/api/access.log." % killed.get("pid"),
        "incidents": [incident("server/app-worker-crash", "test_quarterly_report")]})
    return [failed("test_quarterly_report", "HTTPError: 502"),
            ("services/api/stderr.log", r"\[%s\] \[INFO\] building report" % killed.get("pid")),
            ("services/api/stderr.log", r"Worker with pid %s was terminated due to signal 9" % killed.get("pid")),
            ("nginx/error.log", r"upstream prematurely closed connection while reading response header "
                                r"from upstream.*GET /api/slow\?s=10")]


# nginx's access log as JSON, a common production layout (escape=json, nginx >= 1.11.8)
JSON_ACCESS = ("log_format json escape=json '{\"time\":\"$time_iso8601\",\"remote_addr\":\"$remote_addr\","
               "\"request\":\"$request\",\"status\":$status,\"body_bytes_sent\":$body_bytes_sent,"
               "\"request_time\":$request_time,\"upstream_addr\":\"$upstream_addr\","
               "\"upstream_status\":\"$upstream_status\",\"upstream_response_time\":\"$upstream_response_time\","
               "\"http_user_agent\":\"$http_user_agent\"}';\n    access_log \\1 json;")


@scenario("36-nginx-json-access")
def nginx_json_access(s):
    s.start_app("--reset-export")
    start_nginx_with(s, [(r"access_log (\S+) lab;", JSON_ACCESS),
                         (r"error_log (\S+) info;", r"error_log \1;")],  # nginx's default level: error
                     locations=LOCATIONS_444)
    run_suite(s, "legacy_and_export.py")
    s.collect(nginx_files(s), {
        "what": "nginx writes its access log as JSON (`log_format json escape=json '{\"time\":\"$time_iso8601\"…}'`) "
                "and its error log at the default level (error, so no info lines); test_legacy_export calls "
                "/api/v1/export, answered with `return 444` (only the access log shows it), test_export_csv "
                "gets /api/export, which the app resets after 3 chunks (SO_LINGER 0).",
        "incidents": [incident("server/nginx-444", "test_legacy_export"),
                      incident("server/upstream-reset", "test_export_csv")]})
    return [failed("test_legacy_export", "ConnectionError"),
            failed("test_export_csv", "ChunkedEncodingError"),
            ("nginx/access.log", r'^\{"time":"[^"]+\+00:00","remote_addr":"127.0.0.1","request":"GET /api/v1/export HTTP/1.1","status":444,'),
            ("nginx/error.log", r"\(104: Connection reset by peer\) while reading upstream.*GET /api/export")]


@scenario("37-client-log-json-timeout")
def client_log_json_timeout(s):
    s.start_app()
    s.start_nginx()
    run_suite(s, "timeout_short.py", settle=2, log_format="json")  # settle: let nginx log the 499
    s.collect(nginx_files(s), {
        "what": "As 14-timeout-too-short (test_search gives a 2-second endpoint timeout=0.5; nginx logs 499), "
                "with the client's logging writing one JSON object per line (as in 31).",
        "incidents": [incident("client/timeout-too-short", "test_search")]})
    return [failed("test_search", "ReadTimeout"),
            ("client.log", r'^\{"timestamp": .*"level": "ERROR", "logger": "tests.reporter", .*test_search failed: '
                           r'requests.exceptions.ReadTimeout'),
            ("nginx/access.log", r'"GET /api/slow\?s=2 HTTP/1.1" 499')]


@scenario("38-haproxy-gunicorn-timeout")
def haproxy_gunicorn_timeout(s):
    start_gunicorn(s, "--workers", "2", "--worker-class", "sync", "--timeout", "2")
    s.start_haproxy(backend_port=s.port["app"])
    run_suite(s, "worker_timeout.py", base(s, "haproxy"), settle=0.5)
    s.collect({"pytest.log": s.pytest_log, "client.log": s.client_log, "haproxy.log": s.haproxy_log,
               **s.gunicorn_logs}, {
        "what": "HAProxy 2.6 directly in front of gunicorn 20.1 (2 sync workers, --timeout 2, no nginx); "
                "test_quarterly_report's report takes the app 10 s and gunicorn's arbiter kills the worker "
                "(WORKER TIMEOUT).  The request was not the first on its kept-alive client connection, so "
                "HAProxy (http_wait_for_response: a read error with TX_NOT_FIRST goes to abort_keep_alive) "
                "closes it without a 502 and logs no line for it (also with `option dontlognull` off, tried "
                "while building the lab): the client sees RemoteDisconnected.  The proxy only relays the "
                "app's failure.",
        "incidents": [incident("server/app-worker-timeout", "test_quarterly_report")]})
    return [failed("test_quarterly_report", "ConnectionError"),
            ("pytest.log", r"^E +requests.exceptions.ConnectionError: .*RemoteDisconnected"),
            ("services/api/stderr.log", r"\[CRITICAL\] WORKER TIMEOUT \(pid:\d+\)"),
            ("haproxy.log", r'"GET /api/items/7 HTTP/1.1"')]


DEBIAN_PY = "/usr/bin/python3"  # Debian's interpreter, with python3-httpx / python3-pytest / python3-requests


@scenario("39-httpx-client")
def httpx_client(s):
    s.start_app("--reset-export")
    s.start_nginx(locations=LOCATIONS_444 + "        location /api/slow {\n            proxy_pass http://app;\n"
                                            "            proxy_read_timeout 1s;\n        }\n")
    run_suite(s, "httpx_client.py", settle=2.5, python=DEBIAN_PY)
    versions = subprocess.run([DEBIAN_PY, "-c", "import httpx, httpcore, pytest; print('httpx %s / httpcore %s, "
                               "pytest %s' % (httpx.__version__, httpcore.__version__, pytest.__version__))"],
                              capture_output=True, text=True).stdout.strip()
    s.collect(nginx_files(s), {
        "what": "The suite uses httpx instead of requests (%s, Debian's, on /usr/bin/python3; the conftest's "
                "reporter still posts with requests): test_legacy_export gets /api/v1/export, answered with "
                "`return 444`; test_export_csv gets /api/export, which the app resets after 3 chunks; "
                "test_monthly_report gets /api/slow?s=3 where proxy_read_timeout is 1s (504); each test calls "
                "raise_for_status()." % versions,
        "incidents": [incident("server/nginx-444", "test_legacy_export"),
                      incident("server/upstream-reset", "test_export_csv"),
                      incident("server/proxy-read-timeout", "test_monthly_report")]})
    return [failed("test_legacy_export"), failed("test_export_csv"), failed("test_monthly_report"),
            ("pytest.log", r"httpx.RemoteProtocolError: Server disconnected without sending a response"),
            ("pytest.log", r"httpx.HTTPStatusError: Server error '504 Gateway Time-out'"),
            ("nginx/access.log", r'"GET /api/v1/export HTTP/1.1" 444 0 "-" "python-httpx/'),
            ("nginx/error.log", r"\(104: Connection reset by peer\) while reading upstream.*GET /api/export"),
            ("nginx/error.log", r"upstream timed out \(110: Connection timed out\) while reading response header")]
