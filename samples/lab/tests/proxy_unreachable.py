"""The partner-sync test goes through an explicitly configured HTTP proxy that is not running."""
import os

import requests

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_partner_sync():
    # the CI config points this client at an egress proxy (here: a port where nothing listens)
    proxy = "http://127.0.0.1:%s" % os.environ["LAB_CLOSED_PORT"]
    with requests.Session() as s:
        s.proxies = {"http": proxy, "https": proxy}
        r = s.get(BASE + "/api/items/42", timeout=5)
        r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
