"""The modelled API as a WSGI app (stdlib only), served by gunicorn in the dialect scenarios.

  gunicorn --pythonpath samples/lab wsgi_app:app

Endpoints as app.py's: GET /api/health, /api/items, /api/items/<n>, /api/slow?s=<seconds> (sleeps:
under gunicorn's sync worker with --timeout shorter than that, the arbiter kills the worker),
POST /api/report (204), POST /api/upload (201 with the body's size).  Its log lines go through
gunicorn's error log (logger `gunicorn.error`), as an app deployed under gunicorn does.
"""
import json
import logging
import time
from urllib.parse import parse_qs

log = logging.getLogger("gunicorn.error")


def reply(start_response, status, obj=None):
    body = b"" if obj is None else json.dumps(obj).encode()
    headers = [("Content-Length", str(len(body)))]
    if obj is not None:
        headers.append(("Content-Type", "application/json"))
    start_response(status, headers)
    return [body]


def app(environ, start_response):
    method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "/")
    if method == "POST":
        n = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(n) if n else b""
        if path == "/api/report":
            return reply(start_response, "204 No Content")
        if path == "/api/upload":
            return reply(start_response, "201 Created", {"received": len(body)})
        return reply(start_response, "404 Not Found", {"error": "not found"})
    if path == "/api/slow":
        s = float(parse_qs(environ.get("QUERY_STRING", "")).get("s", ["3"])[0])
        log.info("building report (%.0f s of work)", s)
        time.sleep(min(s, 30))
        return reply(start_response, "200 OK", {"slept": s})
    if path.startswith("/api/items/"):
        return reply(start_response, "200 OK", {"id": path.rsplit("/", 1)[1], "name": "widget"})
    if path == "/api/items":
        return reply(start_response, "200 OK", {"ok": True, "items": [1, 2, 3]})
    if path == "/api/health":
        return reply(start_response, "200 OK", {"ok": True})
    return reply(start_response, "404 Not Found", {"error": "not found"})
