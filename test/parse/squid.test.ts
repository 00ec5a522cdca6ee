import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestFormat } from '../../src/discover/detect.js';
import { nginxAccessFormat } from '../../src/parse/access-log.js';
import { FORMATS } from '../../src/parse/formats.js';
import { isSquidHttpdLine, SQUID_FORMAT } from '../../src/parse/squid.js';
import { parseLines } from '../../src/parse/run-lines.js';

// One Squid 5.7 (Debian 12) on 127.0.0.1 writing three access logs at once: the native format and
// the built-in `common` and `combined` logformats (local run). Per transaction: native, common, combined.
const SAME_TRANSACTIONS = [
  [
    '1796457049.149    681 127.0.0.1 TCP_MISS/504 3501 GET http://127.0.0.1:39181/slow? - HIER_DIRECT/127.0.0.1 text/html',
    '127.0.0.1 - - [05/Dec/2026:07:50:49 +0000] "GET http://127.0.0.1:39181/slow? HTTP/1.1" 504 3501 TCP_MISS:HIER_DIRECT',
    '127.0.0.1 - - [05/Dec/2026:07:50:49 +0000] "GET http://127.0.0.1:39181/slow? HTTP/1.1" 504 3501 "-" "python-requests/2.34.2" TCP_MISS:HIER_DIRECT',
  ],
  [
    '1796457052.196      0 127.0.0.1 TCP_MISS/503 3478 GET http://127.0.0.1:39184/api/down - HIER_DIRECT/127.0.0.1 text/html',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "GET http://127.0.0.1:39184/api/down HTTP/1.1" 503 3478 TCP_MISS:HIER_DIRECT',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "GET http://127.0.0.1:39184/api/down HTTP/1.1" 503 3478 "-" "python-requests/2.34.2" TCP_MISS:HIER_DIRECT',
  ],
  [
    '1796457052.277      0 127.0.0.1 TCP_DENIED/403 3459 GET http://api.blocked.test/v1/sync - HIER_NONE/- text/html',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "GET http://api.blocked.test/v1/sync HTTP/1.1" 403 3459 TCP_DENIED:HIER_NONE',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "GET http://api.blocked.test/v1/sync HTTP/1.1" 403 3459 "-" "python-requests/2.34.2" TCP_DENIED:HIER_NONE',
  ],
  [
    '1796457052.326      7 127.0.0.1 TCP_TUNNEL/200 516 CONNECT 127.0.0.1:39181 - HIER_DIRECT/127.0.0.1 -',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "CONNECT 127.0.0.1:39181 HTTP/1.1" 200 516 TCP_TUNNEL:HIER_DIRECT',
    '127.0.0.1 - - [05/Dec/2026:07:50:52 +0000] "CONNECT 127.0.0.1:39181 HTTP/1.1" 200 516 "-" "python-requests/2.34.2" TCP_TUNNEL:HIER_DIRECT',
  ],
];

// What the formats agree on: the native one alone has milliseconds, the elapsed time and the peer.
const SHARED_FIELDS = ['source', 'kind', 'closedBy', 'status', 'method', 'host', 'port', 'path', 'proxyCode', 'clientAddr', 'timeQuality'] as const;

const detected = (lines: string[], name: string) => bestFormat(lines, name, FORMATS)?.format.source;

describe('squid', () => {
  it('gives one transaction the same event in its native, common and combined lines', () => {
    for (const [native, ...httpd] of SAME_TRANSACTIONS) {
      const [want] = parseLines(SQUID_FORMAT, [native!]).events;
      for (const line of httpd) {
        const [got] = parseLines(SQUID_FORMAT, [line]).events;
        assert.ok(got, line);
        for (const field of SHARED_FIELDS) assert.deepEqual(got[field], want![field], `${field} of ${line}`);
        assert.equal(Math.floor(want!.time! / 1000) * 1000, got.time, line);
      }
    }
  });

  it('claims a common or combined access log, named access.log, from nginx', () => {
    const common = SAME_TRANSACTIONS.map(([, line]) => line!);
    const combined = SAME_TRANSACTIONS.map(([, , line]) => line!);
    assert.equal(detected(common, 'proxy/access.log'), 'squid');
    assert.equal(detected(combined, 'proxy/access.log'), 'squid');
  });

  it('never takes nginx combined lines for Squid\'s, with or without fields appended', () => {
    const nginx = [
      ...nginxAccessFormat.examples.flatMap((example) => example.lines),
      // Hand-written in nginx's combined shape: an absolute URL (sent as to a proxy), and $http_x_forwarded_for $upstream_cache_status appended.
      '127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET http://127.0.0.1:8080/api/items HTTP/1.1" 200 17 "-" "python-requests/2.34.2"',
      '127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET /api/items HTTP/1.1" 200 17 "-" "python-requests/2.34.2" "-" MISS',
    ];
    for (const line of nginx) assert.equal(isSquidHttpdLine(line), false, line);
    assert.equal(detected(nginx, 'nginx/access.log'), 'nginx-access');
  });
});
