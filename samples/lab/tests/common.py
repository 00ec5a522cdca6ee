"""Not a scenario: the ordinary tests the modelled suite runs around each scenario's failing test.

The lab copies this file next to the scenario's module (tests/test_api.py), which imports the ones it
runs.  pytest collects imported test functions under the importing module (`tests/test_api.py::
test_health`) and runs a module's tests in the order its names were bound, so a scenario module
imports the tests that run before its own test at the top and `test_get_item` after it.
The `api` fixture (a requests.Session) lives in the project's conftest.py.
Also here: IdleBisect, the wait of the stale keep-alive pollers (16, 51, 53).
"""
import os
import time

BASE = os.environ["LAB_BASE_URL"]


def test_health(api):
    assert api.get(BASE + "/api/health", timeout=10).json() == {"ok": True}


def test_list_items(api):
    for _ in range(3):
        api.get(BASE + "/api/items", timeout=10).raise_for_status()


def test_get_item(api):
    api.get(BASE + "/api/items/7", timeout=10).raise_for_status()


class IdleBisect:
    """The idle time of a poller racing nginx's keepalive_timeout: if the pool kept the socket the
    wait was too short (longer next time), if it had to reconnect too long (shorter); the step halves
    at each change of direction (bisection), then dithers around the edge."""

    def __init__(self, pool, wait=1.0, step=0.004):
        self.pool, self.wait, self.step, self.last, self.sock = pool, wait, step, None, None

    def pooled_socket(self):
        idle = list(self.pool.pool.queue)
        return idle[-1].sock if idle and idle[-1] else None

    def sleep(self):
        self.sock = self.pooled_socket()
        time.sleep(self.wait)

    def update(self):
        """After a successful request: move the wait towards the moment the server closes."""
        after = self.pooled_socket()
        direction = 1 if after is not None and after is self.sock else -1
        if self.last is not None and direction != self.last:
            self.step = max(self.step / 2, 0.00005)
        self.last = direction
        self.wait += direction * self.step
