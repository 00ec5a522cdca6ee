"""One requests.Session (the adapter requests mounts by default) polling nginx (keepalive_timeout 1s).

First two rounds wait 1.5 s: nginx has closed the idle connection by then and urllib3 sees it
("Resetting dropped connection").  Then the poller bisects its wait towards the moment nginx closes
(a new socket: too long; the same socket: too short) until a request goes out on the connection nginx
is closing, bounded in polls and seconds.  The first such failure fails the test.
"""
import logging
import os
import time

import requests

from common import BASE, test_health  # noqa: F401  (shared tests, see common.py)

TRIES = int(os.environ.get("LAB_TRIES", "150"))
BUDGET = float(os.environ.get("LAB_BUDGET_S", "120"))
log = logging.getLogger("tests.poller")


def test_poll_items():
    deadline = time.monotonic() + BUDGET
    with requests.Session() as s:
        s.get(BASE + "/api/items", timeout=5)
        for _ in range(2):
            time.sleep(1.5)
            s.get(BASE + "/api/items", timeout=5)
        pool = next(iter(s.get_adapter(BASE).poolmanager.pools._container.values()))
        wait, step, last = 1.0, 0.004, None
        for _ in range(TRIES):
            if time.monotonic() > deadline:
                break
            idle = list(pool.pool.queue)
            sock_before = idle[-1].sock if idle and idle[-1] else None
            time.sleep(wait)
            try:
                s.get(BASE + "/api/items", timeout=5)
            except requests.exceptions.ConnectionError as e:
                log.error("poll of /api/items failed after %.4f s idle: %r", wait, e)
                raise
            idle = list(pool.pool.queue)
            direction = 1 if idle and idle[-1] and idle[-1].sock is sock_before else -1
            if last is not None and direction != last:
                step = max(step / 2, 0.00005)
            last = direction
            wait += direction * step
    log.info("no stale reuse in %d polls", TRIES)
