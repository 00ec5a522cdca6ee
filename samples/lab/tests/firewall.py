"""A request whose payload matches a firewall rule (string match, REJECT --reject-with tcp-reset).
The client retries twice (urllib3 Retry), like many API clients do."""
import logging
import os

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

BASE = os.environ["LAB_BASE_URL"]
log = logging.getLogger("tests.api")


@pytest.fixture(scope="module")
def api():
    with requests.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, backoff_factor=0.2)))
        yield s


def test_health(api):
    assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


def test_list_items(api):
    for _ in range(3):
        api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_blocked_feature(api):
    r = api.get(BASE + "/api/blocked", timeout=5)
    r.raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()

