"""HTTPS through the CI's egress proxy (Squid) to a port the proxy does not allow CONNECT to."""
import os

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)

TLS_URL = os.environ["LAB_TLS_URL"]


def test_billing_export(api):
    # the billing service listens for TLS on a non-standard port; the proxy only tunnels to 443
    r = api.get(TLS_URL + "/api/billing/export", timeout=5, verify=False)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
