import {
  LOW_REPR,
  ROOT,
  abortedChain,
  chunkedChain,
  maxRetryChain,
  pythonTraceback,
  readTimeoutChain,
  type CallStyle,
  type Low,
  type Section,
  type TestCall,
} from './python-tb.js';
import { close, exchange, open } from './traffic.js';
import { BASE, PORT, type World } from './world.js';

/**
 * The connection problems the rule catalog knows, each played out the way the real programs
 * would log it: what the client raises, what nginx writes (or, as telling, does not write).
 */
export const CAUSES = [
  'server/body-too-large',
  'server/closed-444',
  'server/worker-crash',
  'server/upstream-reset',
  'server/proxy-read-timeout',
  'server/overload',
  'client/read-timeout',
  'client/rate-limited',
  'client/stale-keepalive',
  'proxy/middlebox-reset',
] as const;
export type Cause = (typeof CAUSES)[number];

/** A failed test, printed in the session's FAILURES section when the session ends. */
export interface Failure {
  nodeid: string;
  /** The section header: the test's name without its file. */
  name: string;
  sections: Section[];
  /** pytest's "Captured log call" lines (WARNING and above). */
  captured: string[];
}

const BODY_PAGE: Record<number, number> = { 413: 183, 429: 169, 502: 157, 504: 167 };

const call = (file: string, line: number, func: string, code: string, style: CallStyle): TestCall => ({
  file: `${ROOT}/tests/${file}`,
  line,
  func,
  code,
  style,
});

/** The conftest hook logs every failed request with its traceback, to client.log and to pytest. */
function logFailure(w: World, method: string, path: string, sections: Section[], captured: string[]): string[] {
  const msg = `request failed: ${method} ${BASE}${path}`;
  const tb = pythonTraceback(sections);
  w.clientLine('ERROR', 'tests.conftest', msg);
  w.clientRaw(tb);
  return [...captured, `ERROR    tests.conftest:conftest.py:41 ${msg}`, ...tb];
}

const retryState = (total: number): string => `Retry(total=${total}, connect=None, read=None, redirect=None, status=None)`;

/** urllib3 retrying a GET whose connection broke: debug + warning, then a fresh connection. */
function retryAfterBroken(w: World, total: number, low: Low, path: string, attempt: number): string {
  const warning = `Retrying (${retryState(total)}) after connection broken by '${LOW_REPR[low]}': ${path}`;
  w.clientLine('DEBUG', 'urllib3.util.retry', `Incremented Retry for (url='${path}'): ${retryState(total)}`);
  // Backoff: none after the first error, backoff_factor * 2 after the second.
  if (total === 0) w.wait(200, 250);
  w.clientLine('WARNING', 'urllib3.connectionpool', warning);
  w.newConnection(attempt + 1);
  return `WARNING  urllib3.connectionpool:connectionpool.py:869 ${warning}`;
}

/** urllib3 retrying a GET answered with a status in status_forcelist (same connection). */
function retryAfterStatus(w: World, total: number, path: string): void {
  w.clientLine('DEBUG', 'urllib3.util.retry', `Incremented Retry for (url='${path}'): ${retryState(total)}`);
  if (total === 0) w.wait(200, 250);
  w.clientLine('DEBUG', 'urllib3.connectionpool', `Retry: ${path}`);
}

function failure(nodeid: string, sections: Section[], captured: string[]): Failure {
  return { nodeid, name: nodeid.slice(nodeid.indexOf('::') + 2), sections, captured };
}

type Play = (w: World) => Failure;

const bodyTooLarge: Play = (w) => {
  const path = '/api/upload';
  const c = open(w);
  w.wait(0.5, 2);
  w.errorLine('error', c.pid, c.conn, `client intended to send too large body: 2097152 bytes${w.requestContext('POST', path, false)}`);
  w.accessLine('POST', path, 413, BODY_PAGE[413]!, 0, '-');
  w.wait(0.2, 1.5);
  const sections = abortedChain(call('test_upload.py', 27, 'test_upload_attachment', 'r = api.post(f"{BASE}/api/upload", data=payload, timeout=10)', 'session.post'), 'broken-pipe');
  return failure('tests/test_upload.py::test_upload_attachment[2mb]', sections, logFailure(w, 'POST', path, sections, []));
};

/** `return 444` for a blocked path: nginx closes without a response, every retry alike. */
const closed444: Play = (w) => {
  const path = '/api/blocked';
  const captured: string[] = [];
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt === 1) open(w, 1);
    else w.accept();
    w.wait(0.2, 0.8);
    w.accessLine('GET', path, 444, 0, 0, '-');
    w.wait(0.1, 0.4);
    if (attempt < 3) captured.push(retryAfterBroken(w, 3 - attempt - 1, 'remote-closed', path, attempt));
  }
  const sections = maxRetryChain(call('test_items.py', 58, 'test_get_blocked_item', 'r = api.get(f"{BASE}/api/blocked", timeout=5)', 'session.get'), PORT, path, { low: 'remote-closed' });
  return failure('tests/test_items.py::test_get_blocked_item', sections, logFailure(w, 'GET', path, sections, captured));
};

