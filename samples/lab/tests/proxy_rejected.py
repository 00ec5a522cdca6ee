"""The admin API, which the HAProxy in front of nginx refuses (http-request silent-drop)."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_admin_stats(api):
    r = api.get(BASE + "/api/admin/stats", timeout=5)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
