"""Two concurrent requests against an nginx with (far) too few worker_connections."""
import logging
import threading
import time
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


def test_dashboard_parallel(api):
    # the dashboard fires its slow summary query and, meanwhile, the item list
    slow = {}

    def summary():
        try:
            slow["r"] = requests.get(BASE + "/api/slow?s=2", timeout=10)
        except requests.RequestException as e:
            slow["e"] = e

    t = threading.Thread(target=summary)
    t.start()
    time.sleep(0.5)
    try:
        r = requests.get(BASE + "/api/items", timeout=10)
        r.raise_for_status()
    finally:
        t.join(15)


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
