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
 * Records naming no test join the burst of a test next to them; two such alone stay apart.
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
      if (open.incident.test === undefined && verdict.incident.test !== undefined) {
        open.incident.test = verdict.incident.test;
        absorbUntestedBefore(bursts);
      }
    } else {
      bursts.push({ ...verdict, count: 1, requests: [requestOf(verdict)], members: [verdict.incident] });
      if (verdict.incident.test !== undefined) absorbUntestedBefore(bursts);
    }
    last = verdict;
  }
  bursts.forEach((burst, i) => (burst.incident.id = `I${i + 1}`));
  return bursts;
}

/** The untested failures just before a test's burst, one after another within the gap, are its requests. */
function absorbUntestedBefore(bursts: BurstVerdict[]): void {
  const tested = bursts.pop()!;
  const taken: BurstVerdict[] = [];
  let next: Verdict = tested;
  for (let before = bursts[bursts.length - 1]; before; before = bursts[bursts.length - 1]) {
    if (before.count !== 1 || before.incident.test !== undefined || !sameBurst(tested, before, next)) break;
    taken.unshift(bursts.pop()!);
    next = before;
  }
  if (taken.length === 0) {
    bursts.push(tested);
    return;
  }
  // The earliest stands for the burst, with the test of the one that named it.
  const parts = [...taken, tested];
  const standing = taken[0]!;
  standing.incident.test = tested.incident.test;
  bursts.push({
    ...standing,
    count: parts.reduce((sum, part) => sum + part.count, 0),
    requests: parts.flatMap((part) => part.requests),
    members: parts.flatMap((part) => part.members),
  });
}
