"""The partner-sync test goes through an explicitly configured HTTP proxy that is not running."""
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


def test_partner_sync():
    # the CI config points this client at an egress proxy (here: a port where nothing listens)
    proxy = "http://127.0.0.1:%s" % os.environ["LAB_CLOSED_PORT"]
    with requests.Session() as s:
        s.proxies = {"http": proxy, "https": proxy}
        r = s.get(BASE + "/api/items/42", timeout=5)
        r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()

