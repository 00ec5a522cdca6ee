import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIREWALL_FORMAT } from '../../src/parse/kernel-firewall.js';
import { parseLines } from '../../src/parse/run-lines.js';

// Lab lines: Linux dmesg after `iptables -j LOG` on 127.0.0.1 (repo lab run), and samples/12-firewall-reset.
const LAB_ISO =
  '2026-11-24T22:04:29,247566+00:00 WHORESET-FW: IN=wrlab-fw0 OUT= MAC=c6:8b:54:b7:76:15:2e:26:fa:67:cd:2d:08:00 SRC=10.200.7.2 DST=10.200.7.1 LEN=210 TOS=0x00 PREC=0x00 TTL=64 ID=13878 DF PROTO=TCP SPT=38068 DPT=27240 WINDOW=63 RES=0x00 ACK PSH URGP=0 ';

describe('kernel firewall', () => {
  it('reads the lab sample (dmesg --time-format iso)', () => {
    const { events } = parseLines(FIREWALL_FORMAT, [LAB_ISO]);
    const e = events[0]!;
    assert.equal(e.kind, 'firewall-drop');
    assert.equal(e.closedBy, 'firewall');
    assert.equal(e.proxyCode, 'WHORESET-FW');
    assert.equal(e.clientAddr, '10.200.7.2');
    assert.equal(e.clientPort, 38068);
    assert.equal(e.host, '10.200.7.1');
    assert.equal(e.port, 27240);
    assert.equal(e.time, Date.UTC(2026, 10, 24, 22, 4, 29, 247));
    assert.equal(e.timeQuality, 'exact');
    assert.equal(e.message, 'WHORESET-FW IN=wrlab-fw0 OUT= PROTO=TCP ACK PSH');
  });

  it('dates year-less syslog stamps from a CI prefix, and leaves them untimed without one', () => {
    const line = 'Nov 24 06:40:01 ci kernel: [12345.678901] WHORESET-FW: IN=veth1 OUT= SRC=10.200.0.1 DST=10.200.0.2 LEN=60 PROTO=TCP SPT=40000 DPT=8080 SYN URGP=0';
    assert.equal(parseLines(FIREWALL_FORMAT, [line]).events[0]!.time, null);
    const withPrefix = parseLines(FIREWALL_FORMAT, ['2026-11-24T06:40:02.0000000Z ' + line]).events[0]!;
    assert.equal(withPrefix.time, Date.UTC(2026, 10, 24, 6, 40, 1));
    assert.equal(withPrefix.zoneless, true);
    assert.equal(withPrefix.timeQuality, 'inferred');
  });

  it('reads nftables `log prefix` lines with masked addresses and CRLF', () => {
    const { events } = parseLines(FIREWALL_FORMAT, [
      '[ 9043.118372] nft-drop IN=eth0 OUT= MAC=*** SRC=x.x.x.x DST=10.0.0.5 LEN=52 TOS=0x00 PREC=0x00 TTL=57 ID=0 DF PROTO=TCP SPT=*** DPT=443 WINDOW=502 RES=0x00 ACK FIN URGP=0 \r',
    ]);
    assert.equal(events[0]!.proxyCode, 'nft-drop');
    assert.equal(events[0]!.clientAddr, 'x.x.x.x');
    assert.equal(events[0]!.clientPort, undefined);
    assert.equal(events[0]!.port, 443);
    assert.equal(events[0]!.message, 'nft-drop IN=eth0 OUT= PROTO=TCP ACK FIN');
  });

  it('reads a LOG line without a prefix, and UDP', () => {
    const { events } = parseLines(FIREWALL_FORMAT, ['[  1.0] IN=eth0 OUT= SRC=10.0.0.1 DST=10.0.0.2 LEN=76 PROTO=UDP SPT=53 DPT=40000 LEN=56']);
    assert.equal(events[0]!.proxyCode, undefined);
    assert.equal(events[0]!.port, 40000);
  });

  it('claims kernel logs, not nginx, HAProxy or pytest files', () => {
    assert.ok(FIREWALL_FORMAT.detect([LAB_ISO], 'firewall.log') >= 0.9);
    assert.ok(FIREWALL_FORMAT.detect(['[    1.0] Linux version 6.1', '[    2.0] EXT4-fs (vda): mounted'], 'dmesg.txt') > 0.5);
    for (const other of [
      'Nov 24 22:04:14 vm haproxy[9691]: 127.0.0.1:59236 [24/Nov/2026:22:04:14.759] fe be/s1 0/0/0/0/0 200 1 - - ---- 1/1/0/0/0 0/0 "GET / HTTP/1.1"',
      '2026/11/24 22:04:14 [error] 12#12: *5 connect() failed (111: Connection refused) while connecting to upstream',
      '============================= test session starts ==============================',
      '[gw0] [ 50%] PASSED tests/test_api.py::test_items',
    ]) {
      assert.ok(FIREWALL_FORMAT.detect([other, other], 'x.log') < 0.2, other);
    }
  });
});
