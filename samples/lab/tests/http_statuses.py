"""Three tests that fail on the HTTP status nginx answers: 413 (body over client_max_body_size),
502 (the app resets the connection before answering), 504 (proxy_read_timeout) — two by asserting
the status code, one by raise_for_status()."""
import logging

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)

log = logging.getLogger("tests.api")


def test_upload_catalog(api):
    payload = b"id,name\n" + b"1,widget\n" * 250000
    log.info("uploading %d bytes", len(payload))
    r = api.post(BASE + "/api/upload", data=payload, headers={"Content-Type": "text/csv"}, timeout=30)
    assert r.status_code == 201, r.text


def test_publish_report(api):
    r = api.post(BASE + "/api/report", json={"results": [], "source": "tests"}, timeout=10)
    r.raise_for_status()


def test_monthly_report(api):
    r = api.get(BASE + "/api/slow?s=3", timeout=30)
    assert r.status_code == 200


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the tests above)
