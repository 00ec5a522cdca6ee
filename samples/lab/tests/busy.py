"""A busy moment: while this suite runs, other clients of the same nginx (a second job, a crawler)
send a malformed request (400), unknown paths (404), an oversized upload (413) and calls to the
legacy service, which is down (502).  Two of the suite's tests fail in the same second, each for its
own reason: test_search_recent (the search service is down: 502) and test_export_csv (the app resets
the export mid-body)."""
import os
import socket
import threading
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def other_client(i):
    """One request of another client (urllib or a raw socket, not this suite's requests Session)."""
    kind = i % 4
    try:
        if kind == 0:
            u = urlparse(BASE)
            with socket.create_connection((u.hostname, u.port), 5) as c:
                c.sendall(b"HELLO /api/items\r\n\r\n")
                c.recv(4096)
        elif kind == 1:
            urllib.request.urlopen(BASE + "/api/nope/%d" % i, timeout=5).read()
        elif kind == 2:
            urllib.request.urlopen(urllib.request.Request(BASE + "/api/upload", data=b"x" * (2 << 20)), timeout=5).read()
        else:
            urllib.request.urlopen(BASE + "/api/legacy/orders", timeout=5).read()
    except (OSError, urllib.error.URLError):
        pass  # not this suite's business


@pytest.fixture(scope="module", autouse=True)
def other_traffic():
    stop = threading.Event()

    def loop(offset):
        for i in range(offset, offset + 100):  # bounded: at most 100 requests / ~5 s per thread
            if stop.wait(0.05):
                return
            other_client(i)

    threads = [threading.Thread(target=loop, args=(k,), daemon=True) for k in range(int(os.environ.get("LAB_NOISE_THREADS", "3")))]
    for t in threads:
        t.start()
    stop.wait(0.3)  # the other traffic is already going when the suite starts
    yield
    stop.set()
    for t in threads:
        t.join(10)


def test_search_recent(api):
    r = api.get(BASE + "/api/search/recent?q=widget", timeout=10)
    r.raise_for_status()


def test_export_csv(api):
    r = api.get(BASE + "/api/export", timeout=10)
    r.raise_for_status()
    assert r.text.count("\n") == 3


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the tests above)
