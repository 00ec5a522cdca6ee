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

// GitHub Actions and GitLab stamps are read by stampEnd below: they are on every line of a CI log.
// Jenkins timestamper plugin: "[2026-11-24T06:40:01.123Z] ".
const JENKINS_PREFIX = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\] /;

/** Parses an ISO 8601 instant with any number of fractional digits (Date.parse accepts at most 3). */
const ISO_INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/;
// docker compose: "web-1  | " (v2), "project_web_1  | " (v1); `logs -t` puts an ISO stamp after it.
// docker service logs (swarm): "web.1.0fjx2…@node1    | ", and "nginx.1    | " without the task.
const COMPOSE_PREFIX = /^([A-Za-z0-9][\w.-]*[-_.]\d+)(?:\.\w+@[\w.-]+)? *\| /;
// journalctl -o short-iso / short-iso-precise: "2026-11-24T06:40:01+0000 host prog[pid]: ".
// A log level where the host stands is an application's own record ("… DEBUG urllib3.connectionpool: …"), not journald's.
const JOURNAL_ISO = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)) (?!(?:DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL|TRACE)\b)\S+ ([\w.@\/-]+)(?:\[\d+\])?: /;
// journalctl -o short (and rsyslog files): "Nov 24 06:40:01 host prog[pid]: " — no year, so no time.
const JOURNAL_SHORT = /^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ ([\w.@\/-]+)(?:\[\d+\])?: /;
/** Programs whose syslog prefix their own parser reads (HAProxy's zone, the kernel's clock): kept. */
const KEEP_SYSLOG_PREFIX = new Set(['haproxy', 'kernel']);

/** A line's text after its prefixes, with the prefix's time and stream: `unwrapCiPrefixInto` fills one in. */
export interface UnwrapResult {
  text: string;
  time: number | undefined;
  stream: string | undefined;
}

/** A line's text after its prefixes and the prefix's time and stream (a fresh reader: for a line now and then). */
export function unwrapCiPrefix(line: string): Unwrapped {
  const out: UnwrapResult = { text: line, time: undefined, stream: undefined };
  new CiPrefixReader().unwrapInto(line, out);
  return out.stream === undefined ? { text: out.text, time: out.time } : out;
}

/**
 * GitHub Actions: "2026-11-24T06:40:01.1234567Z ". GitLab (timestamps on): "…Z 00O " / "00O+ ". Sticky, and
 * tested rather than executed, so that its end is `lastIndex` and no match array is made for every line.
 */
const STAMP_PREFIX = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z (?:[0-9a-f]{2}[OE]\+? )?/y;

/**
 * Reads the CI prefixes of one stream of lines (the reader has one per file): it keeps the last
 * second parsed, as consecutive lines of a CI log mostly share it.
 */
export class CiPrefixReader {
  private readonly stampPrefix = new RegExp(STAMP_PREFIX);
  /** The second of the last stamp read ("2026-11-24T06:40:01"; '' for none) and its epoch ms. */
  private stampSecond = '';
  private stampSecondMs: number | undefined;
  /** The time of the stamp stampEnd last accepted. */
  private stampTime: number | undefined;
  /** The last ISO second parsed (with its zone) and its epoch ms. */
  private isoSecond = '';
  private isoSecondMs: number | undefined;

