"""A report endpoint slower than the HAProxy `timeout server`; tests raise_for_status()."""
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


def test_monthly_report(api):
    r = api.get(BASE + "/api/slow?s=3", timeout=30)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
