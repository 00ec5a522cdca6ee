import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appAccessFormat, nginxAccessFormat } from '../../src/parse/access-log.js';
import { parseLines } from '../../src/parse/run-lines.js';

describe('access log parser', () => {
  it('reads a combined line with appended timings, its zone exactly (nginx 1.22.1, local run)', () => {
    const { events } = parseLines(nginxAccessFormat, [
      '127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET /api/reset HTTP/1.1" 502 157 "-" "python-requests/2.34.2" 0.001 0.000 502',
      '10.1.2.3 - alice [24/Nov/2026:14:40:01 +0800] "POST /api/items?x=1 HTTP/2.0" 201 17 "https://a.example/" "Mozilla/5.0 (X11; Linux x86_64)"',
    ], 'nginx/access.log');
    assert.deepEqual(events.map((e) => [e.kind, e.status, e.method, e.path, e.clientAddr, e.time, e.timeQuality, e.utcOffset, e.zoneless]), [
      ['server-error', 502, 'GET', '/api/reset', '127.0.0.1', Date.UTC(2026, 10, 24, 21, 58, 40), 'exact', 0, undefined],
      ['request', 201, 'POST', '/api/items?x=1', '10.1.2.3', Date.UTC(2026, 10, 24, 6, 40, 1), 'exact', 480, undefined],
    ]);
    assert.equal(events[0]!.id, 'nginx/access.log:1');
    assert.equal(events[0]!.source, 'nginx-access');
  });

  it('reads each line by its own stamp, however the stamps before it repeat (one stamp read per second)', () => {
    const at = (stamp: string) => `127.0.0.1 - - [${stamp}] "GET /x HTTP/1.1" 200 1 "-" "-"`;
    const { events, problems } = parseLines(nginxAccessFormat, [
      at('24/Nov/2026:21:58:40 +0000'),
      at('24/Nov/2026:21:58:40 +0000'),
      at('24/Nov/2026:21:58:40 +0800'),
      at('24/Nov/2026:21:58:40 +0000'),
      at('24/Nov/2026:21:58:41 -0130'),
      at('24/Xyz/2026:21:58:41 -0130'),
    ]);
    const wall = Date.UTC(2026, 10, 24, 21, 58, 40);
    assert.deepEqual(events.map((e) => [e.time, e.utcOffset]), [[wall, 0], [wall, 0], [wall - 8 * 3600_000, 480], [wall, 0], [wall + 1000 + 90 * 60_000, -90]]);
    assert.deepEqual(problems.map((p) => p.line), [6]);
  });

  it('maps statuses that speak about the connection', () => {
    const line = (status: number) => `127.0.0.1 - - [24/Nov/2026:21:58:41 +0000] "GET /x HTTP/1.1" ${status} 0 "-" "-"`;
    const statuses = [200, 304, 400, 401, 403, 404, 408, 413, 429, 444, 499, 500, 502, 503, 504];
    const { events } = parseLines(nginxAccessFormat, statuses.map(line));
    assert.deepEqual(events.map((e) => e.kind), [
      'request', 'request', 'bad-request', 'unauthorized', 'unauthorized', 'request', 'client-timeout', 'body-too-large',
      'rate-limited', 'server-closed', 'client-closed', 'server-error', 'server-error', 'server-error', 'upstream-timeout',
    ]);
  });

  it('reports malformed and truncated lines instead of guessing, and reads CRLF and CI-prefixed lines', () => {
    const { events, problems } = parseLines(nginxAccessFormat, [
      '2026-11-24T21:58:45.000Z 127.0.0.1 - - [24/Nov/2026:21:58:45 +0000] "GET /api/items HTTP/1.1" 200 17 "-" "python-requests/2.34.2" 0.001 0.001 200\r',
      '127.0.0.1 - - [24/Nov/2026:21:58:45 +0000] "GET /api/ite',
      '127.0.0.1 - - [99/Foo/2026:21:58:45 +0000] "GET / HTTP/1.1" 200 1 "-" "-"',
      'Serving HTTP on 127.0.0.1 port 18181 (http://127.0.0.1:18181/) ...',
    ]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.status, 200);
    assert.deepEqual(problems.map((p) => p.line), [2, 3, 4]);
  });

  it('reads Python http.server lines zone-less, and its "code N" note without a twin event', () => {
    const { events } = parseLines(appAccessFormat, [
      '127.0.0.1 - - [24/Nov/2026 22:06:28] code 404, message File not found',
      '127.0.0.1 - - [24/Nov/2026 22:06:28] "GET /api/x HTTP/1.1" 404 -',
    ]);
    assert.deepEqual(events.map((e) => [e.source, e.kind, e.status, e.zoneless, e.timeQuality]), [
      ['app-access', 'other', 404, true, 'inferred'],
      ['app-access', 'request', 404, true, 'inferred'],
    ]);
  });

  it('detects each variant from content only', () => {
    const nginx = ['127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET /api/items HTTP/1.1" 200 17 "-" "python-requests/2.34.2" 0.001 0.001 200'];
    const app = ['127.0.0.1 - - [24/Nov/2026 22:06:28] "GET /api/x HTTP/1.1" 404 -'];
    assert.ok(nginxAccessFormat.detect(nginx, 'x') > 0.9);
    assert.equal(nginxAccessFormat.detect(app, 'access.log'), 0);
    assert.ok(appAccessFormat.detect(app, 'x') > 0.9);
    assert.equal(appAccessFormat.detect(nginx, 'x'), 0);
    assert.equal(nginxAccessFormat.detect(['2026/11/24 21:58:34 [notice] 3421#3421: start worker processes'], 'access.log'), 0);
  });
});
