"""A partner service behind the CI runner's egress firewall (REJECT with tcp-reset on its port)."""
import os

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)

PARTNER = os.environ["LAB_PARTNER_URL"]


def test_partner_sync(api):
    r = api.get(PARTNER + "/api/items", timeout=5)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
