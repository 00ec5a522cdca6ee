"""One requests.Session polling nginx (keepalive_timeout 30s) every 0.5 s, then asking for a slow
report on the same pooled connection; the lab kills nginx's worker while that request is in flight.
The reuse is fresh (idle 0.5 s, far below 30 s): the failure is the worker's death, not a stale
keep-alive connection.
"""
import logging
import time

import requests

from common import BASE, test_health  # noqa: F401  (shared tests, see common.py)

log = logging.getLogger("tests.poller")


def test_poll_then_report():
    with requests.Session() as s:
        for _ in range(4):
            s.get(BASE + "/api/items", timeout=5).raise_for_status()
            time.sleep(0.5)
        log.info("fetching the slow report on the pooled connection")
        try:
            s.get(BASE + "/api/slow?s=3", timeout=10)
        except requests.exceptions.ConnectionError as e:
            log.error("slow report failed: %r", e)
            raise
