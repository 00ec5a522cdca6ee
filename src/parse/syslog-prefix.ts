/**
 * Syslog-style line prefixes, read once for every program that logs through them (HAProxy, the
 * kernel's firewall LOG lines, anything else in /var/log/syslog or a journal export):
 *
 * - RFC 3164, as rsyslog files it and as HAProxy sends it over UDP (no host):
 *   `Nov 24 06:40:01 host haproxy[1234]: `, `<134>Nov 24 06:40:01 haproxy[1234]: `
 * - RFC 5424: `<134>1 2026-11-24T06:40:01.123456+00:00 host haproxy 1234 - - `
 * - ISO stamps: rsyslog high precision, `journalctl -o short-iso` (`2026-11-24T06:40:01+0000 host kernel: `),
 *   HAProxy `log stdout format iso` (stamp, then the message), `dmesg --time-format iso` (`,` fraction)
 * - `<6>` priority alone (HAProxy `format short`), also before an ISO stamp (`format timed`)
 */

import { digitsAt, fractionAt, monthAt, utcOf } from './timestamps.js';

export interface Stamp {
  /** Epoch ms: exact when the stamp had a zone, else the wall clock read as UTC. */
  time: number;
  zoneless: boolean;
  /** Minutes east of UTC, when the stamp had a zone: a zone-less stamp of the same host is in it. */
  offsetMin?: number;
  /** Index just past the stamp. */
  end: number;
}

/**
 * `2026-11-24T06:40:01[.fff|,ffffff][Z|+00:00|+0000]` (also a space for the `T`) at `at`.
 */
