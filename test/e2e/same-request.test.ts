import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyseFiles } from '../helpers.js';

interface Incident {
  attribution: string;
  cause: string;
  reasons: string[];
  count: number;
  requests: string[];
  method: string | null;
  url: string | null;
  evidence: Array<{ file: string; line: number; link?: string; tie?: string }>;
}

const analyse = async (files: Record<string, string[]>) => (await analyseFiles<{ incidents: Incident[] }>(files)).incidents;

// Lines in the layouts of the bundled samples (nginx 1.22 error/access logs, Python logging of requests + urllib3).
const RESET = "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))";
const SHUTDOWN = ['2026/11/24 23:03:05 [notice] 27170#27170: signal 3 (SIGQUIT) received from 27044, shutting down', '2026/11/24 23:03:05 [notice] 27171#27171: gracefully shutting down'];
const ALIVE = ['127.0.0.1 - - [24/Nov/2026:23:03:04 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2" 0.001 200'];

describe('evidence about the same request', () => {
  it('a shutdown stamped in the failure\'s own second is not its cause', async () => {
    const incidents = await analyse({
      'client.log': [`2026-11-24 23:03:05,403 ERROR tests.reporter: tests/test_api.py::test_last failed: ${RESET}`],
      'nginx/error.log': SHUTDOWN,
      'nginx/access.log': ALIVE,
    });
    assert.equal(incidents.length, 1);
    assert.notEqual(incidents[0]!.cause, 'server/reload', JSON.stringify(incidents[0]));
    const shutdown = incidents[0]!.evidence.find((e) => e.file === 'nginx/error.log');
    assert.equal(shutdown?.link, 'time', JSON.stringify(shutdown));
  });

  it('a shutdown a second before the failure is its cause, tied as a server process event', async () => {
    const incidents = await analyse({
      'client.log': [`2026-11-24 23:03:06,403 ERROR tests.reporter: tests/test_api.py::test_last failed: ${RESET}`],
      'nginx/error.log': SHUTDOWN,
      'nginx/access.log': ALIVE,
    });
    assert.equal(incidents[0]!.cause, 'server/reload', JSON.stringify(incidents[0]));
    assert.equal(incidents[0]!.evidence.find((e) => e.file === 'nginx/error.log')?.link, 'process');
  });

  it('a failure naming no request is not decided by two different failures of other requests in its second', async () => {
    const incidents = await analyse({
      'client.log': [`2026-11-24 23:03:05,403 ERROR tests.reporter: tests/test_api.py::test_a failed: ${RESET}`],
      'nginx/error.log': [
        '2026/11/24 23:03:05 [error] 27215#27215: *2 readv() failed (104: Connection reset by peer) while reading upstream, client: 127.0.0.1, server: api.lab.test, request: "GET /api/export HTTP/1.1", upstream: "http://127.0.0.1:27101/api/export", host: "127.0.0.1:27100"',
      ],
      'nginx/access.log': ['127.0.0.1 - - [24/Nov/2026:23:03:05 +0000] "POST /api/upload HTTP/1.1" 413 183 "-" "python-requests/2.34.2" 0.000 -'],
    });
    const own = incidents.find((i) => i.evidence.some((e) => e.file === 'client.log'))!;
    assert.equal(own.attribution, 'unknown', JSON.stringify(own));
  });

  it('a line about another path never joins, a line about the same path at another time does not decide', async () => {
    const incidents = await analyse({
      'client.log': [
        "2026-11-24 23:03:09,403 ERROR tests.reporter: failed: requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=27060): Max retries exceeded with url: /api/v1/export (Caused by ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))",
      ],
      'nginx/access.log': [
        '127.0.0.1 - - [24/Nov/2026:23:03:01 +0000] "GET /api/v1/export HTTP/1.1" 444 0 "-" "python-requests/2.34.2" 0.000 -',
        '127.0.0.1 - - [24/Nov/2026:23:03:09 +0000] "GET /api/v2/export HTTP/1.1" 444 0 "-" "python-requests/2.34.2" 0.000 -',
        '127.0.0.1 - - [24/Nov/2026:23:03:09 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2" 0.001 200',
      ],
    });
    const own = incidents.find((i) => i.url?.endsWith('/api/v1/export') && i.evidence.some((e) => e.file === 'client.log'))!;
    assert.notEqual(own.cause, 'server/nginx-444', JSON.stringify(own));
    assert.ok(!own.evidence.some((e) => e.line === 2 && e.file === 'nginx/access.log'), 'the other path joined');
    assert.equal(own.evidence.find((e) => e.line === 1 && e.file === 'nginx/access.log')?.link, 'path');
  });

  it('the URL of a failure comes from the frame arguments pytest prints', async () => {
    const incidents = await analyse({
      'pytest.log': [
        '=================================== FAILURES ===================================',
        '_____________________________ test_legacy_export ______________________________',
        "self = <requests.sessions.Session object at 0x7fbe77b61fd0>, method = 'GET', url = 'http://127.0.0.1:27060/api/v1/export'",
        "E   requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
        'tests/test_api.py:12: ConnectionError',
      ],
    });
    assert.equal(incidents[0]!.method, 'GET');
    assert.equal(incidents[0]!.url, 'http://127.0.0.1:27060/api/v1/export');
  });

  it('one test whose parallel requests were all reset the same way is one incident with a count', async () => {
    const records = Array.from({ length: 13 }, (_, i) => `2026-11-24 23:03:05,${String(400 + i).padStart(3, '0')} ERROR tests.dashboard: GET /api/items/${i} failed: ${RESET}`);
    const incidents = await analyse({
      'client.log': [...records, `2026-11-24 23:03:05,500 ERROR tests.reporter: tests/test_api.py::test_dashboard_parallel failed: ${RESET}`],
    });
    assert.equal(incidents.length, 1, JSON.stringify(incidents.map((i) => i.cause)));
    assert.equal(incidents[0]!.count, 14);
  });
});

