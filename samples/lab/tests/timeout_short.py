"""The client gives a 2-second endpoint only 0.5 s."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_search(api):
    r = api.get(BASE + "/api/slow?s=2", timeout=0.5)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
