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

from common import BASE, IdleBisect, test_health  # noqa: F401  (shared tests, see common.py)

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
        idle = IdleBisect(next(iter(s.get_adapter(BASE).poolmanager.pools._container.values())))
        for _ in range(TRIES):
            if time.monotonic() > deadline:
                break
            idle.sleep()
            try:
                s.get(BASE + "/api/items", timeout=5)
            except requests.exceptions.ConnectionError as e:
                log.error("poll of /api/items failed after %.4f s idle: %r", idle.wait, e)
                raise
            idle.update()
    log.info("no stale reuse in %d polls", TRIES)