// Sample 03's failure (nginx's `return 444`: RemoteDisconnected) beside sample 05's nginx, started 5 s after it (samples/).
const REMOTE_DISCONNECTED =
  "2026-11-24 23:03:05,403 ERROR tests.reporter: tests/test_api.py::test_legacy_export failed: requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))";
const STARTED_LATER = {
  'nginx/error.log': ['2026/11/24 23:03:10 [notice] 27214#27214: start worker processes', '2026/11/24 23:03:11 [info] 27215#27215: *4 client 127.0.0.1 closed keepalive connection'],
  'nginx/access.log': ['127.0.0.1 - - [24/Nov/2026:23:03:11 +0000] "GET /api/health HTTP/1.1" 200 12 "-" "python-requests/2.34.2" 0.001 200'],
};
const SERVED_BEFORE = '127.0.0.1 - - [24/Nov/2026:23:03:04 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2" 0.001 200';

describe("a server's silence about the request", () => {
  it('decides nothing when its logs begin after the failure (another run, a later start, a rotation)', async () => {
    const [incident] = await analyse({ 'client.log': [REMOTE_DISCONNECTED], ...STARTED_LATER });
    assert.equal(incident!.attribution, 'unknown', JSON.stringify(incident));
    assert.ok(incident!.reasons.some((r) => r.includes('nginx-access began logging after the failure')), JSON.stringify(incident!.reasons));
  });

  it('is evidence when the server had logged before the failure, in either of its logs', async () => {
    for (const files of [
      { ...STARTED_LATER, 'nginx/access.log': [SERVED_BEFORE, ...STARTED_LATER['nginx/access.log']] },
      { ...STARTED_LATER, 'nginx/error.log': ['2026/11/24 23:02:58 [notice] 27214#27214: start worker processes', ...STARTED_LATER['nginx/error.log']] },
    ]) {
      const [incident] = await analyse({ 'client.log': [REMOTE_DISCONNECTED], ...files });
      assert.equal(incident!.cause, 'client/stale-keepalive', JSON.stringify(incident));
    }
  });
});

// urllib3 2.7 at DEBUG, a sidecar that started late: an independent lab run (gunicorn + nginx + uvicorn, Retry(connect=10)).
const SIDECAR_RETRIES = [
  '2026-12-05 07:35:05,040 [DEBUG] urllib3.connectionpool: Starting new HTTP connection (1): 127.0.0.1:38192',
  `2026-12-05 07:35:05,041 [WARNING] urllib3.connectionpool: Retrying (Retry(total=9, connect=9, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError("HTTPConnection(host='127.0.0.1', port=38192): Failed to establish a new connection: [Errno 111] Connection refused")': /healthz`,
  '2026-12-05 07:35:05,041 [DEBUG] urllib3.connectionpool: Starting new HTTP connection (2): 127.0.0.1:38192',
  `2026-12-05 07:35:05,442 [WARNING] urllib3.connectionpool: Retrying (Retry(total=8, connect=8, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError("HTTPConnection(host='127.0.0.1', port=38192): Failed to establish a new connection: [Errno 111] Connection refused")': /healthz`,
  '2026-12-05 07:35:05,443 [DEBUG] urllib3.connectionpool: Starting new HTTP connection (3): 127.0.0.1:38192',
];

describe("urllib3's retries", () => {
  it('are no failure when nothing failed after them (the retried request was served)', async () => {
    const incidents = await analyse({
      'client.log': [...SIDECAR_RETRIES, '2026-12-05 07:35:05,449 [DEBUG] urllib3.connectionpool: http://127.0.0.1:38192 "GET /healthz HTTP/1.1" 200 16'],
      'nginx/access.log': ['127.0.0.1 - - [05/Dec/2026:07:35:05 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2"'],
    });
    assert.deepEqual(incidents, []);
  });

  it('are one failure with the error they end in', async () => {
    const incidents = await analyse({
      'client.log': [
        ...SIDECAR_RETRIES,
        `2026-12-05 07:35:06,244 [ERROR] tests.sidecar: sidecar never came up: requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=38192): Max retries exceeded with url: /healthz (Caused by NewConnectionError("HTTPConnection(host='127.0.0.1', port=38192): Failed to establish a new connection: [Errno 111] Connection refused"))`,
      ],
      'nginx/access.log': ['127.0.0.1 - - [05/Dec/2026:07:35:05 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.34.2"'],
    });
    assert.equal(incidents.length, 1, JSON.stringify(incidents));
    assert.equal(incidents[0]!.evidence.filter((e) => e.file === 'client.log').length, 3, JSON.stringify(incidents[0]!.evidence));
  });
});
