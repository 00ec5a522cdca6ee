"""A burst of requests over nginx limit_req; tests raise_for_status()."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_bulk_fetch(api):
    for n in range(1, 21):
        r = api.get(BASE + "/api/items/%d" % n, timeout=10)
        r.raise_for_status()
