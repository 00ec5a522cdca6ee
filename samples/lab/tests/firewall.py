"""A request whose payload matches a firewall rule (string match, REJECT --reject-with tcp-reset).
The client retries twice (urllib3 Retry), like many API clients do."""
import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from common import BASE, test_health, test_list_items  # noqa: F401  (shared tests, see common.py)


@pytest.fixture(scope="module")
def api():  # this module's client retries: it replaces the conftest's plain Session
    with requests.Session() as s:
        s.mount("http://", HTTPAdapter(max_retries=Retry(total=2, backoff_factor=0.2)))
        yield s


def test_blocked_feature(api):
    r = api.get(BASE + "/api/blocked", timeout=5)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
