import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { parseLines } from '../../src/parse/run-lines.js';

const failures = (lines: string[]) => parseLines(pythonLoggingFormat, lines, 'client.log').events.filter((e) => e.kind !== 'request' && e.kind !== 'other');
const DISCONNECTED = "ConnectionError(ProtocolError('Connection aborted.', RemoteDisconnected('Remote end closed connection without response')))";

// samples/51-stale-session/client.log (urllib3 2.7.0, requests 2.34.2, nginx keepalive_timeout 1s).
const STALE = [
  '2026-12-03 04:15:28,848 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
  '2026-12-03 04:15:28,856 DEBUG urllib3.connectionpool: http://127.0.0.1:27760 "GET /api/items HTTP/1.1" 200 32',
  '2026-12-03 04:15:29,856 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
  '2026-12-03 04:15:29,865 DEBUG urllib3.connectionpool: http://127.0.0.1:27760 "GET /api/items HTTP/1.1" 200 32',
  `2026-12-03 04:15:30,866 ERROR tests.poller: poll of /api/items failed after 0.9990 s idle: ${DISCONNECTED}`,
];

describe("urllib3's pool in the client's trace", () => {
  it('a failure after a completed request on the same pool went out on that pooled connection: its idle time and line', () => {
    const [failure] = failures(STALE);
    assert.equal(failure!.kind, 'remote-disconnected');
    assert.deepEqual(failure!.pooled, {
      host: '127.0.0.1',
      port: 27760,
      idleMs: 1001,
      since: { id: 'client.log:4', line: 4, excerpt: STALE[3] },
      threaded: false,
    });
  });

  it('none when the pool opened a connection for the request (Starting new / Resetting dropped connection)', () => {
    assert.equal(failures([...STALE.slice(0, 4), '2026-12-03 04:15:30,001 DEBUG urllib3.connectionpool: Starting new HTTP connection (2): 127.0.0.1:27760', STALE[4]!])[0]!.pooled, undefined);
    assert.equal(failures([...STALE.slice(0, 4), '2026-12-03 04:15:30,001 DEBUG urllib3.connectionpool: Resetting dropped connection: 127.0.0.1', STALE[4]!])[0]!.pooled, undefined);
  });

  it('none for a failure that got a response or timed out, and none when the file has several pools and the record names none', () => {
    const timeout = "2026-12-03 04:15:30,866 ERROR tests.poller: poll failed: ReadTimeout(ReadTimeoutError(\"HTTPConnectionPool(host='127.0.0.1', port=27760): Read timed out. (read timeout=5)\"))";
    assert.equal(failures([...STALE.slice(0, 4), timeout])[0]!.pooled, undefined);
    const other = '2026-12-03 04:15:30,100 DEBUG urllib3.connectionpool: http://127.0.0.1:9000 "GET /health HTTP/1.1" 200 2';
    assert.equal(failures([...STALE.slice(0, 4), other, STALE[4]!])[0]!.pooled, undefined);
  });

  it("urllib3 1.26's default port (`:None` in the request line) is the pool Starting new named with its port", () => {
    const [failure] = failures([
      '2026-12-03 04:15:20,000 DEBUG urllib3.connectionpool: Starting new HTTP connection (1): api.example.test:80',
      '2026-12-03 04:15:20,050 DEBUG urllib3.connectionpool: http://api.example.test:None "GET /api/items HTTP/1.1" 200 32',
      `2026-12-03 04:16:35,300 ERROR tests.poller: poll of http://api.example.test/api/items failed: ${DISCONNECTED}`,
    ]);
    assert.deepEqual([failure!.pooled?.host, failure!.pooled?.port, failure!.pooled?.idleMs], ['api.example.test', 80, 75_250]);
  });

  it("with thread names in the layout each thread's pool is its own: another thread's new connection is not this one's", () => {
    // samples/16-stale-keepalive/client.log: 8 pollers, one Session each, %(threadName)s in the layout.
    const [failure] = failures([
      '2026-11-24 23:06:46,258 DEBUG    Thread-7 (poller) urllib3.connectionpool: http://127.0.0.1:27320 "GET /api/items HTTP/1.1" 200 32',
      '2026-11-24 23:06:47,140 DEBUG    Thread-6 (poller) urllib3.connectionpool: Resetting dropped connection: 127.0.0.1',
      '2026-11-24 23:06:47,141 DEBUG    Thread-6 (poller) urllib3.connectionpool: http://127.0.0.1:27320 "GET /api/items HTTP/1.1" 200 32',
      `2026-11-24 23:06:47,259 ERROR    Thread-7 (poller) tests.poller: poll of /api/items failed after 0.9987 s idle: ${DISCONNECTED}`,
    ]);
    assert.deepEqual([failure!.pooled?.idleMs, failure!.pooled?.since.line, failure!.pooled?.threaded], [1001, 1, true]);
  });
});
