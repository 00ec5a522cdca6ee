import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { parseLines } from '../../src/parse/run-lines.js';

const parse = (lines: string[]) => parseLines(nginxErrorFormat, lines, 'nginx/error.log');
const kinds = (lines: string[]) => parse(lines).events.map((e) => e.kind);

describe('nginx error log parser', () => {
  it('reads every field of an upstream reset (nginx 1.22.1, local run)', () => {
    const [e] = parse([
      '2026/11/24 21:58:40 [error] 3425#3425: *1 recv() failed (104: Connection reset by peer) while reading response header from upstream, client: 127.0.0.1, server: localhost, request: "GET /api/reset?x=1 HTTP/1.1", upstream: "http://127.0.0.1:19001/api/reset?x=1", host: "127.0.0.1:18080", referrer: "http://127.0.0.1:18080/"',
    ]).events;
    assert.deepEqual(
      { ...e, excerpt: undefined },
      {
        id: 'nginx/error.log:1',
        source: 'nginx-error',
        kind: 'upstream-reset',
        time: Date.UTC(2026, 10, 24, 21, 58, 40),
        timeQuality: 'inferred',
        zoneless: true,
        file: 'nginx/error.log',
        line: 1,
        excerpt: undefined,
        level: 'error',
        message: 'recv() failed (104: Connection reset by peer) while reading response header from upstream',
        phase: 'reading response header from upstream',
        pid: 3425,
        connId: '1',
        closedBy: 'server',
        errno: 104,
        errnoName: 'ECONNRESET',
        clientAddr: '127.0.0.1',
        method: 'GET',
        path: '/api/reset?x=1',
        upstream: 'http://127.0.0.1:19001/api/reset?x=1',
        host: '127.0.0.1',
        port: 18080,
      },
    );
  });

  it('tells the failures apart by message (wording from nginx src and public reports)', () => {
    assert.deepEqual(
      kinds([
        '2026/11/24 06:40:01 [error] 31#31: *31 no live upstreams while connecting to upstream, client: 10.0.0.5, server: api, request: "GET /api/x HTTP/1.1", upstream: "http://backend/api/x", host: "api.example"',
        '2026/11/24 06:40:01 [info] 31#31: *3 writev() failed (32: Broken pipe) while sending to client, client: 10.0.0.5, server: api, request: "GET /big HTTP/1.1", upstream: "http://127.0.0.1:9000/big", host: "api.example"',
        '2026/11/24 06:40:01 [info] 31#31: *9 recv() failed (104: Connection reset by peer) while reading client request line, client: 10.0.0.5, server: api',
        '2026/11/24 06:40:01 [error] 31#31: *12 readv() failed (104: Connection reset by peer) while reading upstream, client: 10.0.0.5, server: api, request: "GET /dl HTTP/1.1", upstream: "http://127.0.0.1:9000/dl", host: "api.example"',
        '2026/11/24 06:40:01 [info] 31#31: *13 SSL_do_handshake() failed (SSL: error:14094416:SSL routines:ssl3_read_bytes:sslv3 alert certificate unknown:SSL alert number 46) while SSL handshaking, client: 10.0.0.5, server: 0.0.0.0:443',
        '2026/11/24 06:40:01 [alert] 31#31: *1024 1024 worker_connections are not enough while connecting to upstream, client: 10.0.0.5, server: api, request: "GET / HTTP/1.1", upstream: "http://127.0.0.1:9000/", host: "api.example"',
        '2026/11/24 06:40:01 [crit] 31#31: accept4() failed (24: Too many open files)',
        '2026/11/24 06:40:01 [error] 31#31: *40 limiting connections by zone "perip", client: 10.0.0.5, server: api, request: "GET /api/conn HTTP/1.1", host: "api.example"',
        '2026/11/24 06:40:01 [notice] 1#1: signal 15 (SIGTERM) received from 77, exiting',
        '2026/11/24 06:40:01 [notice] 30#30: exiting',
        '2026/11/24 06:40:01 [notice] 30#30: exit',
        '2026/11/24 06:40:01 [notice] 1#1: worker process 30 exited with code 0',
        '2026/11/24 06:40:01 [warn] 31#31: *50 an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/1/00/0000000001 while reading upstream, client: 10.0.0.5, server: api',
        '2026/11/24 06:40:01 [info] 31#31: *60 client closed connection while waiting for request, client: 10.0.0.5, server: 0.0.0.0:80',
      ]),
      [
        'no-live-upstreams',
        'client-closed',
        'client-closed',
        'upstream-reset',
        'tls-handshake-failed',
        'worker-exhausted',
        'fd-exhausted',
        'conn-limited',
        'reload',
        'reload',
        'other',
        'other',
        'other',
        'client-closed',
      ],
    );
  });

  it('counts an idle keep-alive close from debug lines only when the keep-alive handler was set', () => {
    const events = parse([
      '2026/11/24 06:40:01 [debug] 31#31: *5 set http keepalive handler',
      '2026/11/24 06:40:06 [debug] 31#31: *5 close http connection: 3',
      '2026/11/24 06:40:06 [debug] 31#31: *6 close http connection: 4',
    ]).events;
    assert.deepEqual(events.map((e) => [e.kind, e.closedBy]), [['other', undefined], ['keepalive-closed', 'server'], ['other', undefined]]);
  });

  it('reports lines that are not nginx error lines, and survives a truncated line and CRLF', () => {
    const { events, problems } = parse([
      'nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)',
      '2026/11/24 06:40:01 [error] 31#31: *7 upstream timed out (110: Connection timed out) while reading response header from upstream, client: 10.0.0.5, server: api, request: "GET /api/slow HTT\r',
      '2026/11/24 06:40',
      '',
    ]);
    assert.deepEqual(problems.map((p) => p.line), [1, 3]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.kind, 'upstream-timeout');
    assert.equal(events[0]!.method, 'GET');
    assert.equal(events[0]!.path, '/api/slow');
  });

  it('detects from content: nginx error lines yes, pytest and access lines no', () => {
    assert.ok(nginxErrorFormat.detect(['2026/11/24 21:58:34 [notice] 3421#3421: using the "epoll" event method'], 'x') > 0.9);
    assert.equal(nginxErrorFormat.detect(['127.0.0.1 - - [24/Nov/2026:21:58:40 +0000] "GET / HTTP/1.1" 200 17 "-" "curl/8"'], 'error.log'), 0);
    assert.equal(nginxErrorFormat.detect(['2026-11-24 21:58:40,594 DEBUG urllib3.connectionpool: Starting new HTTP connection (1): 127.0.0.1:18080'], 'error.log'), 0);
  });
});
