/**
 * CI systems wrap each line of a job log in their own prefix. The prefix is stripped so parsers see
 * the program's line, and its time is kept: for untimed lines (pytest) it is the only clock there is.
 */

export interface Unwrapped {
  text: string;
  /** Epoch ms from the prefix, when it carried an absolute time. */
  time: number | undefined;
  /**
   * The program the line came from, where the wrapper names it (a docker compose service): one
   * file then holds several programs' logs, each read by its own parser.
   */
  stream?: string;
}

// GitHub Actions: "2026-11-24T06:40:01.1234567Z ". GitLab (timestamps on): "…Z 00O " / "00O+ ".
const ISO_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (?:[0-9a-f]{2}[OE]\+? )?/;
// Jenkins timestamper plugin: "[2026-11-24T06:40:01.123Z] ".
const JENKINS_PREFIX = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\] /;

/** Parses an ISO 8601 instant with any number of fractional digits (Date.parse accepts at most 3). */
const ISO_INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/;
/** The last second parsed: every line of a CI log carries a stamp, and consecutive ones share it. */
let lastSecond = '';
let lastSecondMs: number | undefined;

export function parseIsoInstant(iso: string): number | undefined {
  const m = ISO_INSTANT.exec(iso);
  if (!m) return undefined;
  const second = m[1]! + m[3]!;
  if (second !== lastSecond) {
    const zone = m[3] === 'Z' ? 'Z' : m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3];
    const t = Date.parse(`${m[1]}.000${zone}`);
    lastSecond = second;
    lastSecondMs = Number.isNaN(t) ? undefined : t;
  }
  if (lastSecondMs === undefined) return undefined;
  return lastSecondMs + (m[2] ? Number(m[2].slice(0, 3).padEnd(3, '0')) : 0);
}

// docker compose: "web-1  | " (v2), "project_web_1  | " (v1); `logs -t` puts an ISO stamp after it.
const COMPOSE_PREFIX = /^([A-Za-z0-9][\w.-]*[-_]\d+) *\| /;
// journalctl -o short-iso / short-iso-precise: "2026-11-24T06:40:01+0000 host prog[pid]: ".
// A log level where the host stands is an application's own record ("… DEBUG urllib3.connectionpool: …"), not journald's.
const JOURNAL_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (?!(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE)\b)\S+ ([\w.@\/-]+)(?:\[\d+\])?: /;
// journalctl -o short (and rsyslog files): "Nov 24 06:40:01 host prog[pid]: " — no year, so no time.
const JOURNAL_SHORT = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ ([\w.@\/-]+)(?:\[\d+\])?: /;
/** Programs whose syslog prefix their own parser reads (HAProxy's zone, the kernel's clock): kept. */
const KEEP_SYSLOG_PREFIX = new Set(['haproxy', 'kernel']);

export function unwrapCiPrefix(line: string): Unwrapped {
  let text = line;
  let time: number | undefined;
  const first = text.charCodeAt(0);
  // Cheap guard: every prefix starts with a digit, '[' or a letter; each test below is gated by
  // a character check or one indexOf, so most lines pass untested.
  if (first >= 48 && first <= 57 && text.charCodeAt(10) === 84) {
    const m = ISO_PREFIX.exec(text);
    if (m) {
      text = text.slice(m[0].length);
      time = parseIsoInstant(m[1]!);
    } else {
      const j = JOURNAL_ISO.exec(text);
      if (j && !KEEP_SYSLOG_PREFIX.has(j[2]!)) return { text: text.slice(j[0].length), time: parseIsoInstant(j[1]!) };
    }
  } else if (first === 91) {
    const m = JENKINS_PREFIX.exec(text);
    if (m) return { text: text.slice(m[0].length), time: parseIsoInstant(m[1]!) };
  } else if (first >= 65 && first <= 90 && text.charCodeAt(3) === 32 && text.charCodeAt(9) === 58) {
    const j = JOURNAL_SHORT.exec(text);
    if (j && !KEEP_SYSLOG_PREFIX.has(j[1]!)) return { text: text.slice(j[0].length), time };
  }
  // docker compose, also inside a GitHub Actions prefix.
  const bar = text.indexOf('| ');
  if (bar > 1 && bar < 80 && text.charCodeAt(bar - 1) === 32) {
    const m = COMPOSE_PREFIX.exec(text);
    if (m) {
      text = text.slice(m[0].length);
      const stream = m[1]!;
      const stamped = text.charCodeAt(10) === 84 ? ISO_PREFIX.exec(text) : null;
      if (stamped) {
        text = text.slice(stamped[0].length);
        time = parseIsoInstant(stamped[1]!);
      }
      return { text, time, stream };
    }
  }
  return { text, time };
}
