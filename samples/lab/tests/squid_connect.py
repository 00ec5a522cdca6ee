"""HTTPS through the CI's egress proxy (Squid) to a port the proxy does not allow CONNECT to."""
import logging
import os

import pytest
import requests

BASE = os.environ["LAB_BASE_URL"]
TLS_URL = os.environ["LAB_TLS_URL"]
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


def test_billing_export(api):
    # the billing service listens for TLS on a non-standard port; the proxy only tunnels to 443
    r = api.get(TLS_URL + "/api/billing/export", timeout=5, verify=False)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
