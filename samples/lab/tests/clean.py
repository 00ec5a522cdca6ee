"""Normal traffic only: every call succeeds."""
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
    r = api.get(BASE + "/api/items", timeout=10)
    r.raise_for_status()
    assert r.json()["items"] == [1, 2, 3]


def test_get_item(api):
    for n in (1, 2, 3):
        assert api.get(BASE + "/api/items/%d" % n, timeout=10).json()["id"] == str(n)


def test_upload_small(api):
    r = api.post(BASE + "/api/upload", data=b"a,b,c\n" * 100, timeout=10)
    r.raise_for_status()
    assert r.json() == {"received": 600}


def test_me(api):
    r = api.get(BASE + "/api/me", headers={"Authorization": "Bearer ci-token"}, timeout=10)
    r.raise_for_status()
