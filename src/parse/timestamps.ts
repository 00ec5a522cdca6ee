/**
 * Time stamps as log formats write them, read by character code: these run once per line on
 * hundreds of MB, where a regex or Date.parse per line would dominate the cost.
 * Zone-less stamps come back as the wall clock read as UTC; the time stage decides the zone.
 */
import { detach } from '../read/detach.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The number written by `len` ASCII digits at `at` (a leading space counts as 0), or NaN. */
export function digitsAt(text: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 && i === at) continue;
    const d = c - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** 1..12 for `Jan`..`Dec` at `at`, or 0. */
export function monthAt(text: string, at: number): number {
  return MONTHS.indexOf(text.slice(at, at + 3)) + 1;
}

/** Date.UTC of range-checked fields (February 30 is no date), or undefined. */
export function utcOf(year: number, month: number, day: number, hour: number, minute: number, second: number, ms = 0): number | undefined {
  if (!(year >= 1970 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60)) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Days in a month of the Gregorian calendar. */
function daysIn(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/** Reads `.123456` / `,123` at `at`: milliseconds and where the digits end. */
export function fractionAt(text: string, at: number): { ms: number; end: number } {
  const c = text.charCodeAt(at);
  if (c !== 46 && c !== 44) return { ms: 0, end: at };
  let end = at + 1;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  return end === at + 1 ? { ms: 0, end: at } : { ms: millisAt(text, at), end };
}

/** An ASCII digit's char code (or byte). */
export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** An ASCII letter's char code (or byte). */
export function isLetter(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** The milliseconds of a fraction whose separator is at `at` (".5" is 500; no digits, 0). */
function millisAt(text: string, at: number): number {
  let ms = 0;
  let scale = 100;
  for (let i = at + 1; i <= at + 3 && isDigit(text.charCodeAt(i)); i++, scale /= 10) ms += (text.charCodeAt(i) - 48) * scale;
  return ms;
}

/**
 * `YYYY-MM-DD HH:MM:SS` with an optional `,mmm` or `.mmm` (Python asctime, pytest log_cli) at
 * `at`, also with `T` between date and time, or `/` between date parts (nginx error log).
 */
export function wallClockAt(text: string, at = 0): number | undefined {
  if (text.length < at + 19) return undefined;
  const second = secondAt(text, at);
  return second === undefined ? undefined : second + fractionMsAt(text, at + 19);
}

/**
 * wallClockAt for one reader's lines, which mostly share their second with the line before:
 * it remembers the last second it read, so each parser owns one (no state shared across files).
 */
export class WallClock {
  private second = '';
  private secondMs: number | undefined;

  at(text: string, at = 0): number | undefined {
    if (text.length < at + 19) return undefined;
    const ms = fractionMsAt(text, at + 19);
    // lastIndexOf(s, 0) tests a prefix faster than startsWith on Node 20.
    if (this.secondMs !== undefined && (at === 0 ? text.lastIndexOf(this.second, 0) === 0 : text.startsWith(this.second, at))) return this.secondMs + ms;
    const second = secondAt(text, at);
    if (second === undefined) return undefined;
    this.second = detach(text.slice(at, at + 19));
    this.secondMs = second;
    return second + ms;
  }

  /** The second read last (its 19 characters), which at() reads again without parsing; undefined for none. */
  get lastSecond(): string | undefined {
    return this.secondMs === undefined ? undefined : this.second;
  }
  /** lastSecond's instant. */
  get lastSecondMs(): number | undefined {
    return this.secondMs;
  }

  /** at() of a line read as bytes (ASCII), `start` to `end`: a stamp of the last second is read from the bytes, any other decoded. */
  atBytes(bytes: Buffer, start: number, end: number): number | undefined {
    if (end - start < 19) return undefined;
    const second = this.second;
    let same = this.secondMs !== undefined;
    for (let i = 0; same && i < 19; i++) same = bytes[start + i] === second.charCodeAt(i);
    // at() reads no further than the separator and three digits of the fraction.
    if (!same) return this.at(bytes.toString('latin1', start, Math.min(end, start + 23)));
    const frac = start + 19 < end ? bytes[start + 19] : undefined;
    if (frac !== 44 && frac !== 46) return this.secondMs;
    let ms = 0;
    let scale = 100;
    for (let i = start + 20; i <= start + 22 && i < end && isDigit(bytes[i]!); i++, scale /= 10) ms += (bytes[i]! - 48) * scale;
    return this.secondMs! + ms;
  }
}

/** The instant of `YYYY-MM-DD HH:MM:SS` (or `/`, `T` as wallClockAt says) at `at`, without its fraction. */
function secondAt(text: string, at: number): number | undefined {
  const sep = text.charCodeAt(at + 4);
  if ((sep !== 45 && sep !== 47) || text.charCodeAt(at + 7) !== sep) return undefined; // '-' or '/'
  const mid = text.charCodeAt(at + 10);
  if ((mid !== 32 && mid !== 84) || text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return undefined;
  return utcOf(digitsAt(text, at, 4), digitsAt(text, at + 5, 2), digitsAt(text, at + 8, 2), digitsAt(text, at + 11, 2), digitsAt(text, at + 14, 2), digitsAt(text, at + 17, 2));
}

/** The milliseconds of a `,mmm` or `.mmm` at `at`, or 0 when none is there. */
function fractionMsAt(text: string, at: number): number {
  const frac = text.charCodeAt(at);
  return frac === 44 || frac === 46 ? millisAt(text, at) : 0;
}

/** `24/Nov/2026:06:40:01` (the common log format's date, HAProxy's accept date) as wall clock read as UTC. */
export function clfWall(stamp: string, ms = 0): number | undefined {
  return utcOf(digitsAt(stamp, 7, 4), monthAt(stamp, 3), digitsAt(stamp, 0, 2), digitsAt(stamp, 12, 2), digitsAt(stamp, 15, 2), digitsAt(stamp, 18, 2), ms);
}

/**
 * `24/Nov/2026:06:40:01 +0000` (nginx $time_local, Apache %t) → exact instant, or
 * `24/Nov/2026 06:40:01` (Python http.server, no zone) → wall clock read as UTC with zoneless set.
 */
export function clfTime(stamp: string): { time: number; zoneless: boolean } | undefined {
  if (stamp.length < 20 || stamp.charCodeAt(2) !== 47 || stamp.charCodeAt(6) !== 47) return undefined;
  const wall = clfWall(stamp);
  if (wall === undefined) return undefined;
  if (stamp.length < 26) return { time: wall, zoneless: true };
  const sign = stamp.charCodeAt(21) === 45 ? -1 : 1;
  const offsetMin = digitsAt(stamp, 22, 2) * 60 + digitsAt(stamp, 24, 2);
  if (Number.isNaN(offsetMin)) return { time: wall, zoneless: true };
  return { time: wall - sign * offsetMin * 60_000, zoneless: false };
}
