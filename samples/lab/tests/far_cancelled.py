"""A long report request; the CI job is cancelled while it is pending (the lab sends SIGINT to pytest)."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_yearly_report(api):
    r = api.get(BASE + "/api/slow?s=6", timeout=30)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
