import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HAPROXY_FORMAT, haproxyStateMeaning } from '../../src/parse/haproxy.js';
import { parseLines } from '../../src/parse/run-lines.js';

// Lines from the repo's lab run of HAProxy 2.6.12 (Debian 12) on 127.0.0.1 unless said otherwise.
const RAW_SH = '127.0.0.1:47512 [24/Nov/2026:21:59:17.708] fe be_close/s1 0/0/0/-1/0 502 209 - - SH-- 1/1/0/0/0 0/0 {127.0.0.1:8080} "GET /close?x=1 HTTP/1.1"';

describe('haproxy', () => {
  it('reads the same stream line from every transport the lab logged it through', () => {
    const forms = [
      RAW_SH, // log stdout format raw
      '2026-11-24T21:59:17.709627+00:00 ' + RAW_SH, // log stderr format iso
      '<134>Nov 24 21:59:17 haproxy[5050]: ' + RAW_SH, // UDP, RFC 3164 as HAProxy sends it
      '<134>1 2026-11-24T21:59:17.709591+00:00 - haproxy 5050 - - ' + RAW_SH, // UDP, format rfc5424
      '<6>' + RAW_SH, // log stdout format short
      '<6>2026-11-24T21:59:17.689030+00:00 ' + RAW_SH, // log stderr format timed
      'Nov 24 21:59:17 vm haproxy[9691]: ' + RAW_SH, // rsyslog file (samples/09-proxy-rejected)
      '2026-11-24T21:59:17+0000 vm haproxy[9691]: ' + RAW_SH, // journalctl -o short-iso
    ];
    for (const line of forms) {
      const { events } = parseLines(HAPROXY_FORMAT, [line]);
      assert.equal(events.length, 1, line);
      const e = events[0]!;
      assert.equal(e.kind, 'upstream-premature-close', line);
      assert.equal(e.clientPort, 47512);
      assert.equal(e.path, '/close');
      assert.equal(e.time, Date.UTC(2026, 10, 24, 21, 59, 17, 708), line);
    }
  });

  it('marks the zone-less accept date, and takes the zone of an ISO syslog stamp', () => {
    const [raw] = parseLines(HAPROXY_FORMAT, [RAW_SH]).events;
    assert.equal(raw!.zoneless, true);
    assert.equal(raw!.timeQuality, 'inferred');
    const [shanghai] = parseLines(HAPROXY_FORMAT, ['<134>1 2026-11-24T21:59:17.709+08:00 lb haproxy 1 - - ' + RAW_SH]).events;
    assert.equal(shanghai!.timeQuality, 'exact');
    assert.equal(shanghai!.zoneless, undefined);
    assert.equal(shanghai!.time, Date.UTC(2026, 10, 24, 13, 59, 17, 708));
  });

  it('maps the termination states as configuration.txt 8.5 defines them', () => {
    const cases: Array<[string, string, string | undefined]> = [
      ['CD--', 'client-closed', 'client'],
      ['CH--', 'client-closed', 'client'],
      ['cD--', 'client-timeout', 'proxy'],
      ['SC--', 'upstream-refused', 'server'],
      ['SH--', 'upstream-premature-close', 'server'],
      ['SD--', 'upstream-reset', 'server'],
      ['sC--', 'upstream-timeout', 'proxy'],
      ['sH--', 'upstream-timeout', 'proxy'],
      ['sQ--', 'capacity-exhausted', 'proxy'],
      ['CQ--', 'client-closed', 'client'],
      ['CC--', 'client-closed', 'client'],
      ['CL--', 'client-closed', 'client'],
      ['cR--', 'client-timeout', 'proxy'],
      ['CT--', 'proxy-closed', 'proxy'],
      ['PT--', 'proxy-closed', 'proxy'],
      ['PR--', 'proxy-closed', 'proxy'],
      ['PH--', 'server-error', 'proxy'],
      ['UD--', 'proxy-closed', 'proxy'],
      ['PD--', 'proxy-closed', 'proxy'],
      ['PC--', 'proxy-closed', 'proxy'],
      ['RC--', 'proxy-closed', 'proxy'],
      ['IH--', 'proxy-closed', 'proxy'],
      ['KD--', 'proxy-closed', 'proxy'],
      ['DD--', 'no-live-upstreams', 'proxy'],
      ['LR--', 'request', undefined],
      ['----', 'request', undefined],
    ];
    for (const [state, kind, closedBy] of cases) {
      const meaning = haproxyStateMeaning(state, 200, 's1');
      assert.equal(meaning.kind, kind, state);
      assert.equal(meaning.closedBy, closedBy, state);
    }
    assert.equal(haproxyStateMeaning('SC--', 503, '<NOSRV>').kind, 'no-live-upstreams');
    // PR is a deny (403) or the client's invalid request (400).
    assert.equal(haproxyStateMeaning('PR--', 400, '<NOSRV>').kind, 'bad-request');
    assert.equal(haproxyStateMeaning('----', 503, 's1').kind, 'server-error');
    assert.equal(haproxyStateMeaning('----', 429, 's1').kind, 'rate-limited');
  });

  it('reads samples/09 (PR with status -1), CRLF and ANSI-free pastes', () => {
    const { events } = parseLines(HAPROXY_FORMAT, [
      'Nov 24 22:04:14 vm haproxy[9691]: 127.0.0.1:59236 [24/Nov/2026:22:04:14.759] fe_api fe_api/<NOSRV> -1/-1/-1/-1/0 -1 0 - - PR-- 1/1/0/0/0 0/0 "GET /api/admin/stats HTTP/1.1"\r',
    ]);
    assert.equal(events[0]!.kind, 'proxy-closed');
    assert.equal(events[0]!.status, undefined);
    assert.equal(events[0]!.path, '/api/admin/stats');
  });

  it('joins a stream line wrapped in two (the doc example, with its backslash continuation)', () => {
    const { events } = parseLines(HAPROXY_FORMAT, [
      'Feb  6 12:12:56 localhost haproxy[14387]: 10.0.1.2:33313 [06/Feb/2009:12:12:51.443] fnt bck/srv1 \\',
      '          0/0/5007 212 -- 0/0/0/0/3 0/0',
      '127.0.0.1:59236 [24/Nov/2026:22:04:14.759] fe_api be/s1 0/0/0/0/0 200 10 - - ---- 1/1/0/0/0 0/0 "GET /a HTTP/1.1"',
    ]);
    assert.equal(events.length, 2);
    assert.equal(events[0]!.line, 1);
    assert.equal(events[0]!.proxyCode, '--');
    assert.equal(events[0]!.time, Date.UTC(2009, 1, 6, 12, 12, 56, 450));
    assert.equal(events[1]!.path, '/a');
  });

  it('never throws on garbage and cut lines', () => {
    const { events } = parseLines(HAPROXY_FORMAT, [
      '127.0.0.1:1 [99/Xyz/2026:99:99:99.999] fe be/s 0/0/0/0/0 200 1 - - ---- 1/1/1/1/0 0/0 "GET / HTTP/1.1"',
      '127.0.0.1:47512 [24/Nov/2026:21:59:17.708] fe be_close/s1 0/0/0/-1/0 50',
      '<134',
      '',
      '[',
    ]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.time, null);
  });

  it('claims HAProxy files and not nginx, pytest or Python logging files', () => {
    assert.ok(HAPROXY_FORMAT.detect([RAW_SH, RAW_SH], 'x.log') >= 0.9);
    assert.ok(HAPROXY_FORMAT.detect(['Nov 24 22:04:14 vm haproxy[9691]: Proxy fe_api started.', 'Nov 24 22:04:14 vm haproxy[9691]: ' + RAW_SH], 'x') >= 0.9);
    const nginxAccess = '127.0.0.1 - - [24/Nov/2026:22:04:14 +0000] "GET /api/items HTTP/1.1" 200 32 "-" "python-requests/2.32.3"';
    const nginxError = '2026/11/24 22:04:14 [error] 12#12: *5 upstream prematurely closed connection while reading response header from upstream, client: 127.0.0.1';
    const pytest = '============================= test session starts ==============================';
    const logging = '2026-11-24 22:04:29,243 DEBUG urllib3.connectionpool: Starting new HTTP connection (1): 10.200.7.1:27240';
    for (const other of [nginxAccess, nginxError, pytest, logging]) {
      assert.equal(HAPROXY_FORMAT.detect([other, other], 'haproxy.log') < 0.2, true, other);
    }
  });
});