const workerCrash: Play = (w) => {
  const path = '/api/report';
  const c = open(w);
  w.wait(1, 30);
  w.killWorker(c.pid);
  w.wait(0.1, 0.5);
  const sections = abortedChain(call('test_reports.py', 33, 'test_post_report', 'r = api.post(f"{BASE}/api/report", json=report, timeout=10)', 'session.post'), 'remote-closed');
  return failure(`tests/test_reports.py::test_post_report[${w.rng.range(1, 200)}]`, sections, logFailure(w, 'POST', path, sections, []));
};

/** The app resets: mid-body (the cut reaches the client) or before the header (502 each try). */
const upstreamReset: Play = (w) => {
  if (w.rng.chance(0.5)) {
    const path = '/api/export?format=csv';
    const c = open(w);
    w.wait(20, 200);
    const why = w.rng.chance(0.5) ? 'recv() failed (104: Connection reset by peer)' : 'upstream prematurely closed connection';
    w.errorLine('error', c.pid, c.conn, `${why} while reading upstream${w.requestContext('GET', path, true)}`);
    w.accessLine('GET', path, 200, w.rng.range(900, 1500), (20 + w.rng.next() * 180) / 1000, '200');
    w.wait(0.1, 0.4);
    w.responseLine('GET', path, 200, 'None');
    w.wait(0.1, 1);
    const sections = chunkedChain(call('test_export.py', 19, 'test_export', 'r = api.get(f"{BASE}/api/export", params={"format": fmt}, timeout=10)', 'session.get'));
    return failure('tests/test_export.py::test_export[csv]', sections, logFailure(w, 'GET', path, sections, []));
  }
  const n = w.rng.range(1, 500);
  const path = `/api/items/${n}`;
  const c = open(w);
  const why = w.rng.chance(0.5) ? 'recv() failed (104: Connection reset by peer)' : 'upstream prematurely closed connection';
  for (let attempt = 1; attempt <= 3; attempt++) {
    const start = w.t;
    w.wait(0.5, 3);
    w.errorLine('error', c.pid, c.conn, `${why} while reading response header from upstream${w.requestContext('GET', path, true)}`);
    w.accessLine('GET', path, 502, BODY_PAGE[502]!, (w.t - start) / 1000, '502');
    w.wait(0.1, 0.3);
    w.responseLine('GET', path, 502, BODY_PAGE[502]!);
    if (attempt < 3) retryAfterStatus(w, 3 - attempt - 1, path);
  }
  const sections = maxRetryChain(call('test_items.py', 21, 'test_get_item', 'r = api.get(f"{BASE}/api/items/{n}", timeout=5)', 'session.get'), PORT, path, { status: 502 });
  return failure(`tests/test_items.py::test_get_item[${n}]`, sections, logFailure(w, 'GET', path, sections, []));
};

/** proxy_read_timeout 5s is shorter than the report takes: 504 on every try. */
const proxyReadTimeout: Play = (w) => {
  const path = '/api/reports/summary?month=2026-10';
  const c = open(w);
  for (let attempt = 1; attempt <= 3; attempt++) {
    const start = w.t;
    w.wait(5000, 5001);
    w.errorLine('error', c.pid, c.conn, `upstream timed out (110: Connection timed out) while reading response header from upstream${w.requestContext('GET', path, true)}`);
    w.accessLine('GET', path, 504, BODY_PAGE[504]!, (w.t - start) / 1000, '504');
    w.wait(0.1, 0.3);
    w.responseLine('GET', path, 504, BODY_PAGE[504]!);
    if (attempt < 3) retryAfterStatus(w, 3 - attempt - 1, path);
  }
  const sections = maxRetryChain(call('test_reports.py', 61, 'test_monthly_summary', 'r = api.get(f"{BASE}/api/reports/summary", params={"month": "2026-10"}, timeout=30)', 'session.get'), PORT, path, { status: 504 });
  return failure('tests/test_reports.py::test_monthly_summary', sections, logFailure(w, 'GET', path, sections, []));
};

/** worker_connections exhausted: nginx accepts and drops the new connection at once. */
const overload: Play = (w) => {
  const path = '/api/orders';
  w.newConnection(1);
  w.wait(0.1, 0.4);
  const pid = w.rng.pick(w.workers);
  const n = w.rng.range(1, 4);
  for (let i = 0; i < n; i++) {
    w.errorLine('alert', pid, null, '1024 worker_connections are not enough');
    w.wait(0.05, 2);
  }
  const sections = abortedChain(call('test_orders.py', 44, 'test_create_order', 'r = api.post(f"{BASE}/api/orders", json=order, timeout=10)', 'session.post'), 'reset');
  return failure(`tests/test_orders.py::test_create_order[sku-${w.rng.range(1000, 9999)}]`, sections, logFailure(w, 'POST', path, sections, []));
};

