"""Plain passing tests; the failure happens in the conftest reporter (an INTERNALERROR)."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_get_item(api):
    for n in (1, 2):
        api.get(BASE + "/api/items/%d" % n, timeout=10).raise_for_status()


def test_upload_small(api):
    api.post(BASE + "/api/upload", data=b"a,b\n" * 10, timeout=10).raise_for_status()


def test_me(api):
    api.get(BASE + "/api/me", headers={"Authorization": "Bearer ci-token"}, timeout=10).raise_for_status()
