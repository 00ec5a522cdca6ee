import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cleanLine } from '../../src/read/clean.js';
import { CiPrefixReader, prefixEnd, unwrapCiPrefix, type UnwrapResult } from '../../src/read/ci-prefix.js';

const T = Date.UTC(2026, 10, 24, 6, 40, 1, 123);

describe('CI prefixes', () => {
  it('strips GitHub Actions, GitLab and Jenkins prefixes and keeps their time', () => {
    assert.deepEqual(unwrapCiPrefix('2026-11-24T06:40:01.1234567Z tests/test_api.py F'), { text: 'tests/test_api.py F', time: T });
    assert.deepEqual(unwrapCiPrefix('2026-11-24T06:40:01.123456Z 00O+ collected 4 items'), { text: 'collected 4 items', time: T });
    assert.deepEqual(unwrapCiPrefix('[2026-11-24T06:40:01.123Z] + pytest -q'), { text: '+ pytest -q', time: T });
  });

  it('reads GitLab section markers, CR overwrites and colours away (clean.ts)', () => {
    const raw = '\x1b[0Ksection_start:1732430401:step_script\r\x1b[0K\x1b[32;1m$ pytest\x1b[0;m\r';
    assert.equal(unwrapCiPrefix(cleanLine(raw)).text, '$ pytest');
  });

  it('strips docker compose service prefixes, also with `logs -t` stamps and inside a GitHub prefix', () => {
    // docker compose v2 (`docker compose up` / `logs`), service names padded to one width
    assert.deepEqual(unwrapCiPrefix('web-1    | 2026/11/24 06:40:01 [error] 29#29: *1 connect() failed (111: Connection refused)'), {
      text: '2026/11/24 06:40:01 [error] 29#29: *1 connect() failed (111: Connection refused)',
      time: undefined,
      stream: 'web-1',
    });
    assert.deepEqual(unwrapCiPrefix('proj_api_1  | INFO:     127.0.0.1:51234 - "GET /api/x HTTP/1.1" 200 OK'), {
      text: 'INFO:     127.0.0.1:51234 - "GET /api/x HTTP/1.1" 200 OK',
      time: undefined,
      stream: 'proj_api_1',
    });
    assert.deepEqual(unwrapCiPrefix('api-1  | 2026-11-24T06:40:01.123456789Z Traceback (most recent call last):'), {
      text: 'Traceback (most recent call last):',
      time: T,
      stream: 'api-1',
    });
    assert.deepEqual(unwrapCiPrefix('2026-11-24T06:40:01.1234567Z nginx-1  | 127.0.0.1 - - [24/Nov/2026:06:40:01 +0000] "GET / HTTP/1.1" 200 5'), {
      text: '127.0.0.1 - - [24/Nov/2026:06:40:01 +0000] "GET / HTTP/1.1" 200 5',
      time: T,
      stream: 'nginx-1',
    });
  });

  it('strips journald prefixes except HAProxy and kernel ones, which their parsers read', () => {
    assert.deepEqual(unwrapCiPrefix('2026-11-24T06:40:01+0000 runner python3[311]: ConnectionResetError: [Errno 104] Connection reset by peer'), {
      text: 'ConnectionResetError: [Errno 104] Connection reset by peer',
      time: Date.UTC(2026, 10, 24, 6, 40, 1),
    });
    assert.deepEqual(unwrapCiPrefix('Nov 24 06:40:01 runner app[311]: upstream timed out'), { text: 'upstream timed out', time: undefined });
    const haproxy = 'Nov 24 22:04:14 vm haproxy[9691]: 127.0.0.1:59236 [24/Nov/2026:22:04:14.759] fe_api fe_api/<NOSRV> -1/-1/-1/-1/0 -1 0 - - PR-- 1/1/0/0/0 0/0 "GET /x HTTP/1.1"';
    assert.equal(unwrapCiPrefix(haproxy).text, haproxy);
    const kernel = '2026-11-24T06:40:01+0000 runner kernel: WHORESET-FW: IN=veth1 OUT= SRC=10.200.0.1 DST=10.200.0.2 PROTO=TCP SPT=1 DPT=2 RST';
    assert.equal(unwrapCiPrefix(kernel).text, kernel);
  });

  it('leaves program lines alone that only look like prefixes', () => {
    for (const line of [
      '2026-11-24T22:04:29,247566+00:00 WHORESET-FW: IN=wrlab-fw0 OUT= SRC=10.200.7.2 DST=10.200.7.1 PROTO=TCP', // dmesg --time-format iso
      '2026-11-24T21:59:17.701918+00:00 127.0.0.1:47510 [24/Nov/2026:21:59:17.701] fe be_ok/s1 0/0/0/0/0 200 51 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"', // HAProxy format iso
      '2026-11-24 06:40:01,123 WARNING urllib3.connectionpool: Retrying', // Python logging
      '2026/11/24 06:40:01 [error] 29#29: *1 upstream prematurely closed connection', // nginx
      '| name | value |',
      'a | b',
      'Nov 24 is the date',
    ]) {
      assert.deepEqual(unwrapCiPrefix(line), { text: line, time: undefined }, line);
    }
  });

  it('reads the milliseconds from a GitHub Actions fraction of any length, the first three digits', () => {
    const at = (fraction: string) => unwrapCiPrefix(`2026-11-24T06:40:01${fraction}Z x`).time! - Date.UTC(2026, 10, 24, 6, 40, 1);
    assert.deepEqual(['', '.1', '.12', '.123', '.1234567', '.987654321', '.05', '.000000009'].map(at), [0, 100, 120, 123, 123, 987, 50, 0]);
  });

  it('gives each line the time of its own second, also when consecutive stamps change second', () => {
    const times = ['06:40:01.5', '06:40:01.9', '06:40:02.1', '06:41:02.1', '07:41:02.1', '06:40:01.0', '06:40:01.2'].map(
      (clock) => unwrapCiPrefix(`2026-11-24T${clock}Z line`).time,
    );
    const ms = (h: number, m: number, s: number, milli: number) => Date.UTC(2026, 10, 24, h, m, s, milli);
    assert.deepEqual(times, [ms(6, 40, 1, 500), ms(6, 40, 1, 900), ms(6, 40, 2, 100), ms(6, 41, 2, 100), ms(7, 41, 2, 100), ms(6, 40, 1, 0), ms(6, 40, 1, 200)]);
    assert.equal(unwrapCiPrefix('2026-11-25T06:40:01.2Z line').time, Date.UTC(2026, 10, 25, 6, 40, 1, 200));
    assert.equal(unwrapCiPrefix('2027-11-24T06:40:01.2Z line').time, Date.UTC(2027, 10, 24, 6, 40, 1, 200));
  });

  it('strips GitLab section markers after the stamp, and only well-formed ones', () => {
    const T0 = Date.UTC(2026, 10, 24, 6, 40, 1, 500);
    for (const [marker, text] of [
      ['00O ', 'x'],
      ['00O+ ', 'x'],
      ['0fE ', 'x'],
      ['a1E+ ', 'x'],
      ['00X ', '00X x'], // neither O(ut) nor E(rr)
      ['0FE ', '0FE x'], // GitLab writes lowercase hex
      ['00O+x', '00O+x'],
      ['00Ox ', '00Ox x'],
    ] as const) {
      assert.deepEqual(unwrapCiPrefix(`2026-11-24T06:40:01.5Z ${marker}${marker.endsWith('x') ? '' : 'x'}`), { text, time: T0 }, marker);
    }
  });

  it('rejects malformed stamps as before, and strips a stamp with an impossible date without a time', () => {
    for (const line of ['2026-11-24T06:40:01.Z x', '2026-11-24T06:40:01Zx', '2026-11-24T06:40:01z x', '2026-11-24T06:40:1Z x', '2026-11-24 06:40:01Z x', '202-11-24T06:40:01Z x']) {
      assert.deepEqual(unwrapCiPrefix(line), { text: line, time: undefined }, line);
    }
    // One reader for the three lines: the second it keeps is the cache.
    const reader = new CiPrefixReader();
    const out: UnwrapResult = { text: '', time: undefined, stream: undefined };
    reader.unwrapInto('2026-13-01T00:00:00.5Z a', out);
    assert.deepEqual(out, { text: 'a', time: undefined, stream: undefined });
    reader.unwrapInto('2026-13-01T00:00:00.7Z b', out); // the same second, cached
    assert.deepEqual(out, { text: 'b', time: undefined, stream: undefined });
    reader.unwrapInto('2026-11-24T06:40:01.5Z c', out);
    assert.equal(out.time, Date.UTC(2026, 10, 24, 6, 40, 1, 500));
  });

  it('fills one reused result per line, stream included, and skips the compose test when told there is no bar', () => {
    const out: UnwrapResult = { text: '', time: undefined, stream: undefined };
    const reader = new CiPrefixReader();
    reader.unwrapInto('2026-11-24T06:40:01.123Z web-1  | up', out);
    assert.deepEqual(out, { text: 'up', time: T, stream: 'web-1' });
    reader.unwrapInto('plain', out);
    assert.deepEqual(out, { text: 'plain', time: undefined, stream: undefined });
    reader.unwrapInto('web-1  | up', out, false);
    assert.deepEqual(out, { text: 'web-1  | up', time: undefined, stream: undefined });
  });

  it('finds on bytes where the text starts past a prefix, as unwrapInto strips it, or declines (prefixEnd)', () => {
    const stamps = ['2026-11-24T06:40:01.1234567Z ', '2026-11-24T06:40:01Z ', '2026-11-24T06:40:01.123456Z 00O ', '2026-11-24T06:40:01.5Z 0fE+ ', '2026-13-01T00:00:00.5Z '];
    const jenkins = ['[2026-11-24T06:40:01.123Z] ', '[2026-11-24T06:40:01Z] ', '[2026-11-24T06:40:01.5+01:00] ', '[2026-11-24T06:40:01-0530] '];
    const malformed = [
      '2026-11-24T06:40:01.Z ', '2026-11-24T06:40:01Zx', '2026-11-24T06:40:01z ', '2026-11-24T06:40:1Z ', '202-11-24T06:40:01Z ', '2026-11-24T06:40:01.5Z 00X ',
      '2026-11-24T06:40:01.5Z 0FE ', '2026-11-24T06:40:01.5Z 0gO ', '2026-11-24T06:40:01.5Z :0O ', '2026-11-24T06:40:01.5Z 00O+x', '2026-11-24T06:40:01.5Z 00O', '2026-11-24T06:40:01.5Z 00O+', '2026-11-24T06:40:01.5Z',
      '[2026-11-24T06:40:01.123Z]', '[2026-11-24T06:40:01.Z] ', '[2026-11-24T06:40:01+01:0] ', '[2026-11-24T06:40:01+01] ', '[2026-11-24T06:40:01+0100]x', '[2026-11-24 06:40:01,123] ', '[x] ',
      '2026-11-24T06:40:01+0000 runner python3[311]: ', '2026-11-24T06:40:01+0000 runner kernel: ', 'Nov 24 06:40:01 runner app[311]: ', 'Nov 24 is ',
      '2026-11-24 06:40:01,123 ', '2026/11/24 06:40:01 ', '1', '12345678901', '', 'Z', '[',
    ];
    const prefixed = (prefix: string) => [prefix, `${prefix}tests/test_api.py::test_x PASSED [ 50%]`, `${prefix}x`];
    const wellFormed = new Set([...stamps, ...jenkins].flatMap(prefixed));
    const lines = [...stamps, ...jenkins, ...malformed].flatMap(prefixed);
    let declined = 0;
    for (const line of lines) {
      // The line among others in one buffer, as the reader offers it: nothing past its end may be read as its own.
      for (const after of ['\n', '\r\n', '\n2026-11-24T06:40:01.5Z 00O+ more\n', '\n[2026-11-24T06:40:01Z] more\n', '\nNov 24 06:40:01 runner app[311]: more\n']) {
        const buffer = Buffer.from(`2026-11-24T06:40:01Z before\n${line}${after}`, 'latin1');
        const start = buffer.indexOf(10) + 1;
        const end = start + line.length;
        const at = prefixEnd(buffer, start, end);
        const out: UnwrapResult = { text: '', time: undefined, stream: undefined };
        new CiPrefixReader().unwrapInto(line, out, false);
        if (at === -1) {
          assert.ok(!wellFormed.has(line), `a well-formed prefix declined: ${JSON.stringify(line)}`);
          declined++;
          continue;
        }
        assert.equal(buffer.toString('latin1', at, end), out.text, JSON.stringify(line));
      }
    }
    // Left to unwrapInto: journald's prefixes, what looks like one or like a broken Jenkins prefix.
    assert.ok(declined > 0 && declined < lines.length * 5 - wellFormed.size * 5, `${declined} declined`);
  });
});