/** The client's timeout (3 s) is shorter than the endpoint needs: nginx sees it leave (499). */
const readTimeout: Play = (w) => {
  const path = '/api/slow?s=8';
  const c = open(w);
  const start = w.t;
  w.wait(3000, 3001);
  const sections = readTimeoutChain(call('test_reports.py', 75, 'test_slow_report', 'r = requests.get(f"{BASE}/api/slow", params={"s": 8}, timeout=3)', 'requests.get'), PORT, 3);
  const captured = logFailure(w, 'GET', path, sections, []);
  w.wait(0.2, 1);
  w.errorLine('info', c.pid, c.conn, `epoll_wait() reported that client prematurely closed connection, so upstream connection is closed too while reading response header from upstream${w.requestContext('GET', path, true)}`);
  w.accessLine('GET', path, 499, 0, (w.t - start) / 1000, '-');
  return failure('tests/test_reports.py::test_slow_report', sections, captured);
};

/** limit_req zone "api" (limit_req_status 429) rejects a burst; every retry is rejected too. */
const rateLimited: Play = (w) => {
  const q = w.rng.pick(['widget', 'bolt', 'gear']);
  const path = `/api/search?q=${q}&page=1`;
  const c = open(w);
  for (let attempt = 1; attempt <= 3; attempt++) {
    w.wait(0.1, 0.5);
    const excess = `${w.rng.range(5, 20)}.${String(w.rng.int(1000)).padStart(3, '0')}`;
    w.errorLine('error', c.pid, c.conn, `limiting requests, excess: ${excess} by zone "api"${w.requestContext('GET', path, false)}`);
    w.accessLine('GET', path, 429, BODY_PAGE[429]!, 0, '-');
    w.wait(0.1, 0.3);
    w.responseLine('GET', path, 429, BODY_PAGE[429]!);
    if (attempt < 3) retryAfterStatus(w, 3 - attempt - 1, path);
  }
  const sections = maxRetryChain(call('test_search.py', 38, 'test_search_burst', 'r = api.get(f"{BASE}/api/search", params={"q": q, "page": 1}, timeout=5)', 'session.get'), PORT, path, { status: 429 });
  return failure(`tests/test_search.py::test_search_burst[${q}]`, sections, logFailure(w, 'GET', path, sections, []));
};

/**
 * keepalive_timeout 5s: the test idles just that long and reuses its connection as nginx closes
 * it. nginx logs nothing for an idle close at info; the client sees the connection gone.
 */
const staleKeepalive: Play = (w) => {
  const path = '/api/report';
  open(w);
  exchange(w, { method: 'POST', path, status: 204, bytes: 0 });
  w.wait(4999, 5002);
  const sections = abortedChain(call('test_reports.py', 90, 'test_report_after_idle', 'r = api.post(f"{BASE}/api/report", json=report, timeout=10)', 'session.post'), 'remote-closed');
  return failure('tests/test_reports.py::test_report_after_idle', sections, logFailure(w, 'POST', path, sections, []));
};

/** A middlebox resets the connection: nginx, alive and logging its neighbours, saw nothing. */
const middleboxReset: Play = (w) => {
  const path = '/api/orders';
  open(w);
  exchange(w, { method: 'POST', path: '/api/login', status: 200, bytes: w.rng.range(58, 64) });
  w.wait(0.5, 3);
  const sections = abortedChain(call('test_orders.py', 44, 'test_create_order', 'r = api.post(f"{BASE}/api/orders", json=order, timeout=10)', 'session.post'), 'reset');
  // The reset never reached nginx: its end of the connection just idles out, silently.
  return failure(`tests/test_orders.py::test_create_order[sku-${w.rng.range(1000, 9999)}]`, sections, logFailure(w, 'POST', path, sections, []));
};

export const PLAYS: Record<Cause, Play> = {
  'server/body-too-large': bodyTooLarge,
  'server/closed-444': closed444,
  'server/worker-crash': workerCrash,
  'server/upstream-reset': upstreamReset,
  'server/proxy-read-timeout': proxyReadTimeout,
  'server/overload': overload,
  'client/read-timeout': readTimeout,
  'client/rate-limited': rateLimited,
  'client/stale-keepalive': staleKeepalive,
  'proxy/middlebox-reset': middleboxReset,
};

/**
 * Noise that looks like trouble but is not a failure: a reset GET that urllib3 retried with
 * success, or a dropped idle connection urllib3 noticed before reusing it.
 */
export function harmlessRetry(w: World): string {
  const n = w.rng.range(1, 500);
  const path = `/api/items/${n}`;
  open(w);
  w.wait(0.5, 2);
  retryAfterBroken(w, 1, 'reset', path, 1);
  const c = w.accept();
  exchange(w, { method: 'GET', path, status: 200, bytes: 30 + String(n).length });
  close(w, c);
  return `tests/test_items.py::test_get_item[${n}]`;
}

export function droppedIdle(w: World): string {
  open(w);
  exchange(w, { method: 'POST', path: '/api/report', status: 204, bytes: 0 });
  w.wait(6000, 6500);
  w.clientLine('DEBUG', 'urllib3.connectionpool', 'Resetting dropped connection: 127.0.0.1');
  const c2 = w.accept();
  exchange(w, { method: 'POST', path: '/api/report', status: 204, bytes: 0 });
  close(w, c2);
  return 'tests/test_reports.py::test_report_after_idle';
}
