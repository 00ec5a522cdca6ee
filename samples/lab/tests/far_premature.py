"""An endpoint whose upstream handler closes the connection without answering (nginx: 502)."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_legacy_sync(api):
    r = api.get(BASE + "/api/close", timeout=10)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
