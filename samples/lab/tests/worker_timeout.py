"""A report the WSGI app takes 10 s to build, under gunicorn's sync worker with --timeout 2."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_quarterly_report(api):
    r = api.get(BASE + "/api/slow?s=10", timeout=30)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
