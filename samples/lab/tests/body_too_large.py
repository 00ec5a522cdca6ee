"""An upload larger than nginx's client_max_body_size."""
import logging
import os

from common import BASE, test_health  # noqa: F401  (shared tests, see common.py)

log = logging.getLogger("tests.api")


def test_list_items(api):
    api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_upload(api):
    payload = b"id,name,blob\n" + b"1,widget," + b"x" * (int(os.environ.get("LAB_UPLOAD_BYTES", "8388608"))) + b"\n"
    log.info("uploading %d bytes", len(payload))
    r = api.post(BASE + "/api/upload", data=payload, headers={"Content-Type": "text/csv"}, timeout=30)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
