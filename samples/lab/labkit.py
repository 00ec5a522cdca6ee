"""Building blocks of the lab: start the real programs on loopback, run pytest, collect a sample.

Every process is started by us and stopped by its own PID; every wait is bounded.
Configs and runtime logs live in a mktemp -d folder; collect() copies them into samples/<name>/.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone

LAB = os.path.dirname(os.path.abspath(__file__))
SAMPLES = os.path.dirname(LAB)
PY = sys.executable

ACCESS_FORMAT = ("'$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent "
                 "\"$http_referer\" \"$http_user_agent\" $request_time $upstream_status'")


def wait_port(host, port, timeout=8.0, netns=None):
    """Wait until something accepts on host:port (bounded)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if netns:
            rc = subprocess.run(["ip", "netns", "exec", netns, PY, "-c",
                                 "import socket,sys; socket.create_connection((sys.argv[1], int(sys.argv[2])), 0.5).close()",
                                 host, str(port)], capture_output=True).returncode
            if rc == 0:
                return True
        else:
            try:
                socket.create_connection((host, port), 0.5).close()
                return True
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError("nothing listens on %s:%d after %.0fs" % (host, port, timeout))


def port_free(port):
    try:
        with socket.socket() as t:
            t.bind(("127.0.0.1", port))
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


def pick_base(base):
    """The scenario's block of 10 ports, moved up (bounded) if another program holds one."""
    for attempt in range(20):
        b = base + attempt * 1000
        if all(port_free(b + k) for k in range(10)):
            return b
    raise RuntimeError("no free block of 10 loopback ports near %d" % base)