export function isoStampAt(text: string, at = 0): Stamp | undefined {
  if (text.length < at + 19 || text.charCodeAt(at + 4) !== 45 || text.charCodeAt(at + 7) !== 45) return undefined;
  const t = text.charCodeAt(at + 10);
  if ((t !== 84 && t !== 32) || text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return undefined;
  const { ms, end: fracEnd } = fractionAt(text, at + 19);
  const wall = utcOf(
    digitsAt(text, at, 4),
    digitsAt(text, at + 5, 2),
    digitsAt(text, at + 8, 2),
    digitsAt(text, at + 11, 2),
    digitsAt(text, at + 14, 2),
    digitsAt(text, at + 17, 2),
    ms,
  );
  if (wall === undefined) return undefined;
  const z = text.charCodeAt(fracEnd);
  if (z === 90) return { time: wall, zoneless: false, offsetMin: 0, end: fracEnd + 1 };
  if (z === 43 || z === 45) {
    const hh = digitsAt(text, fracEnd + 1, 2);
    const colon = text.charCodeAt(fracEnd + 3) === 58 ? 1 : 0;
    const mm = digitsAt(text, fracEnd + 3 + colon, 2);
    if (!Number.isNaN(hh) && !Number.isNaN(mm)) {
      const offsetMin = (z === 45 ? -1 : 1) * (hh * 60 + mm);
      return { time: wall - offsetMin * 60_000, zoneless: false, offsetMin, end: fracEnd + 5 + colon };
    }
  }
  return { time: wall, zoneless: true, end: fracEnd };
}

/** A year-less BSD stamp `Nov 24 06:40:01[.123456]` (day may be space-padded). */
export interface BsdStamp {
  month: number;
  day: number;
  /** Milliseconds since midnight. */
  msOfDay: number;
  end: number;
}

export function bsdStampAt(text: string, at = 0): BsdStamp | undefined {
  if (text.length < at + 15 || text.charCodeAt(at + 3) !== 32 || text.charCodeAt(at + 9) !== 58 || text.charCodeAt(at + 12) !== 58) {
    return undefined;
  }
  const month = monthAt(text, at);
  const day = digitsAt(text, at + 4, 2);
  const h = digitsAt(text, at + 7, 2);
  const m = digitsAt(text, at + 10, 2);
  const s = digitsAt(text, at + 13, 2);
  if (month === 0 || !(day >= 1 && day <= 31 && h <= 23 && m <= 59 && s <= 60)) return undefined;
  const { ms, end } = fractionAt(text, at + 15);
  return { month, day, msOfDay: ((h * 60 + m) * 60 + s) * 1000 + ms, end };
}

/** The wall clock of a year-less stamp in a year taken from elsewhere (read as UTC). */
export function bsdTime(stamp: BsdStamp, year: number): number | undefined {
  const midnight = utcOf(year, stamp.month, stamp.day, 0, 0, 0);
  return midnight === undefined ? undefined : midnight + stamp.msOfDay;
}

export interface SyslogHeader {
  /** Index where the program's message starts. */
  body: number;
  /** Epoch ms of the syslog stamp; undefined for a year-less stamp without a reference year. */
  time: number | undefined;
  zoneless: boolean;
  /** The stamp had no year (RFC 3164): `time` used the reference year, if one was given. */
  yearless: boolean;
  /** Minutes east of UTC, when the stamp had a zone. */
  offsetMin?: number;
  host?: string;
  program?: string;
  pid?: number;
}

/** `name:` or `name[pid]:` ending at a space: a syslog tag. */
function tagAt(text: string, at: number): { program: string; pid?: number; end: number } | undefined {
  const space = text.indexOf(' ', at);
  const end = space === -1 ? text.length : space;
  if (end - at < 2 || end - at > 64 || text.charCodeAt(end - 1) !== 58) return undefined;
  const token = text.slice(at, end - 1);
  const m = /^([A-Za-z0-9_.\/@-]+)(?:\[(\d+)\])?$/.exec(token);
  if (!m) return undefined;
  return { program: m[1]!, pid: m[2] ? Number(m[2]) : undefined, end: space === -1 ? end : end + 1 };
}

/**
 * After a stamp: `[host] tag: ` (the host only when a tag follows it), set on the caller's new
 * header: on Node 20 a spread followed by new keys (`{ ...header, program }`) costs a microsecond a line.
 */
function hostAndTag(text: string, at: number, header: SyslogHeader): SyslogHeader {
  const direct = tagAt(text, at);
  if (direct) return Object.assign(header, { program: direct.program, pid: direct.pid, body: direct.end });
  const space = text.indexOf(' ', at);
  if (space > at && space - at <= 255) {
    const tag = tagAt(text, space + 1);
    if (tag) return Object.assign(header, { host: text.slice(at, space), program: tag.program, pid: tag.pid, body: tag.end });
  }
  header.body = at;
  return header;
}

/**
 * Reads the syslog prefix of a line, or undefined when it has none. `refYear` dates year-less
 * RFC 3164 stamps (from a CI prefix, or an earlier line of the same file).
 */
export function readSyslogPrefix(text: string, refYear?: number): SyslogHeader | undefined {
  let at = 0;
  const first = text.charCodeAt(0);
  if (first === 60) {
    // <PRI>
    const close = text.indexOf('>', 1);
    if (close < 2 || close > 4) return undefined;
    at = close + 1;
    // RFC 5424: "<PRI>1 STAMP HOST APP PROCID MSGID SD MSG"
    if (text.charCodeAt(at) === 49 && text.charCodeAt(at + 1) === 32) {
      const stamp = isoStampAt(text, at + 2);
      if (!stamp) return undefined;
      const fields: string[] = [];
      let pos = stamp.end + 1;
      for (let i = 0; i < 4 && pos < text.length; i++) {
        const space = text.indexOf(' ', pos);
        const end = space === -1 ? text.length : space;
        fields.push(text.slice(pos, end));
        pos = end + 1;
      }
      if (text.charCodeAt(pos) === 91) {
        // structured data: [id k="v"]…, values may hold spaces
        const close = text.indexOf('] ', pos);
        pos = close === -1 ? text.length : close + 2;
      } else if (text.charCodeAt(pos) === 45) {
        pos += 2;
      }
      const [host, app, procid] = fields;
      const pid = procid && /^\d+$/.test(procid) ? Number(procid) : undefined;
      return {
        body: Math.min(pos, text.length),
        time: stamp.time,
        zoneless: stamp.zoneless,
        yearless: false,
        offsetMin: stamp.offsetMin,
        host: host && host !== '-' ? host : undefined,
        program: app && app !== '-' ? app : undefined,
        pid,
      };
    }
  }
  const c = text.charCodeAt(at);
  if (c >= 48 && c <= 57) {
    // Syslog and journald write RFC 3339 with a 'T'; a space there is Python's asctime, not syslog.
    const stamp = text.charCodeAt(at + 10) === 84 ? isoStampAt(text, at) : undefined;
    if (stamp && text.charCodeAt(stamp.end) === 32) {
      return hostAndTag(text, stamp.end + 1, { body: stamp.end + 1, time: stamp.time, zoneless: stamp.zoneless, yearless: false, offsetMin: stamp.offsetMin });
    }
  } else if (c >= 65 && c <= 83) {
    const stamp = bsdStampAt(text, at);
    if (stamp && text.charCodeAt(stamp.end) === 32) {
      const time = refYear === undefined ? undefined : bsdTime(stamp, refYear);
      return hostAndTag(text, stamp.end + 1, { body: stamp.end + 1, time, zoneless: true, yearless: true });
    }
  }
  // "<6>message": HAProxy's `format short`
  return at > 0 ? { body: at, time: undefined, zoneless: true, yearless: false } : undefined;
}

/** The share of lines (0..1) that carry a syslog prefix naming one of `programs` (any when empty). */
export function syslogShare(lines: readonly string[], programs: readonly string[] = []): number {
  let n = 0;
  let hits = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    n++;
    const header = readSyslogPrefix(line);
    if (!header) continue;
    if (programs.length === 0 ? header.program !== undefined : header.program !== undefined && programs.includes(header.program)) hits++;
  }
  return n === 0 ? 0 : hits / n;
}

/** The year of a CI prefix time, a reference for year-less stamps. */
export function yearOf(epochMs: number | undefined): number | undefined {
  return epochMs === undefined ? undefined : new Date(epochMs).getUTCFullYear();
}
