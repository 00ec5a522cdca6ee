"""Two concurrent requests against an nginx with (far) too few worker_connections."""
import threading
import time

import requests

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_dashboard_parallel(api):
    # the dashboard fires its slow summary query and, meanwhile, the item list
    slow = {}

    def summary():
        try:
            slow["r"] = requests.get(BASE + "/api/slow?s=2", timeout=10)
        except requests.RequestException as e:
            slow["e"] = e

    t = threading.Thread(target=summary)
    t.start()
    time.sleep(0.5)
    try:
        r = requests.get(BASE + "/api/items", timeout=10)
        r.raise_for_status()
    finally:
        t.join(15)


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
