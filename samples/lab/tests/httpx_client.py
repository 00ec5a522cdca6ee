"""The suite written with httpx instead of requests (one module-scoped httpx.Client): a legacy
endpoint nginx answers with `return 444`, a CSV export the app aborts mid-body, and a report slower
than nginx's proxy_read_timeout; each test calls raise_for_status()."""
import os

import httpx
import pytest

BASE = os.environ["LAB_BASE_URL"]


@pytest.fixture(scope="module")
def client():
    with httpx.Client(base_url=BASE, timeout=10) as c:
        yield c


def test_health(client):
    assert client.get("/api/health").json() == {"ok": True}


def test_list_items(client):
    for _ in range(3):
        client.get("/api/items").raise_for_status()


def test_legacy_export(client):
    client.get("/api/v1/export").raise_for_status()


def test_export_csv(client):
    r = client.get("/api/export")
    r.raise_for_status()
    assert r.text.count("\n") == 3


def test_monthly_report(client):
    client.get("/api/slow", params={"s": 3}).raise_for_status()


def test_get_item(client):
    client.get("/api/items/7").raise_for_status()
