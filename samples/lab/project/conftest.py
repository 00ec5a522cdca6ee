"""conftest.py of the modelled project: client-side logging, a results reporter, the `api` fixture.

Configured by the lab through environment variables (a real project would hard-code these):
  LAB_CLIENT_LOG    file the client's Python logging writes to (client.log)
  LAB_LOG_FORMAT    logging format (default '%(asctime)s %(levelname)s %(name)s: %(message)s');
                    'json' = one JSON object per line (JsonFormatter below)
  LAB_LOG_DATEFMT   optional datefmt
  LAB_REPORT_URL    where results are posted with requests ('' = no reporter)
  LAB_REPORT_HOOK   'logreport' (pytest_runtest_logreport, one POST per test) or
                    'sessionfinish' (one summary POST at the end)
  LAB_PROXY_URL     egress proxy of the `api` fixture's Session (unset = none)
"""
import json
import logging
import os
import time
from datetime import datetime, timezone

import pytest
import requests


class JsonFormatter(logging.Formatter):
    """One JSON object per record, the shape python-json-logger / structlog setups give log shippers."""

    def format(self, record):
        doc = {"timestamp": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
               "level": record.levelname, "logger": record.name, "thread": record.threadName,
               "message": record.getMessage()}
        if record.exc_info:
            doc["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(doc)


_fmt = os.environ.get("LAB_LOG_FORMAT") or "%(asctime)s %(levelname)s %(name)s: %(message)s"
_handler = logging.FileHandler(os.environ.get("LAB_CLIENT_LOG", "client.log"))
_handler.setFormatter(JsonFormatter() if _fmt == "json" else
                      logging.Formatter(_fmt, os.environ.get("LAB_LOG_DATEFMT") or None))
logging.getLogger().addHandler(_handler)
logging.getLogger().setLevel(logging.DEBUG)
logging.getLogger("urllib3").setLevel(logging.DEBUG)
log = logging.getLogger("tests.reporter")

REPORT_URL = os.environ.get("LAB_REPORT_URL", "")
REPORT_HOOK = os.environ.get("LAB_REPORT_HOOK", "sessionfinish")
_results = []


def _post(payload):
    log.info("posting %d result(s) to %s", len(payload.get("results", [])), REPORT_URL)
    r = requests.post(REPORT_URL, json=payload, timeout=10)
    r.raise_for_status()


def pytest_runtest_logreport(report):
    if report.when != "call" and not (report.when == "setup" and report.outcome != "passed"):
        return
    if report.failed:
        # As test reporters do: the failure, with the test id, on the client's clock.
        crash = getattr(report.longrepr, "reprcrash", None)
        log.error("%s failed: %s", report.nodeid, crash.message if crash else report.longrepr)
    row = {"nodeid": report.nodeid, "outcome": report.outcome, "duration": round(report.duration, 3)}
    _results.append(row)
    if REPORT_URL and REPORT_HOOK == "logreport":
        _post({"results": [row], "time": time.time()})


def pytest_sessionfinish(session, exitstatus):
    if REPORT_URL and REPORT_HOOK == "sessionfinish":
        _post({"results": _results, "exitstatus": int(exitstatus), "time": time.time()})


@pytest.fixture(scope="module")
def api():
    """The suite's API client; where the CI sets an egress proxy (the Squid scenarios), all its calls use it."""
    proxy = os.environ.get("LAB_PROXY_URL")
    with requests.Session() as s:
        if proxy:
            s.proxies = {"http": proxy, "https": proxy}
        yield s
