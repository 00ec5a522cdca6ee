"""A call that forgets the Authorization header; the API answers 401."""
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


def test_me_with_token(api):
    api.get(BASE + "/api/me", headers={"Authorization": "Bearer ci-token"}, timeout=10).raise_for_status()


def test_me(api):
    # the token fixture was not applied to this test
    r = api.get(BASE + "/api/me", timeout=10)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
