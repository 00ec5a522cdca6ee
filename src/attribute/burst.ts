import type { Incident } from '../correlate/incident.js';
import type { Verdict } from './verdict.js';

/** Failures of one test with one cause this close to the previous one are one burst. */
export const BURST_GAP_MS = 1_000;

/** A verdict standing for a burst of failures: the first one's, with how many and which requests. */
export interface BurstVerdict extends Verdict {
  count: number;
  /** `GET /api/x` of each failure, as far as known, in time order (repeats kept: ×13 means 13). */
  requests: string[];
  /** The incidents of the burst, the standing one first. */
  members: Incident[];
}

function requestOf(verdict: Verdict): string {
  const { method, path } = verdict.incident;
  return [method, path].filter((part) => part !== undefined).join(' ');
}

/**
 * Whether `next` belongs to the burst that `last` ends: same side and cause, close in time, and the
 * burst's test (a record without one is a request of the test that has one; two without are not).
 */
function sameBurst(burst: BurstVerdict, last: Verdict, next: Verdict): boolean {
  const [a, b] = [last.incident, next.incident];
  const test = burst.incident.test;
  if (a.time === null || b.time === null || b.time - a.time > BURST_GAP_MS) return false;
  if (last.cause !== next.cause || last.attribution !== next.attribution || a.origin !== b.origin) return false;
  if (test === 'INTERNALERROR' || b.test === 'INTERNALERROR' || (test === undefined && b.test === undefined)) return false;
  return test === undefined || b.test === undefined || test === b.test;
}

/**
 * One test whose parallel requests all failed the same way is one incident with a count, not one
 * per request. Verdicts come in time order (incident ids); the first of a burst stands for it.
 */
export function groupBursts(verdicts: readonly Verdict[]): BurstVerdict[] {
  const bursts: BurstVerdict[] = [];
  let last: Verdict | undefined;
  for (const verdict of verdicts) {
    const open = bursts[bursts.length - 1];
    if (open && last && sameBurst(open, last, verdict)) {
      open.count++;
      open.requests.push(requestOf(verdict));
      open.members.push(verdict.incident);
      open.incident.test ??= verdict.incident.test;
    } else {
      bursts.push({ ...verdict, count: 1, requests: [requestOf(verdict)], members: [verdict.incident] });
    }
    last = verdict;
  }
  bursts.forEach((burst, i) => (burst.incident.id = `I${i + 1}`));
  return bursts;
}
