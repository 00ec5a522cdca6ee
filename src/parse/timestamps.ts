/**
 * Time stamps as log formats write them, read by character code: these run once per line on
 * hundreds of MB, where a regex or Date.parse per line would dominate the cost.
 * Zone-less stamps come back as the wall clock read as UTC; the time stage decides the zone.
 */

/** The number written by `len` ASCII digits at `at`, or NaN when any is not a digit. */
function digits(text: string, at: number, len: number): number {
  let n = 0;
  for (let i = at; i < at + len; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return NaN;
    n = n * 10 + d;
  }
  return n;
}

/** Date.UTC of checked fields, or undefined when a field is out of range or not a number. */
function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number | undefined {
  if (!(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60 && ms >= 0)) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/** Milliseconds from a fraction of `len` digits (",1", ",123", ".123456"). */
function fractionMs(text: string, at: number): number {
  let end = at;
  while (end < text.length && end - at < 9 && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end++;
  return end === at ? 0 : Number(text.slice(at, Math.min(end, at + 3)).padEnd(3, '0'));
}

/**
 * `YYYY-MM-DD HH:MM:SS` with an optional `,mmm` or `.mmm` (Python asctime, pytest log_cli) at
 * `at`, also with `T` between date and time, or `/` between date parts (nginx error log).
 */
export function wallClockAt(text: string, at = 0): number | undefined {
  if (text.length < at + 19) return undefined;
  const sep = text.charCodeAt(at + 4);
  if ((sep !== 45 && sep !== 47) || text.charCodeAt(at + 7) !== sep) return undefined; // '-' or '/'
  const mid = text.charCodeAt(at + 10);
  if ((mid !== 32 && mid !== 84) || text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58) return undefined;
  const frac = text.charCodeAt(at + 19);
  const ms = frac === 44 || frac === 46 ? fractionMs(text, at + 20) : 0;
  return utc(
    digits(text, at, 4),
    digits(text, at + 5, 2),
    digits(text, at + 8, 2),
    digits(text, at + 11, 2),
    digits(text, at + 14, 2),
    digits(text, at + 17, 2),
    ms,
  );
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * `24/Nov/2026:06:40:01 +0000` (nginx $time_local, Apache %t) → exact instant, or
 * `24/Nov/2026 06:40:01` (Python http.server, no zone) → wall clock read as UTC with zoneless set.
 */
export function clfTime(stamp: string): { time: number; zoneless: boolean } | undefined {
  if (stamp.length < 20 || stamp.charCodeAt(2) !== 47 || stamp.charCodeAt(6) !== 47) return undefined;
  const month = MONTHS.indexOf(stamp.slice(3, 6)) + 1;
  const wall = utc(
    digits(stamp, 7, 4),
    month,
    digits(stamp, 0, 2),
    digits(stamp, 12, 2),
    digits(stamp, 15, 2),
    digits(stamp, 18, 2),
    0,
  );
  if (wall === undefined) return undefined;
  if (stamp.length < 26) return { time: wall, zoneless: true };
  const sign = stamp.charCodeAt(21) === 45 ? -1 : 1;
  const offsetMin = digits(stamp, 22, 2) * 60 + digits(stamp, 24, 2);
  if (Number.isNaN(offsetMin)) return { time: wall, zoneless: true };
  return { time: wall - sign * offsetMin * 60_000, zoneless: false };
}
