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
  const grouper = new BurstGrouper((burst) => bursts.push(burst), () => true);
  for (const verdict of verdicts) grouper.add(verdict);
  grouper.end();
  return bursts;
}

/**
 * groupBursts as the verdicts come: each burst handed on, numbered, once no later verdict can
 * change it. `mayNameTest(origin)`: whether an incident of that origin can name a test; only one
 * that does takes in the untested bursts before it, so without one a run of them is final at once.
 */
export class BurstGrouper {
  /** Bursts a later verdict may still change, in order. */
  private bursts: BurstVerdict[] = [];
  private last: Verdict | undefined;
  private handed = 0;

  constructor(
    private readonly emit: (burst: BurstVerdict) => void,
    private readonly mayNameTest: (origin: Incident['origin']) => boolean,
  ) {}

  add(verdict: Verdict): void {
    const bursts = this.bursts;
    const open = bursts[bursts.length - 1];
    const last = this.last;
    if (open && last && sameBurst(open, last, verdict)) {
      open.count++;
      open.requests.push(requestOf(verdict));
      open.members.push(verdict.incident);
      if (open.incident.test === undefined && verdict.incident.test !== undefined) {
        open.incident.test = verdict.incident.test;
        absorbUntestedBefore(bursts);
      }
    } else {
      bursts.push(burstOf(verdict, 1, [requestOf(verdict)], [verdict.incident]));
      if (verdict.incident.test !== undefined) absorbUntestedBefore(bursts);
    }
    this.last = verdict;
    this.handOn(this.firstOpen());
  }

  end(): void {
    this.handOn(this.bursts.length);
  }

  /**
   * The first burst a later verdict may still change: the last one, and before it every burst a
   * tested one could take in (absorbUntestedBefore), back to the first that cannot be.
   */
  private firstOpen(): number {
    const bursts = this.bursts;
    let first = bursts.length - 1;
    while (first > 0) {
      const [before, after] = [bursts[first - 1]!, bursts[first]!];
      const [a, b] = [before.incident, after.incident];
      const absorbable = before.count === 1 && a.test === undefined && this.mayNameTest(a.origin);
      const chained = a.time !== null && b.time !== null && b.time - a.time <= BURST_GAP_MS && before.cause === after.cause && before.attribution === after.attribution && a.origin === b.origin;
      if (!absorbable || !chained) break;
      first--;
    }
    return first;
  }

  private handOn(count: number): void {
    if (count <= 0) return;
    for (const burst of this.bursts.slice(0, count)) {
      burst.incident.id = `I${++this.handed}`;
      this.emit(burst);
    }
    this.bursts = this.bursts.slice(count);
  }
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
  bursts.push(
    burstOf(
      standing,
      parts.reduce((sum, part) => sum + part.count, 0),
      parts.flatMap((part) => part.requests),
      parts.flatMap((part) => part.members),
    ),
  );
}

/** The verdict's fields named one by one, in decide's order: a spread of them copied ten times slower. */
function burstOf(v: Verdict, count: number, requests: string[], members: Incident[]): BurstVerdict {
  const { incident, attribution, cause, ruleId, confidence, evidence, deciding, advice, reasons } = v;
  return { incident, attribution, cause, ruleId, confidence, evidence, deciding, advice, reasons, count, requests, members };
}
