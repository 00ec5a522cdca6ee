"""The inventory sync calls a partner host by name; the runner's resolver does not answer."""
import os

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_partner_lookup(api):
    r = api.get(os.environ["LAB_PARTNER_URL"] + "/api/items/42", timeout=5)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
