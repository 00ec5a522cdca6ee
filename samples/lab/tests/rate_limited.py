"""A burst of requests over nginx limit_req; tests raise_for_status()."""
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
    for _ in range(3):
        api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_bulk_fetch(api):
    for n in range(1, 21):
        r = api.get(BASE + "/api/items/%d" % n, timeout=10)
        r.raise_for_status()
