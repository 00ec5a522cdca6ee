"""The modelled API as an ASGI app (no framework), served by uvicorn directly (no proxy) in the
dialect scenarios.

  uvicorn --app-dir samples/lab asgi_app:app

Endpoints as app.py's: GET /api/health, /api/items, /api/items/<n>, POST /api/report (204), and
GET /api/export: a chunked CSV; with LAB_RESET_EXPORT=1 the app logs the failure, then resets the
connection after 3 chunks (SO_LINGER 0 on the transport's socket, then abort()).  ASGI gives an app
no socket, so the transport is taken from uvicorn's request cycle, whose bound method `send` is.
"""
import asyncio
import json
import logging
import os
import socket
import struct

log = logging.getLogger("uvicorn.error")  # uvicorn's own logger: the app's lines land in its output


async def reply(send, status, obj=None):
    body = b"" if obj is None else json.dumps(obj).encode()
    headers = [(b"content-length", str(len(body)).encode())]
    if obj is not None:
        headers.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def export(send):
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/csv")]})
    for i in range(3):
        await send({"type": "http.response.body", "body": ("row-%d,%s\n" % (i, "x" * 40)).encode(), "more_body": True})
        await asyncio.sleep(0.05)
    if os.environ.get("LAB_RESET_EXPORT") != "1":
        await send({"type": "http.response.body", "body": b""})
        return
    log.error("export failed after 3 rows: storage backend gone; resetting the connection")
    transport = send.__self__.transport
    transport.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    method, path = scope["method"], scope["path"]
    if method == "POST":
        more = True
        while more:
            msg = await receive()
            more = msg.get("more_body", False)
        return await reply(send, 204 if path == "/api/report" else 404, None if path == "/api/report" else {"error": "not found"})
    if path == "/api/export":
        return await export(send)
    if path.startswith("/api/items/"):
        return await reply(send, 200, {"id": path.rsplit("/", 1)[1], "name": "widget"})
    if path == "/api/items":
        return await reply(send, 200, {"ok": True, "items": [1, 2, 3]})
    if path == "/api/health":
        return await reply(send, 200, {"ok": True})
    return await reply(send, 404, {"error": "not found"})