  /**
   * Fills `out`, an object the caller reuses for every line: the reader calls it once a line, and a
   * result object per line was a measurable share of its time. `mayHoldBar` false says the caller
   * knows the line holds no "| " (the reader finds them once a chunk): no docker compose prefix then.
   */
  unwrapInto(line: string, out: UnwrapResult, mayHoldBar = true): void {
    let text = line;
    let time: number | undefined;
    const first = text.charCodeAt(0);
    // Cheap guard: every prefix starts with a digit, '[' or a letter; each test below is gated by
    // a character check or one indexOf, so most lines pass untested. prefixEnd reads the same on bytes.
    if (first >= 48 && first <= 57 && text.charCodeAt(10) === 84) {
      const end = this.stampEnd(text);
      if (end !== -1) {
        text = text.slice(end);
        time = this.stampTime;
      } else {
        const j = JOURNAL_ISO.exec(text);
        if (j && !KEEP_SYSLOG_PREFIX.has(j[2]!)) return fill(out, text.slice(j[0].length), this.isoInstant(j[1]!), undefined);
      }
    } else if (first === 91) {
      const m = JENKINS_PREFIX.exec(text);
      if (m) return fill(out, text.slice(m[0].length), this.isoInstant(m[1]!), undefined);
    } else if (first >= 65 && first <= 90 && text.charCodeAt(3) === 32 && text.charCodeAt(9) === 58) {
      const j = JOURNAL_SHORT.exec(text);
      if (j && !KEEP_SYSLOG_PREFIX.has(j[1]!)) return fill(out, text.slice(j[0].length), time, undefined);
    }
    // docker compose, also inside a GitHub Actions prefix.
    const bar = mayHoldBar ? text.indexOf('| ') : -1;
    if (bar > 1 && bar < 80 && text.charCodeAt(bar - 1) === 32) {
      const m = COMPOSE_PREFIX.exec(text);
      if (m) {
        text = text.slice(m[0].length);
        const end = text.charCodeAt(10) === 84 ? this.stampEnd(text) : -1;
        if (end !== -1) {
          text = text.slice(end);
          time = this.stampTime;
        }
        return fill(out, text, time, m[1]!);
      }
    }
    fill(out, text, time, undefined);
  }

  /** Parses an ISO 8601 instant with any number of fractional digits (Date.parse accepts at most 3). */
  private isoInstant(iso: string): number | undefined {
    const m = ISO_INSTANT.exec(iso);
    if (!m) return undefined;
    const second = m[1]! + m[3]!;
    if (second !== this.isoSecond) {
      const zone = m[3] === 'Z' ? 'Z' : m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3];
      const t = Date.parse(`${m[1]}.000${zone}`);
      this.isoSecond = second;
      this.isoSecondMs = Number.isNaN(t) ? undefined : t;
    }
    if (this.isoSecondMs === undefined) return undefined;
    return this.isoSecondMs + (m[2] ? Number(m[2].slice(0, 3).padEnd(3, '0')) : 0);
  }

  /**
   * Where the text after a GitHub Actions stamp (and a GitLab section marker) starts, or -1 where the
   * line has none; the stamp's time goes to stampTime. The second is parsed once for all the lines
   * that share it, the milliseconds are read by character codes.
   */
  private stampEnd(line: string): number {
    const stamp = this.stampPrefix;
    stamp.lastIndex = 0;
    if (!stamp.test(line)) return -1;
    const end = stamp.lastIndex;
    // lastIndexOf(…, 0) is startsWith without its regex check: half the time on Node 20.
    if (this.stampSecond.length === 0 || line.lastIndexOf(this.stampSecond, 0) !== 0) {
      this.stampSecond = line.slice(0, 19);
      const t = Date.parse(`${this.stampSecond}.000Z`); // as isoInstant: Date.parse judges the date
      this.stampSecondMs = Number.isNaN(t) ? undefined : t;
    }
    if (this.stampSecondMs === undefined) {
      this.stampTime = undefined;
      return end;
    }
    // The first three fraction digits are the milliseconds; the regex saw at least one after a '.'.
    let ms = 0;
    if (line.charCodeAt(19) === 46) {
      ms = (line.charCodeAt(20) - 48) * 100;
      const tens = line.charCodeAt(21) - 48;
      if (tens >= 0 && tens <= 9) {
        ms += tens * 10;
        const units = line.charCodeAt(22) - 48;
        if (units >= 0 && units <= 9) ms += units;
      }
    }
    this.stampTime = this.stampSecondMs + ms;
    return end;
  }
}

/**
 * Where unwrapInto's text starts in a plain line, `start` to `end` of `bytes` (one it is told holds no
 * "| "): past a GitHub Actions stamp (with GitLab's marker) or a Jenkins one, at `start` where the line
 * has no prefix, -1 where only unwrapInto can tell (journald's prefixes, which name their program).
 * The same character checks as its gate, each read only within the line.
 */
