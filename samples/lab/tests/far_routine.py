"""Normal traffic with idle pauses (a status poll every second); every call succeeds."""
import time

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_poll_status(api):
    for _ in range(4):
        time.sleep(1)
        assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
