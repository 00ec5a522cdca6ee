"""A poller that reuses its pooled keep-alive connection right when nginx (keepalive_timeout 1s)
closes it.  Racy by nature: each of several pollers repeats "request, wait ~1 s, request" a
bounded number of times, bisecting its wait towards the moment nginx closes (if the pool had to
reconnect the wait was too long, if it reused the old socket it was too short).
urllib3 retries are off (max_retries=0), so a lost race surfaces as a ConnectionError.
"""
import logging
import os
import threading
import time

import requests
from requests.adapters import HTTPAdapter

from common import BASE, IdleBisect, test_health  # noqa: F401  (shared tests, see common.py)

TRIES = int(os.environ.get("LAB_TRIES", "200"))       # total polls, all pollers together
BUDGET = float(os.environ.get("LAB_BUDGET_S", "60"))  # seconds
POLLERS = int(os.environ.get("LAB_POLLERS", "8"))
log = logging.getLogger("tests.poller")


def test_poll_items():
    stats = {"tries": 0, "hits": 0, "errors": []}
    lock = threading.Lock()
    deadline = time.monotonic() + BUDGET

    def poller(k):
        s = requests.Session()
        adapter = HTTPAdapter(max_retries=0)
        s.mount("http://", adapter)
        s.get(BASE + "/api/items", timeout=5)
        idle = IdleBisect(next(iter(adapter.poolmanager.pools._container.values())))  # the session's one pool
        while time.monotonic() < deadline:
            with lock:
                if stats["tries"] >= TRIES:
                    break
                stats["tries"] += 1
            idle.sleep()
            try:
                s.get(BASE + "/api/items", timeout=5)
            except requests.exceptions.ConnectionError as e:
                log.error("poll of /api/items failed after %.4f s idle: %r", idle.wait, e)
                with lock:
                    stats["hits"] += 1
                    stats["errors"].append(e)
                s.get(BASE + "/api/items", timeout=5)  # start the next round from a fresh connection
                continue
            idle.update()
        s.close()

    threads = [threading.Thread(target=poller, args=(k,)) for k in range(POLLERS)]
    for t in threads:
        t.start()
        time.sleep(0.13)
    for t in threads:
        t.join(BUDGET + 30)
    log.info("stale keep-alive race: %d hit(s) in %d tries", stats["hits"], stats["tries"])
    with open(os.environ.get("LAB_RACE_FILE", os.devnull), "w") as f:
        f.write("%d %d\n" % (stats["hits"], stats["tries"]))
    if stats["errors"]:
        raise stats["errors"][0]
