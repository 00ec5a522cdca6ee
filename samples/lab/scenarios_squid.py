"""Scenarios 63-64: Squid 5.7, the suite's egress proxy straight to a partner API, gives up on a slow
answer by its own read_timeout (1 s; the API takes 3 s) and answers 504 itself (ERR_READ_TIMEOUT).
No origin log is kept: the partner's is not the job's.

63: Squid's native log, as shipped: its own 504 is logged `TCP_MISS/504 … HIER_DIRECT/<origin>
text/html`, as is an origin's own 504 it passes on, so the line cannot say whose timeout it was.
64: the same with Squid's built-in `combined` logformat and `log_mime_hdrs on`: the reply headers
logged with the line carry Squid's `X-Squid-Error: ERR_READ_TIMEOUT 0`, which says it.

lab.py imports this module after its own table; the scenarios land in the same table.
"""
import sys

lab = sys.modules.get("lab") or sys.modules["__main__"]  # lab.py runs as __main__: its table, not a second copy
scenario, base, run_suite, incident, failed = lab.scenario, lab.base, lab.run_suite, lab.incident, lab.failed


def squid_read_timeout(s, log_format, options=""):
    """The app as the partner API, Squid (read_timeout 1 s) as the `api` Session's proxy, the suite
    against the app; returns the sample's files and the proxy's URL."""
    s.start_app()
    s.start_squid(options="read_timeout 1 seconds\n" + options, log_format=log_format)
    proxy = base(s, "squid")
    run_suite(s, "slow_upstream.py", url=base(s, "app"), env={"LAB_PROXY_URL": proxy})
    return {"pytest.log": s.pytest_log, "client.log": s.client_log, "squid/access.log": s.squid_log}, proxy


@scenario("63-squid-read-timeout")
def squid_timeout_native(s):
    files, proxy = squid_read_timeout(s, "squid")
    s.collect(files, {
        "what": "The tests reach a partner API through Squid 5.7 as their egress proxy (%s, `read_timeout 1 "
                "seconds`, its native log as shipped); test_monthly_report GETs /api/slow?s=3, which takes "
                "3 s: Squid gives up and answers 504 itself (ERR_READ_TIMEOUT).  Its log line, `TCP_MISS/504 "
                "... HIER_DIRECT/127.0.0.1 text/html`, is also how Squid logs an origin's own 504 passed on, "
                "and no origin log is kept: the verdict is unknown, saying so." % proxy,
        "incidents": [dict(incident("unknown/proxy-or-origin-504", "test_monthly_report"),
                           missing="its log cannot tell its own timeout")]})
    return [failed("test_monthly_report", "HTTPError: 504"),
            ("squid/access.log", r" TCP_MISS/504 \d+ GET http://127\.0\.0\.1:\d+/api/slow\? - HIER_DIRECT/127\.0\.0\.1 text/html$")]


@scenario("64-squid-read-timeout-mime-hdrs")
def squid_timeout_combined(s):
    files, proxy = squid_read_timeout(s, "combined", "log_mime_hdrs on")
    s.collect(files, {
        "what": "As 63-squid-read-timeout, with Squid's built-in `combined` logformat and `log_mime_hdrs on` "
                "(%s): the 504's line carries the reply headers Squid sent, among them `X-Squid-Error: "
                "ERR_READ_TIMEOUT 0`, its own read_timeout." % proxy,
        "incidents": [incident("proxy-firewall/proxy-timeout", "test_monthly_report")]})
    return [failed("test_monthly_report", "HTTPError: 504"),
            ("squid/access.log", r'"GET http://127\.0\.0\.1:\d+/api/slow\? HTTP/1\.1" 504 \d+ "-" "python-requests/[\d.]+" TCP_MISS:HIER_DIRECT \[.*X-Squid-Error: ERR_READ_TIMEOUT 0')]
