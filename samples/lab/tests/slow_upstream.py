"""A report endpoint slower than the proxy in front of it allows (nginx proxy_read_timeout,
HAProxy timeout server, or the egress proxy's: Squid read_timeout); tests raise_for_status()."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_monthly_report(api):
    r = api.get(BASE + "/api/slow?s=3", timeout=30)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
