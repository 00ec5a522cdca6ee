#!/usr/bin/env python3
"""The modelled upstream application: a tiny JSON API on http.server (stdlib only).

Its request log is BaseHTTPRequestHandler's default log_message line, written to --log
instead of stderr.  Endpoints (behaviour per scenario is chosen with command-line flags):

  GET  /api/health, /api/items, /api/items/<n>, /api/blocked, /api/fast  -> small JSON
  GET  /api/slow?s=<seconds>                 -> sleeps, then JSON
  GET  /api/export                           -> chunked body; with --reset-export the app
                                                sends the headers and part of the body,
                                                then closes with SO_LINGER 0 (RST)
  POST /api/upload                           -> reads the body, answers its size
  POST /api/report                           -> 204; with --report-after N, every report
                                                after the Nth is answered with an RST
                                                before any response byte (--reset-report)
                                                and/or delayed S seconds (--slow-report S,
                                                touching --marker first)
  GET  /api/me                               -> 401 without an Authorization header
  GET  /api/close                            -> reads the request, closes without answering (FIN)
  GET  /api/stream?n=<chunks>&s=<seconds>    -> chunked body, one chunk every s seconds
"""
import argparse
import json
import socket
import struct
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse, parse_qs

ARGS = None
LOG = None
LOCK = threading.Lock()
REPORTS = {"n": 0}


def rst_close(sock):
    """Close with SO_LINGER {on, 0}: the kernel sends RST instead of FIN."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "inventory-api/1.4"

    def log_message(self, format, *args):  # same text as the stdlib default, to a file
        line = "%s - - [%s] %s\n" % (self.address_string(), self.log_date_time_string(), format % args)
        with LOCK:
            LOG.write(line)
            LOG.flush()

    def send_json(self, obj, status=200):
        body = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        u = urlparse(self.path)
        p = u.path
        if p == "/api/slow":
            s = float(parse_qs(u.query).get("s", ["3"])[0])
            time.sleep(min(s, 30))
            return self.send_json({"slept": s})
        if p == "/api/export":
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for i in range(3):
                chunk = ("row-%d,%s\n" % (i, "x" * 40)).encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.flush()
                time.sleep(0.05)
            if ARGS.reset_export:
                # the export job "crashes": log what the stdlib would log, then reset
                self.log_request(200)
                self.close_connection = True
                rst_close(self.connection)
                raise ConnectionAbortedError("export reset (lab)")
            self.wfile.write(b"0\r\n\r\n")
            return
        if p == "/api/close":
            self.close_connection = True  # the handler returns without a byte: the stdlib closes (FIN)
            return
        if p == "/api/stream":
            q = parse_qs(u.query)
            n, pause = int(q.get("n", ["10"])[0]), float(q.get("s", ["1"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                for i in range(min(n, 100)):
                    chunk = b"%d," % i + b"x" * 1024 + b"\n"
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                    self.wfile.flush()
                    time.sleep(min(pause, 10))
                self.wfile.write(b"0\r\n\r\n")
            except OSError:  # the reader went away mid-stream
                self.close_connection = True
            return
        if p == "/api/me":
            if not self.headers.get("Authorization"):
                return self.send_json({"error": "missing token"}, 401)
            return self.send_json({"user": "ci"})
        if p.startswith("/api/items/"):
            return self.send_json({"id": p.rsplit("/", 1)[1], "name": "widget"})
        if p in ("/api/health", "/api/items", "/api/blocked", "/api/fast", "/"):
            return self.send_json({"ok": True, "items": [1, 2, 3]} if p == "/api/items" else {"ok": True})
        return self.send_json({"error": "not found"}, 404)

    def do_POST(self):
        p = urlparse(self.path).path
        if p == "/api/report":
            body = self.read_body()
            with LOCK:
                REPORTS["n"] += 1
                n = REPORTS["n"]
            late = ARGS.report_after is not None and n > ARGS.report_after
            if late and ARGS.slow_report:
                if ARGS.marker:
                    open(ARGS.marker, "w").close()
                time.sleep(ARGS.slow_report)
            if late and ARGS.reset_report:
                # the report service dies on this request: no response, RST to the client
                self.log_message('"%s" %s %s', self.requestline, "-", "-")
                self.close_connection = True
                rst_close(self.connection)
                raise ConnectionAbortedError("report reset (lab)")
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = self.read_body()
        if p == "/api/upload":
            return self.send_json({"received": len(body)}, 201)
        return self.send_json({"error": "not found"}, 404)

    def handle_one_request(self):
        try:
            super().handle_one_request()
        except ConnectionAbortedError:
            self.close_connection = True


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        pass  # connection errors are part of the scenarios; keep stderr quiet


def main():
    global ARGS, LOG
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--log", required=True)
    ap.add_argument("--reset-export", action="store_true")
    ap.add_argument("--report-after", type=int, default=None,
                    help="reports after the Nth get --reset-report / --slow-report")
    ap.add_argument("--reset-report", action="store_true")
    ap.add_argument("--slow-report", type=float, default=0)
    ap.add_argument("--marker", default=None)
    ARGS = ap.parse_args()
    LOG = open(ARGS.log, "a", buffering=1)
    srv = Server((ARGS.host, ARGS.port), Handler)
    print("app listening on %s:%d" % (ARGS.host, ARGS.port), file=sys.stderr, flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
