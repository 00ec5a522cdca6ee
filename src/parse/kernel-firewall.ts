/**
 * Kernel `LOG` lines of iptables / nftables (`-j LOG --log-prefix "X: "`, `log prefix "X: "`):
 *   `WHORESET-FW: IN=veth1 OUT= MAC=… SRC=10.200.0.1 DST=10.200.0.2 LEN=60 … PROTO=TCP SPT=40000 DPT=8080 … SYN URGP=0`
 * as dmesg writes them (`[  525.484911] ` monotonic: no wall clock; `dmesg -T` `[Tue Nov 24 22:00:12 2026] `;
 * `dmesg --time-format iso`), and as syslog / journald write kernel messages (`host kernel: [123.45] …`).
 *
 * SRC/SPT → clientAddr/clientPort and DST/DPT → host/port, literally: a packet from the server to
 * the client (a RST it answers with) has them the other way round, and the flow matcher tries both.
 *
 * The log prefix is the rule's own name and says what the rule did: ufw writes `[UFW BLOCK] `,
 * `[UFW LIMIT BLOCK] `, `[UFW ALLOW] `, `[UFW AUDIT] ` (ufw's before/after rules), firewalld
 * (LogDenied) `filter_IN_public_REJECT: `, `filter_IN_public_DROP: `, `FINAL_REJECT: `. A packet a
 * rule let through (ALLOW, ACCEPT, AUDIT) is no drop: kind `other`, no side. REJECT answers the
 * client at once (RST, ICMP: it sees a reset or a refusal), DROP leaves it to time out; the prefix
 * stays in proxyCode and the TCP flags in the message for rules to tell them apart.
 */
import type { ConnectionEvent, TimeQuality } from '../model/event.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { isoStampAt, readSyslogPrefix, yearOf } from './syslog-prefix.js';
import { digitsAt, monthAt, utcOf } from './timestamps.js';

const TCP_FLAGS = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
/** Each flag as a word inside a line and at its end: made once, not twice a flag for every line. */
const FLAG_WORDS = TCP_FLAGS.map((flag) => ({ flag, inside: ` ${flag} `, last: ` ${flag}` }));
/** A prefix naming a rule that let the packet through, and none that stopped it. */
const PASSED = /(?:^|[\s_[])(?:ALLOW|ACCEPT|AUDIT)(?=$|[\s_\]:])/i;
const STOPPED = /BLOCK|DROP|REJECT|DENY/i;

interface Clock {
  time: number | null;
  timeQuality: TimeQuality;
  zoneless?: boolean;
}

/** `KEY=value` of a LOG line, value up to the next space; '' when the key is present but empty. */
function field(text: string, key: string): string | undefined {
  const at = text.indexOf(` ${key}=`);
  if (at === -1) return undefined;
  const start = at + key.length + 2;
  const end = text.indexOf(' ', start);
  return text.slice(start, end === -1 ? text.length : end);
}

