"""The upstream app resets the CSV export mid-body; that test is the suite's last one."""
from common import BASE, test_get_item, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_export_csv(api):
    r = api.get(BASE + "/api/export", timeout=10)
    r.raise_for_status()
    assert r.text.count("\n") == 3
