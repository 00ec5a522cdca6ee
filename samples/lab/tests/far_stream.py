"""A download whose chunks come every 2 s; the client allows 1 s per read and gives up mid-body."""
from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


def test_download_archive(api):
    r = api.get(BASE + "/api/stream?n=20&s=2", timeout=(3, 1), stream=True)
    r.raise_for_status()
    assert sum(len(c) for c in r.iter_content(8192)) > 0


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