class Scenario:
    """One run: a temp dir, the processes we started, and the sample directory we fill."""

    def __init__(self, name, index):
        self.name = name
        self.index = index
        self.tmp = tempfile.mkdtemp(prefix="whoreset-lab-%s-" % name)
        self.out = os.path.join(SAMPLES, name)
        self.procs = []  # (label, Popen)
        base = pick_base(27000 + index * 20)
        self.port = {"nginx": base, "app": base + 1, "haproxy": base + 2, "syslog": base + 3,
                     "closed": base + 9, "nginx2": base + 4, "squid": base + 5}
        self.t0 = time.time()
        self.notes = {}
        self.namespaces = []
        self.undo = []  # callables run by cleanup_host(): sysctl values to restore, files to remove

    # -- processes ---------------------------------------------------------------------------
    def spawn(self, label, argv, env=None, netns=None, stdout=None):
        if netns:
            argv = ["ip", "netns", "exec", netns] + argv
        e = dict(os.environ)
        e.update(env or {})
        out = open(os.path.join(self.tmp, label + ".stdout"), "ab") if stdout is None else stdout
        p = subprocess.Popen(argv, env=e, stdout=out, stderr=subprocess.STDOUT, cwd=self.tmp)
        self.procs.append((label, p))
        return p

    def start_app(self, *flags, host="127.0.0.1", netns=None):
        os.makedirs(os.path.join(self.tmp, "app"), exist_ok=True)
        self.app_log = os.path.join(self.tmp, "app", "access.log")
        self.spawn("app", [PY, os.path.join(LAB, "app.py"), "--host", host, "--port", str(self.port["app"]),
                           "--log", self.app_log] + list(flags), netns=netns)
        wait_port(host, self.port["app"], netns=netns)

    def nginx_conf(self, listen=None, http_extra="", server_extra="", locations="", location_extra="",
                   worker_connections=64, keepalive_timeout="65s", events_extra=""):
        d = os.path.join(self.tmp, "nginx")
        os.makedirs(os.path.join(d, "tmp"), exist_ok=True)
        listen = listen or "127.0.0.1:%d" % self.port["nginx"]
        conf = f"""# nginx.conf written by samples/lab for scenario {self.name}
user root;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
worker_shutdown_timeout 2s;

events {{
    worker_connections {worker_connections};
    {events_extra}
}}

http {{
    log_format lab {ACCESS_FORMAT};
    access_log {d}/access.log lab;
    client_body_temp_path {d}/tmp/body;
    proxy_temp_path {d}/tmp/proxy;
    fastcgi_temp_path {d}/tmp/fastcgi;
    uwsgi_temp_path {d}/tmp/uwsgi;
    scgi_temp_path {d}/tmp/scgi;
    keepalive_timeout {keepalive_timeout};
    default_type application/octet-stream;
    {http_extra}

    upstream app {{
        server 127.0.0.1:{self.port['app']};
    }}

    server {{
        listen {listen};
        server_name api.lab.test;
        {server_extra}
{locations}
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $host;
            {location_extra}
        }}
    }}
}}
"""
        path = os.path.join(d, "nginx.conf")
        with open(path, "w") as f:
            f.write(conf)
        return path

    def start_nginx(self, env=None, netns=None, host="127.0.0.1", **conf):
        path = self.nginx_conf(**conf)
        d = os.path.dirname(path)
        t = subprocess.run((["ip", "netns", "exec", netns] if netns else []) +
                           ["nginx", "-t", "-p", d + "/", "-c", path, "-g", "error_log stderr notice;"],
                           capture_output=True, text=True)
        if t.returncode != 0:
            raise RuntimeError("nginx -t failed: " + t.stderr)
        self.nginx = self.spawn("nginx", ["nginx", "-p", d + "/", "-c", path, "-g", "daemon off;"],
                                env=env, netns=netns)
        wait_port(host, self.port["nginx"], netns=netns)
        return self.nginx

    def nginx_workers(self):
        try:
            with open("/proc/%d/task/%d/children" % (self.nginx.pid, self.nginx.pid)) as f:
                return [int(x) for x in f.read().split()]
        except OSError:
            return []

    def start_syslog(self):
        self.haproxy_log = os.path.join(self.tmp, "haproxy.log")
        self.spawn("syslog", [PY, os.path.join(LAB, "syslog_rx.py"), str(self.port["syslog"]), self.haproxy_log])
        time.sleep(0.3)

    def start_haproxy(self, frontend_extra="", defaults_extra="", backend_extra="", backend_port=None):
        self.start_syslog()
        cfg = os.path.join(self.tmp, "haproxy.cfg")
        with open(cfg, "w") as f:
            f.write(f"""# haproxy.cfg written by samples/lab for scenario {self.name}
global
    log 127.0.0.1:{self.port['syslog']} local0
    pidfile {self.tmp}/haproxy.pid

defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 2s
    timeout client 10s
    timeout server 10s
    {defaults_extra}

frontend fe_api
    bind 127.0.0.1:{self.port['haproxy']}
    {frontend_extra}
    default_backend be_nginx

backend be_nginx
    {backend_extra}
    server nginx1 127.0.0.1:{backend_port or self.port['nginx']}
""")
        t = subprocess.run(["haproxy", "-c", "-f", cfg], capture_output=True, text=True)
        if t.returncode != 0:
            raise RuntimeError("haproxy -c failed: " + t.stdout + t.stderr)
        self.spawn("haproxy", ["haproxy", "-db", "-f", cfg])
        wait_port("127.0.0.1", self.port["haproxy"])

    def start_squid(self, acls="", options="", log_format="squid"):
        """Squid as the client's forward proxy on 127.0.0.1:<squid port>; `acls` = acl/http_access lines
        placed before the final allow, `options` = other directives (timeouts), `log_format` = the
        access log's logformat (a built-in name). Runs in the foreground (-N); its effective user
        (Debian: proxy) must be able to write the log folder, so only that folder is opened up."""
        d = os.path.join(self.tmp, "squid")
        os.makedirs(d, exist_ok=True)
        os.chmod(self.tmp, 0o711)
        os.chmod(d, 0o777)
        self.squid_log = os.path.join(d, "access.log")
        cfg = os.path.join(d, "squid.conf")
        with open(cfg, "w") as f:
            f.write(f"""# squid.conf written by samples/lab for scenario {self.name}
http_port 127.0.0.1:{self.port['squid']}
pid_filename {d}/squid.pid
access_log stdio:{d}/access.log {log_format}
cache_log {d}/cache.log
cache_store_log none
coredump_dir {d}
cache deny all
pinger_enable off
shutdown_lifetime 1 seconds
visible_hostname whoreset-lab
acl SSL_ports port 443
acl Safe_ports port 80 443 1025-65535
acl CONNECT method CONNECT
acl labclients src 127.0.0.1/32
http_access deny !Safe_ports
{acls}
http_access allow labclients
http_access deny all
{options}
""")
        t = subprocess.run(["squid", "-k", "parse", "-f", cfg], capture_output=True, text=True)
        if t.returncode != 0:
            raise RuntimeError("squid -k parse failed: " + t.stdout + t.stderr)
        self.spawn("squid", ["squid", "-N", "-f", cfg])
        wait_port("127.0.0.1", self.port["squid"])

    # -- other clients: a CI step's console, stamped the way the GitHub Actions runner does ----
    def run_step(self, label, argv, env=None, timeout=60):
        """Runs one CI step (argv), writing its stdout+stderr to <tmp>/<label>.txt with every line
        prefixed by the UTC time it was read (`2026-11-24T22:09:01.1156100Z `)."""
        path = os.path.join(self.tmp, label + ".txt")
        e = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        e.update({"TZ": "UTC"})
        e.update(env or {})
        p = subprocess.Popen(argv, cwd=self.tmp, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.procs.append((label, p))
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            with open(path, "wb") as out:
                for line in p.stdout:
                    ns = time.time_ns()
                    t = datetime.fromtimestamp(ns // 10**9, timezone.utc)
                    out.write(("%s.%07dZ " % (t.strftime("%Y-%m-%dT%H:%M:%S"), (ns % 10**9) // 100)).encode() + line)
            rc = p.wait()
        finally:
            timer.cancel()
        self.procs.remove((label, p))
        return path, rc

    def stop_all(self):
        for label, p in reversed(self.procs):
            children = self.nginx_workers() if label == "nginx" else []
            if p.poll() is None:
                try:
                    # nginx: SIGQUIT = graceful stop; others: SIGTERM
                    p.send_signal(signal.SIGQUIT if label == "nginx" else signal.SIGTERM)
                    p.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(timeout=5)
                except ProcessLookupError:
                    pass
            for pid in children:  # a worker its master left behind (only after a forced kill)
                if "nginx: worker" in read("/proc/%d/cmdline" % pid):
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
        self.procs = []

    # -- the client side ---------------------------------------------------------------------
    def run_pytest(self, test_file, base_url, report_url="", env=None, netns=None, log_cli=False,
                   gha_prefix=False, log_format=None, log_datefmt=None, timeout=150, python=PY):
        proj = os.path.join(self.tmp, "project")
        os.makedirs(os.path.join(proj, "tests"), exist_ok=True)
        shutil.copy(os.path.join(LAB, "project", "conftest.py"), proj)
        # the scenario module imports the shared tests of tests/common.py: have pytest collect them there
        ini = "[pytest]\ntestpaths = tests\ncollect_imported_tests = true\n"
        if log_cli:
            ini += ("log_cli = true\nlog_cli_level = INFO\n"
                    "log_cli_format = %(asctime)s.%(msecs)03d [%(levelname)8s] %(name)s: %(message)s\n"
                    "log_cli_date_format = %Y-%m-%d %H:%M:%S\n")
        with open(os.path.join(proj, "pytest.ini"), "w") as f:
            f.write(ini)
        shutil.copy(os.path.join(LAB, "tests", test_file), os.path.join(proj, "tests", "test_api.py"))
        shutil.copy(os.path.join(LAB, "tests", "common.py"), os.path.join(proj, "tests"))
        self.client_log = os.path.join(self.tmp, "client.log")
        self.pytest_log = os.path.join(self.tmp, "pytest.log")
        e = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        e.update({"LAB_CLIENT_LOG": self.client_log, "LAB_BASE_URL": base_url, "LAB_REPORT_URL": report_url,
                  "LAB_REPORT_HOOK": "logreport", "LAB_CLOSED_PORT": str(self.port["closed"]),
                  "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "120", "TZ": "UTC"})
        if log_format:
            e["LAB_LOG_FORMAT"] = log_format
        if log_datefmt:
            e["LAB_LOG_DATEFMT"] = log_datefmt
        e.update(env or {})
        argv = [python, "-m", "pytest", "-rA", "-p", "no:cacheprovider", "tests"]
        if netns:
            argv = ["ip", "netns", "exec", netns] + argv
        out = open(self.pytest_log, "wb")
        p = subprocess.Popen(argv, cwd=proj, env=e, stdout=subprocess.PIPE if gha_prefix else out,
                             stderr=subprocess.STDOUT)
        self.procs.append(("pytest", p))
        timer = threading.Timer(timeout, p.kill)
        timer.start()
        try:
            if gha_prefix:
                # what the GitHub Actions runner does: stamp each line with the UTC time it was read
                for line in p.stdout:
                    ns = time.time_ns()
                    t = datetime.fromtimestamp(ns // 10**9, timezone.utc)
                    out.write(("%s.%07dZ " % (t.strftime("%Y-%m-%dT%H:%M:%S"), (ns % 10**9) // 100)).encode()
                              + line)
            rc = p.wait()
        finally:
            timer.cancel()
            out.close()
        self.procs.remove(("pytest", p))
        return rc

    # -- the sample --------------------------------------------------------------------------
    def collect(self, files, expected):
        """files: {relative path in sample: absolute path in tmp}.  Replaces samples/<name>/."""
        if os.path.isdir(self.out):
            shutil.rmtree(self.out)
        os.makedirs(self.out)
        for rel, src in files.items():
            dst = os.path.join(self.out, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            if os.path.exists(src):
                shutil.copy(src, dst)
            else:
                open(dst, "w").close()
        expected = dict({"scenario": self.name}, **expected)
        with open(os.path.join(self.out, "expected.json"), "w") as f:
            json.dump(expected, f, indent=2)
            f.write("\n")

    # -- network namespaces (firewall / DNS scenarios) ---------------------------------------
    def netns_add(self, name, resolv_conf=None):
        subprocess.run(["ip", "netns", "del", name], capture_output=True)  # leftover of an aborted run
        subprocess.run(["ip", "netns", "add", name], check=True)
        self.namespaces.append(name)
        subprocess.run(["ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"], check=True)
        if resolv_conf is not None:
            # `ip netns exec` bind-mounts /etc/netns/<name>/resolv.conf over /etc/resolv.conf
            d = "/etc/netns/" + name
            os.makedirs(d, exist_ok=True)
            with open(d + "/resolv.conf", "w") as f:
                f.write(resolv_conf)
            self.undo.append(lambda: shutil.rmtree(d, ignore_errors=True))

    def sysctl(self, key, value):
        path = "/proc/sys/" + key.replace(".", "/")
        with open(path) as f:
            old = f.read().strip()
        with open(path, "w") as f:
            f.write(value)
        def restore():
            with open(path, "w") as f:
                f.write(old)
        self.undo.append(restore)

    def cleanup_host(self):
        for name in reversed(self.namespaces):
            subprocess.run(["ip", "netns", "del", name], capture_output=True)
        self.namespaces = []
        for fn in reversed(self.undo):
            try:
                fn()
            except OSError:
                pass
        self.undo = []

    def cleanup(self):
        shutil.rmtree(self.tmp, ignore_errors=True)


def read(path):
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def check(sample_dir, expectations):
    """expectations: [(path inside the sample, regex), ...].  Returns the list of misses."""
    misses = []
    for rel, r in expectations:
        if not re.search(r, read(os.path.join(sample_dir, rel)), re.M):
            misses.append("%s: no /%s/" % (rel, r))
    return misses
