"""One test fires 13 parallel requests (a dashboard's widgets), by default of /api/export (LAB_WIDGET_PATH)."""
import logging
import os
import threading

import requests

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)

WIDGETS = 13
WIDGET_PATH = os.environ.get("LAB_WIDGET_PATH", "/api/export")
log = logging.getLogger("tests.dashboard")


def test_dashboard_exports():
    errors = []

    def widget(k):
        try:
            url = BASE + WIDGET_PATH + ("&" if "?" in WIDGET_PATH else "?") + "widget=%d" % k
            requests.get(url, timeout=10).raise_for_status()
        except requests.RequestException as e:
            log.error("widget %d failed: %r", k, e)
            errors.append(e)

    threads = [threading.Thread(target=widget, args=(k,), name="widget-%d" % k) for k in range(WIDGETS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    log.info("%d of %d widget requests failed", len(errors), WIDGETS)
    if errors:
        raise errors[0]


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