function port(text: string | undefined): number | undefined {
  if (!text || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/** `[Tue Nov 24 22:00:12 2026]` (dmesg -T): local wall clock, read as UTC. */
function dmesgHumanTime(text: string): number | undefined {
  // "[Tue Nov 24 22:00:12 2026]": the weekday at 1, month at 5, day at 9.
  if (text.length < 26 || text.charCodeAt(25) !== 93) return undefined;
  return utcOf(digitsAt(text, 21, 4), monthAt(text, 5), digitsAt(text, 9, 2), digitsAt(text, 12, 2), digitsAt(text, 15, 2), digitsAt(text, 18, 2));
}

/**
 * The clock of a kernel line and where its message starts. `refYear` dates a syslog stamp without
 * a year: from a CI prefix or an earlier dated line of the file; without one the time is unknown.
 */
function kernelClock(text: string, refYear: number | undefined): Clock & { body: number } {
  // Each clock a new object, its body added by Object.assign: `{ ...clock, body }` costs a microsecond a line on Node 20.
  const c = text.charCodeAt(0);
  if (c === 91) {
    // dmesg: "[  525.484911] " (seconds since boot) or dmesg -T "[Tue Nov 24 22:00:12 2026] "
    const close = text.indexOf('] ');
    if (close === -1) return untimed(0);
    const wall = dmesgHumanTime(text);
    if (wall !== undefined) return { time: wall, timeQuality: 'inferred', zoneless: true, body: close + 2 };
    return untimed(close + 2);
  }
  if (c >= 48 && c <= 57 && text.charCodeAt(10) === 84) {
    // dmesg --time-format iso has no tag; journald short-iso has "host kernel: "
    const header = readSyslogPrefix(text);
    const stamp = isoStampAt(text, 0);
    // A log prefix like "WHORESET-FW: " reads as a syslog tag: only "kernel:" is one here.
    if (header && stamp) return Object.assign(clockOf(stamp.time, stamp.zoneless), { body: skipMonotonic(text, header.program === 'kernel' ? header.body : stamp.end + 1) });
  }
  if ((c >= 65 && c <= 90) || c === 60) {
    const header = readSyslogPrefix(text, refYear);
    if (header) {
      const body = skipMonotonic(text, header.body);
      return header.time === undefined ? untimed(body) : Object.assign(clockOf(header.time, header.zoneless), { body });
    }
  }
  return untimed(0);
}

/** A kernel line's clock where it has none, and where its message starts. */
function untimed(body: number): Clock & { body: number } {
  return { time: null, timeQuality: 'none', body };
}

function clockOf(time: number, zoneless: boolean): Clock {
  return zoneless ? { time, timeQuality: 'inferred', zoneless: true } : { time, timeQuality: 'exact' };
}

/** rsyslog keeps the kernel's "[12345.678901] " after "kernel: ". */
function skipMonotonic(text: string, at: number): number {
  if (text.charCodeAt(at) !== 91) return at;
  const close = text.indexOf('] ', at);
  return close === -1 || close - at > 20 ? at : close + 2;
}

/** Parses one kernel LOG line; undefined when the line is not one. */
export function parseFirewallLine(text: string, refYear: number | undefined): Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> | undefined {
  const inAt = text.indexOf('IN=');
  if (inAt === -1 || text.indexOf(' SRC=', inAt) === -1) return undefined;
  const clock = kernelClock(text, refYear);
  // The log prefix is everything between the kernel's own prefix and "IN=" (it may lack a space).
  const logPrefix = text.slice(clock.body, inAt).trim().replace(/:$/, '').trim();
  const line = ' ' + text.slice(inAt);
  const proto = field(line, 'PROTO');
  const flags = FLAG_WORDS.filter((word) => line.includes(word.inside) || line.endsWith(word.last)).map((word) => word.flag);
  const passed = PASSED.test(logPrefix) && !STOPPED.test(logPrefix);
  const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = {
    source: 'firewall',
    kind: passed ? 'other' : 'firewall-drop',
    time: clock.time,
    timeQuality: clock.timeQuality,
    clientAddr: field(line, 'SRC'),
    clientPort: port(field(line, 'SPT')),
    host: field(line, 'DST'),
    port: port(field(line, 'DPT')),
    message: [logPrefix, `IN=${field(line, 'IN') ?? ''} OUT=${field(line, 'OUT') ?? ''}`, proto ? `PROTO=${proto}` : '', ...flags].filter(Boolean).join(' '),
  };
  if (!passed) event.closedBy = 'firewall';
  if (clock.zoneless) event.zoneless = true;
  if (logPrefix) event.proxyCode = logPrefix;
  return event;
}

export function createFirewallParser(ctx: ParseContext): LineParser {
  let refYear: number | undefined;
  return {
    line(text, no, prefixTime) {
      if (prefixTime !== undefined) refYear = yearOf(prefixTime);
      // Cheap prefilter: a LOG line holds "IN=" and " SRC=".
      if (text.indexOf('IN=') === -1) {
        // Remember the year of dated lines, for syslog stamps that lack one.
        if (refYear === undefined && text.charCodeAt(0) === 91) {
          const wall = dmesgHumanTime(text);
          if (wall !== undefined) refYear = new Date(wall).getUTCFullYear();
        }
        return;
      }
      const parsed = parseFirewallLine(text, refYear);
      if (!parsed) return;
      ctx.emit(Object.assign(newEvent(ctx, no, text, parsed), parsed));
    },
    end() {},
  };
}

/** A kernel line: dmesg's "[…] ", or a syslog line from the kernel. */
function isKernelLine(line: string): boolean {
  const c = line.charCodeAt(0);
  if (c === 91) return /^\[\s*\d+\.\d+\] |^\[[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \d{4}\] /.test(line);
  if (c >= 48 && c <= 57 && line.charCodeAt(10) === 84 && isoStampAt(line, 0) && line.indexOf(',') === 19) return true; // dmesg iso
  return readSyslogPrefix(line)?.program === 'kernel';
}

export const FIREWALL_FORMAT: FormatParser = {
  source: 'firewall',
  title: 'kernel firewall LOG lines (iptables / nftables; dmesg, syslog, journald)',
  detect(firstLines, fileName) {
    let n = 0;
    let kernel = 0;
    let logLines = 0;
    for (const line of firstLines) {
      if (line.trim() === '') continue;
      n++;
      const isLog = line.includes('IN=') && line.includes(' SRC=') && line.includes(' DST=');
      if (isLog) logLines++;
      if (isLog || isKernelLine(line)) kernel++;
    }
    if (n === 0) return 0;
    const hint = /kern|dmesg|firewall|iptables|nft/i.test(fileName) ? 0.05 : 0;
    if (logLines > 0 && kernel / n >= 0.5) return 0.9 + hint;
    // A few LOG lines quoted in other text (a README, a chat paste): the fallback reads them too.
    if (logLines / n >= 0.2) return 0.4 + hint;
    if (kernel / n >= 0.6) return 0.55 + hint; // a kernel log whose first lines hold no LOG line yet
    return 0;
  },
  create: createFirewallParser,
  examples: [
    {
      lines: ['[  525.484911] WHORESET-FW-LAB:IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=965 DF PROTO=TCP SPT=37202 DPT=9199 WINDOW=65495 RES=0x00 SYN URGP=0 '],
      expect: { source: 'firewall', kind: 'firewall-drop', closedBy: 'firewall', proxyCode: 'WHORESET-FW-LAB', clientAddr: '127.0.0.1', clientPort: 37202, host: '127.0.0.1', port: 9199, time: null, timeQuality: 'none', message: 'WHORESET-FW-LAB IN= OUT=lo PROTO=TCP SYN' },
      origin: 'Linux 6.x dmesg, `iptables -j LOG --log-prefix WHORESET-FW-LAB:` before a REJECT with tcp-reset (lab run; prefix without a space)',
    },
    {
      lines: ['[Tue Nov 24 22:00:12 2026] FW-RST:IN=lo OUT= MAC=00:00:00:00:00:00:00:00:00:00:00:00:08:00 SRC=127.0.0.1 DST=127.0.0.1 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=9199 DPT=37202 WINDOW=0 RES=0x00 ACK RST URGP=0 '],
      expect: { proxyCode: 'FW-RST', clientPort: 9199, port: 37202, time: Date.UTC(2026, 10, 24, 22, 0, 12), zoneless: true, timeQuality: 'inferred', message: 'FW-RST IN=lo OUT= PROTO=TCP ACK RST' },
      origin: '`dmesg -T`, the RST the REJECT rule answered with (lab run)',
    },
    {
      lines: ['2026-11-24T22:00:12,484911+00:00 WHORESET-FW-LAB:IN= OUT=lo SRC=127.0.0.1 DST=127.0.0.1 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=965 DF PROTO=TCP SPT=37202 DPT=9199 WINDOW=65495 RES=0x00 SYN URGP=0 '],
      expect: { time: Date.UTC(2026, 10, 24, 22, 0, 12, 484), timeQuality: 'exact', proxyCode: 'WHORESET-FW-LAB' },
      origin: '`dmesg --time-format iso` (lab run)',
    },
    {
      lines: ['Nov 24 06:40:01 ci-runner kernel: [12345.678901] WHORESET-FW: IN=veth1 OUT= MAC=aa:bb:cc:dd:ee:ff:11:22:33:44:55:66:08:00 SRC=10.200.0.1 DST=10.200.0.2 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=40000 DPT=8080 WINDOW=64240 RES=0x00 SYN URGP=0'],
      expect: { proxyCode: 'WHORESET-FW', clientAddr: '10.200.0.1', clientPort: 40000, host: '10.200.0.2', port: 8080, time: null, timeQuality: 'none' },
      origin: 'rsyslog kern.log form of the lab line (RFC 3164: no year, so no time without a reference)',
    },
    {
      lines: ['2026-11-24T06:40:01+0000 ci-runner kernel: WHORESET-FW: IN=veth1 OUT= MAC=aa:bb:cc:dd:ee:ff:11:22:33:44:55:66:08:00 SRC=10.200.0.1 DST=10.200.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=64 ID=0 DF PROTO=TCP SPT=40000 DPT=8080 WINDOW=0 RES=0x00 RST URGP=0'],
      expect: { time: Date.UTC(2026, 10, 24, 6, 40, 1), timeQuality: 'exact', message: 'WHORESET-FW IN=veth1 OUT= PROTO=TCP RST' },
      origin: '`journalctl -k -o short-iso` form (systemd journalctl(1) output modes)',
    },
    {
      lines: ['Nov 24 06:40:01 ci-runner kernel: [ 1234.567890] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=10.0.0.5 DST=10.0.0.9 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54321 DF PROTO=TCP SPT=51234 DPT=8080 WINDOW=64240 RES=0x00 SYN URGP=0'],
      expect: { kind: 'firewall-drop', closedBy: 'firewall', proxyCode: '[UFW BLOCK]', clientPort: 51234, port: 8080, message: '[UFW BLOCK] IN=eth0 OUT= PROTO=TCP SYN' },
      origin: 'ufw: its before.rules / user.rules log with --log-prefix "[UFW BLOCK] " (Ubuntu ufw(8) LOGGING; the shape of kern.log lines in Ubuntu\'s UFW documentation)',
    },
    {
      lines: ['Nov 24 06:40:01 ci-runner kernel: [ 1234.567990] [UFW ALLOW] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=10.0.0.5 DST=10.0.0.9 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=54322 DF PROTO=TCP SPT=51236 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0'],
      expect: { kind: 'other', closedBy: undefined, proxyCode: '[UFW ALLOW]' },
      origin: 'ufw "logging medium": allowed packets are logged with "[UFW ALLOW] " (ufw(8) LOGGING): not a drop',
    },
    {
      lines: ['2026-11-24T06:40:01+0000 ci-runner kernel: filter_IN_public_REJECT: IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=10.0.0.5 DST=10.0.0.9 LEN=60 TOS=0x00 PREC=0x00 TTL=64 ID=4242 DF PROTO=TCP SPT=51238 DPT=8080 WINDOW=64240 RES=0x00 CWR ECE SYN URGP=0'],
      expect: { kind: 'firewall-drop', closedBy: 'firewall', proxyCode: 'filter_IN_public_REJECT', message: 'filter_IN_public_REJECT IN=eth0 OUT= PROTO=TCP CWR ECE SYN' },
      origin: 'firewalld with LogDenied=all: the zone\'s REJECT rule logs with prefix "filter_IN_public_REJECT: " (firewalld.conf(5) LogDenied), as journalctl -k -o short-iso writes it',
    },
    {
      lines: ['[  512.000001] IPv6: ADDRCONF(NETDEV_CHANGE): veth1: link becomes ready'],
      expect: null,
      origin: 'an ordinary dmesg line',
    },
  ],
};
