/**
 * CI systems wrap each line of a job log in their own prefix. The prefix is stripped so parsers see
 * the program's line, and its time is kept: for untimed lines (pytest) it is the only clock there is.
 */

export interface Unwrapped {
  text: string;
  /** Epoch ms from the prefix, when it carried an absolute time. */
  time: number | undefined;
}

// GitHub Actions: "2026-11-24T06:40:01.1234567Z ". GitLab (timestamps on): "…Z 00O " / "00O+ ".
const ISO_PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (?:[0-9a-f]{2}[OE]\+? )?/;
// Jenkins timestamper plugin: "[2026-11-24T06:40:01.123Z] ".
const JENKINS_PREFIX = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d))\] /;

/** Parses an ISO 8601 instant with any number of fractional digits (Date.parse accepts at most 3). */
export function parseIsoInstant(iso: string): number | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(iso);
  if (!m) return undefined;
  const ms = m[2] ? Number(m[2].slice(0, 3).padEnd(3, '0')) : 0;
  const zone = m[3] === 'Z' ? 'Z' : m[3]!.length === 5 ? `${m[3]!.slice(0, 3)}:${m[3]!.slice(3)}` : m[3];
  const t = Date.parse(`${m[1]}.${String(ms).padStart(3, '0')}${zone}`);
  return Number.isNaN(t) ? undefined : t;
}

export function unwrapCiPrefix(line: string): Unwrapped {
  const first = line.charCodeAt(0);
  // Cheap guard: every prefix starts with a digit or '['; most lines are left alone untested.
  if (first >= 48 && first <= 57) {
    const m = ISO_PREFIX.exec(line);
    if (m) return { text: line.slice(m[0].length), time: parseIsoInstant(m[1]!) };
  } else if (first === 91) {
    const m = JENKINS_PREFIX.exec(line);
    if (m) return { text: line.slice(m[0].length), time: parseIsoInstant(m[1]!) };
  }
  return { text: line, time: undefined };
}