export function prefixEnd(bytes: Uint8Array, start: number, end: number): number {
  const first = bytes[start]!;
  if (first >= 48 && first <= 57) {
    if (end - start <= 10 || bytes[start + 10] !== 84) return start;
    return stampEndAt(bytes, start, end);
  }
  if (first === 91) return jenkinsEndAt(bytes, start, end);
  // JOURNAL_SHORT's gate; a short line's bytes past its end only make this decline.
  return first >= 65 && first <= 90 && bytes[start + 3] === 32 && bytes[start + 9] === 58 ? -1 : start;
}

/** Whether `bytes` hold ASCII digits from `at` to `to` (exclusive). */
function digitsAt(bytes: Uint8Array, at: number, to: number): boolean {
  for (let i = at; i < to; i++) {
    const c = bytes[i]!;
    if (!(c >= 48 && c <= 57)) return false;
  }
  return true;
}

/**
 * `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?` at `start`, within `end`: where it ends, or -1. The caller
 * knows the line is over 19 bytes long or reads no further than a byte past the end it tests.
 */
function instantEndAt(bytes: Uint8Array, start: number, end: number): number {
  if (end - start < 19 || bytes[start + 4] !== 45 || bytes[start + 7] !== 45 || bytes[start + 10] !== 84 || bytes[start + 13] !== 58 || bytes[start + 16] !== 58) return -1;
  const s = start;
  if (!digitsAt(bytes, s, s + 4) || !digitsAt(bytes, s + 5, s + 7) || !digitsAt(bytes, s + 8, s + 10) || !digitsAt(bytes, s + 11, s + 13) || !digitsAt(bytes, s + 14, s + 16) || !digitsAt(bytes, s + 17, s + 19)) return -1;
  let at = start + 19;
  if (at < end && bytes[at] === 46 /* . */) {
    const digits = ++at;
    while (at < end && bytes[at]! >= 48 && bytes[at]! <= 57) at++;
    // "." without digits: the group does not match, and '.' is no zone either.
    if (at === digits) return -1;
  }
  return at;
}

/** STAMP_PREFIX at `start`: where its match ends, or -1. */
function stampEndAt(bytes: Uint8Array, start: number, end: number): number {
  let at = instantEndAt(bytes, start, end);
  if (at === -1 || at + 1 >= end || bytes[at] !== 90 /* Z */ || bytes[at + 1] !== 32) return -1;
  at += 2;
  // GitLab's optional `[0-9a-f]{2}[OE]\+? `: where it does not match whole, the stamp ends before it.
  if (at + 3 < end && isLowerHex(bytes[at]!) && isLowerHex(bytes[at + 1]!) && (bytes[at + 2] === 79 || bytes[at + 2] === 69)) {
    const after = at + 3;
    if (bytes[after] === 43 && after + 1 < end && bytes[after + 1] === 32) return after + 2;
    if (bytes[after] === 32) return after + 1;
  }
  return at;
}

/** JENKINS_PREFIX at `start` (a '['): where its match ends, or -1 (unwrapInto then reads the line). */
function jenkinsEndAt(bytes: Uint8Array, start: number, end: number): number {
  let at = instantEndAt(bytes, start + 1, end);
  if (at === -1 || at >= end) return -1;
  if (bytes[at] === 90) at++;
  else {
    if (bytes[at] !== 43 && bytes[at] !== 45) return -1;
    // [+-]\d\d:?\d\d
    if (at + 5 > end || !digitsAt(bytes, at + 1, at + 3)) return -1;
    at += 3;
    if (bytes[at] === 58) at++;
    if (at + 2 > end || !digitsAt(bytes, at, at + 2)) return -1;
    at += 2;
  }
  return at + 1 < end && bytes[at] === 93 /* ] */ && bytes[at + 1] === 32 ? at + 2 : -1;
}

function isLowerHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102);
}

function fill(out: UnwrapResult, text: string, time: number | undefined, stream: string | undefined): void {
  out.text = text;
  out.time = time;
  out.stream = stream;
}
