"""An upload larger than nginx's client_max_body_size."""
import logging
import os

import pytest
import requests

BASE = os.environ["LAB_BASE_URL"]
log = logging.getLogger("tests.api")


@pytest.fixture(scope="module")
def api():
    with requests.Session() as s:
        yield s


def test_health(api):
    assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


def test_list_items(api):
    api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_upload(api):
    payload = b"id,name,blob\n" + b"1,widget," + b"x" * (int(os.environ.get("LAB_UPLOAD_BYTES", "8388608"))) + b"\n"
    log.info("uploading %d bytes", len(payload))
    r = api.post(BASE + "/api/upload", data=payload, headers={"Content-Type": "text/csv"}, timeout=30)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
