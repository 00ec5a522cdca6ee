"""A legacy endpoint nginx answers with `return 444`, and a CSV export the app aborts mid-body."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_legacy_export(api):
    r = api.get(BASE + "/api/v1/export", timeout=10)
    r.raise_for_status()


def test_export_csv(api):
    r = api.get(BASE + "/api/export", timeout=10)
    r.raise_for_status()
    assert r.text.count("\n") == 3


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the tests above)
