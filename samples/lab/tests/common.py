"""Not a scenario: the ordinary tests the modelled suite runs around each scenario's failing test.

The lab copies this file next to the scenario's module (tests/test_api.py), which imports the ones it
runs.  pytest collects imported test functions under the importing module (`tests/test_api.py::
test_health`) and runs a module's tests in the order its names were bound, so a scenario module
imports the tests that run before its own test at the top and `test_get_item` after it.
The `api` fixture (a requests.Session) lives in the project's conftest.py.
"""
import os

BASE = os.environ["LAB_BASE_URL"]


def test_health(api):
    assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


def test_list_items(api):
    for _ in range(3):
        api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()
