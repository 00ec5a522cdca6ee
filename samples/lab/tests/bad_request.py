"""A call that forgets the Authorization header; the API answers 401."""
from common import BASE, test_health  # noqa: F401  (shared tests, see common.py)


def test_me_with_token(api):
    api.get(BASE + "/api/me", headers={"Authorization": "Bearer ci-token"}, timeout=10).raise_for_status()


def test_me(api):
    # the token fixture was not applied to this test
    r = api.get(BASE + "/api/me", timeout=10)
    r.raise_for_status()


from common import test_get_item  # noqa: E402,F401  (imported here so that it runs after the test above)
