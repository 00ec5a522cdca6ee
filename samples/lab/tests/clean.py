"""Normal traffic only: every call succeeds."""
from common import BASE, test_health  # noqa: F401  (shared tests, see common.py)


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
