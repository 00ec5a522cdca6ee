/**
 * A syslog file of several programs (/var/log/syslog, `journalctl -o short-iso` exports): each line
 * goes to the parser of its program — HAProxy, the kernel (firewall LOG lines) — and every other
 * line to the client/fallback reader. The reader already took other programs' syslog prefixes off
 * (read/ci-prefix.ts) and kept these two; a file of one program is claimed by that program's format.
 */
import { createClientParser } from './client-failures.js';
import { createHaproxyParser } from './haproxy.js';
import { createFirewallParser } from './kernel-firewall.js';
import type { FormatParser } from './parser.js';
import { readSyslogPrefix, syslogShare } from './syslog-prefix.js';

export const SYSLOG_FORMAT: FormatParser = {
  source: 'other',
  title: 'syslog / journald file (several programs)',
  detect(firstLines) {
    // Both the proxy and the kernel in one file: neither's own format would read the other's lines.
    const haproxy = syslogShare(firstLines, ['haproxy']);
    const kernel = syslogShare(firstLines, ['kernel']);
    return haproxy > 0 && kernel > 0 ? 0.97 : 0;
  },
  create(ctx) {
    const haproxy = createHaproxyParser(ctx);
    const kernel = createFirewallParser(ctx);
    const other = createClientParser(ctx, { generic: true });
    return {
      line(text, no, prefixTime) {
        const program = readSyslogPrefix(text)?.program;
        if (program === 'haproxy') haproxy.line(text, no, prefixTime);
        else if (program === 'kernel') kernel.line(text, no, prefixTime);
        else other.line(text, no, prefixTime);
      },
      end() {
        haproxy.end();
        kernel.end();
        other.end();
      },
    };
  },
  examples: [
    {
      lines: [
        'Nov 24 06:40:00 ci-runner kernel: [  525.484911] WHORESET-FW: IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=60 PROTO=TCP SPT=37202 DPT=9199 SYN URGP=0',
        'Nov 24 06:40:01 ci-runner haproxy[5050]: 127.0.0.1:47512 [24/Nov/2026:06:40:01.708] fe be_close/s1 0/0/0/-1/0 502 209 - - SH-- 1/1/0/0/0 0/0 "GET /close HTTP/1.1"',
      ],
      expect: { source: 'firewall', kind: 'firewall-drop', line: 1 },
      origin: 'the lab kernel LOG and HAProxy lines as rsyslog files them in one file',
    },
    {
      lines: ['2026-11-24T06:40:01+0000 ci-runner kernel: WHORESET-FW: IN=veth1 OUT= SRC=10.200.0.1 DST=10.200.0.2 LEN=40 PROTO=TCP SPT=40000 DPT=8080 RST URGP=0'],
      expect: { source: 'firewall', kind: 'firewall-drop', proxyCode: 'WHORESET-FW', timeQuality: 'exact' },
      origin: '`journalctl -o short-iso` of a kernel LOG line',
    },
    {
      lines: ['2026-11-24T06:40:01+0000 ci-runner dockerd[812]: level=error msg="Handler for POST /v1.43/containers/create returned error: read unix @->/run/containerd/containerd.sock: read: connection reset by peer"'],
      expect: { kind: 'reset' },
      origin: 'dockerd message shape in journald (short-iso)',
    },
  ],
};
