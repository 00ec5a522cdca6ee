"""All API traffic leaves through the CI's egress proxy (Squid); the proxy's ACL denies the partner host."""
import logging
import os

import pytest
import requests

BASE = os.environ["LAB_BASE_URL"]
PARTNER = os.environ["LAB_PARTNER_URL"]
PROXY = os.environ["LAB_PROXY_URL"]
log = logging.getLogger("tests.api")


@pytest.fixture(scope="module")
def api():
    with requests.Session() as s:
        s.proxies = {"http": PROXY, "https": PROXY}
        yield s


def test_health(api):
    assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


def test_list_items(api):
    for _ in range(3):
        api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_partner_sync(api):
    r = api.get(PARTNER + "/api/partner/sync", timeout=5)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
