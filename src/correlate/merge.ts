import type { ConnectionEvent, EventKind, TimeQuality } from '../model/event.js';
import { requestFieldsOf, type Incident } from './incident.js';
import { pathKey } from './keys.js';
import { spanOf, type Span } from './span.js';

/** The window a print time bounds a failure by, where no --window is given (rule examples). */
const DEFAULT_SPAN_WINDOW_MS = 10_000;

/** Retries of one request by urllib3 (or a client's own retry loop) come within this span. */
const RETRY_SPAN_MS = 30_000;

const CLOSED_FAMILY = new Set<EventKind>(['reset', 'remote-disconnected', 'broken-pipe', 'aborted', 'incomplete-read', 'connection-error']);

/** Two records can be the same failure: same kind, or both "the connection was closed", or one unspecific. */
function compatibleKinds(a: EventKind, b: EventKind): boolean {
  if (a === b || a === 'connection-error' || b === 'connection-error') return true;
  return CLOSED_FAMILY.has(a) && CLOSED_FAMILY.has(b);
}

/** Records that can be one failure: nothing they both name differs (path, test, the status an HTTP error had). */
function compatible(a: ConnectionEvent, b: ConnectionEvent): boolean {
  if (a.path !== undefined && b.path !== undefined && pathKey(a.path) !== pathKey(b.path)) return false;
  if (a.test !== undefined && b.test !== undefined && a.test !== b.test) return false;
  if (a.status !== undefined && b.status !== undefined && a.status !== b.status) return false;
  return compatibleKinds(a.kind, b.kind);
}

const QUALITY_RANK: Record<TimeQuality, number> = { exact: 0, 'zoned-by-option': 1, inferred: 2, none: 3 };

/** A test's run: its records, and the best timed of them (bestTimed's, kept as records come). */
interface TestRun {
  records: ConnectionEvent[];
  best: ConnectionEvent | undefined;
}

/**
 * Records of one test runner: grouped by test id, within one run of the test (a log holding
 * several sessions, or reruns, fails the same test more than once: records further apart in time
 * than the window are other failures); each INTERNALERROR block and untested record alone.
 */
function groupTestRecords(records: readonly ConnectionEvent[], windowMs: number): ConnectionEvent[][] {
  const byTest = new Map<string, TestRun[]>();
  const groups: ConnectionEvent[][] = [];
  for (const record of records) {
    if (record.test === undefined || record.test === 'INTERNALERROR') {
      groups.push([record]);
      continue;
    }
    const runs = byTest.get(record.test) ?? [];
    byTest.set(record.test, runs);
    // A test failing all day has thousands of runs: each run's time is kept, not found again per record.
    const sameRun = firstRunWithin(runs, record.time, windowMs);
    if (sameRun) {
      sameRun.records.push(record);
      sameRun.best = betterTimed(sameRun.best, record);
    } else {
      const fresh = { records: [record], best: betterTimed(undefined, record) };
      runs.push(fresh);
      groups.push(fresh.records);
    }
  }
  return groups;
}

/**
 * The first of a test's runs a record at `time` belongs to: one not yet timed, or timed within the
 * window (an untimed record joins the first). A loop, not `find`: a test failing all day asks over
 * hundreds of runs per record, and the callback's arithmetic on times allocated (69 MB at 1 GiB).
 */
function firstRunWithin(runs: readonly TestRun[], time: number | null, windowMs: number): TestRun | undefined {
  for (const run of runs) {
    if (run.best === undefined || time === null || Math.abs(time - run.best.time!) <= windowMs) return run;
  }
  return undefined;
}

/** Client-log records of one failing request: retry warnings and the failure they announce (same path, kind family, within the retry span). */
function clusterLogRecords(records: readonly ConnectionEvent[]): ConnectionEvent[][] {
  const timed = records.filter((r) => r.time !== null).sort((a, b) => a.time! - b.time!);
  const clusters: ConnectionEvent[][] = [];
  for (const record of timed) {
    let open: ConnectionEvent[] | undefined;
    // Clusters are in time order: only the recent ones can still take a retry.
    for (let i = clusters.length - 1; i >= 0; i--) {
      const last = clusters[i]![clusters[i]!.length - 1]!;
      if (record.time! - last.time! > RETRY_SPAN_MS) break;
      if (last.retry === true && pathKey(last.path) === pathKey(record.path) && compatible(last, record)) {
        open = clusters[i];
        break;
      }
    }
    if (open) open.push(record);
    else clusters.push([record]);
  }
  for (const record of records) if (record.time === null) clusters.push([record]);
  return clusters;
}

/**
 * urllib3's "Retrying (…) after connection broken by …" says an attempt failed and another follows,
 * not that the request did: it failed only where an error record follows (the client's, or the
 * test's). Retries nothing follows were recovered (a service still starting, a dropped connection
 * retried), or their end was not logged: no failure either way.
 */
function onlyRetries(cluster: readonly ConnectionEvent[]): boolean {
  return cluster.every((record) => record.retry === true);
}

/** Index of the first element of a time-sorted list at or after `time`. */
function lowerBound(times: readonly number[], time: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function groupTime(group: readonly ConnectionEvent[]): number | null {
  const best = bestTimed(group);
  return best ? best.time : null;
}

/** Lower is better: the clock's quality, and any real time before a print time (an upper bound). */
function timeRank(record: ConnectionEvent): number {
  return QUALITY_RANK[record.timeQuality] + (record.timeIsUpperBound ? 10 : 0);
}

function bestTimed(group: readonly ConnectionEvent[]): ConnectionEvent | undefined {
  let best: ConnectionEvent | undefined;
  for (const record of group) best = betterTimed(best, record);
  return best;
}

/** Of the best timed record so far and the next: the best clock first; among equals the earliest record (a failure is logged before it is reported). */
function betterTimed(best: ConnectionEvent | undefined, record: ConnectionEvent): ConnectionEvent | undefined {
  if (record.time === null) return best;
  if (!best) return record;
  const rank = timeRank(record) - timeRank(best);
  return rank < 0 || (rank === 0 && record.time < best.time!) ? record : best;
}

/** The record naming the failure most precisely: an errno or OS cause first, then a test id. */
function describingRecord(group: readonly ConnectionEvent[]): ConnectionEvent {
  const weight = (e: ConnectionEvent) => (e.errnoName ? 4 : 0) + (e.cause ? 2 : 0) + (e.test ? 1 : 0) + (e.kind !== 'connection-error' ? 1 : 0);
  return [...group].sort((a, b) => weight(b) - weight(a))[0]!;
}

/**
 * Merges the client-side records of failures into incidents: a test's records (section, summary,
 * JUnit) are one; a request's retries in the client log are one; and a test's failure is joined
 * with the client-log record of the same request, from which an untimed pytest record borrows its time.
 */
export function mergeIntoIncidents(anchors: readonly ConnectionEvent[], windowMs: number): Incident[] {
  const ordered = [...anchors].sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  const testGroups = groupTestRecords(ordered.filter((a) => a.source === 'pytest' || a.source === 'junit'), windowMs);
  const logClusters = clusterLogRecords(ordered.filter((a) => a.source !== 'pytest' && a.source !== 'junit'));
  const used = new Set<number>();
  const clusterTimes = logClusters.map((cluster) => groupTime(cluster) ?? Infinity);
  const groups: ConnectionEvent[][] = [];
  let nextUntimed = 0;
  const clusterByTest = new Map<string, number>();
  logClusters.forEach((cluster, i) => {
    const test = cluster.find((r) => r.test !== undefined)?.test;
    if (test !== undefined && !clusterByTest.has(test)) clusterByTest.set(test, i);
  });
  for (const group of testGroups) {
    const time = groupTime(group);
    const head = describingRecord(group);
    // A client-log record naming the same test is the same failure, whatever the clocks say.
    let cause = -1;
    let chosen = head.test !== undefined && head.test !== 'INTERNALERROR' ? (clusterByTest.get(head.test) ?? -1) : -1;
    if (used.has(chosen)) chosen = -1;
    if (chosen !== -1) {
      // A reporter's record of the test names the failure after the fact: the failure itself is
      // the last compatible record before it, if the client logged one.
      const reported = clusterTimes[chosen]!;
      for (let i = lowerBound(clusterTimes, reported - windowMs); i < logClusters.length && clusterTimes[i]! <= reported; i++) {
        const cluster = logClusters[i]!;
        if (i !== chosen && !used.has(i) && cluster.every((r) => r.test === undefined) && compatible(head, cluster[0]!)) cause = i;
      }
    } else if (time !== null && !bestTimed(group)!.timeIsUpperBound) {
      // Clusters are time-sorted (untimed ones last): look only inside the window.
      let chosenDistance = Infinity;
      for (let i = lowerBound(clusterTimes, time - windowMs); i < logClusters.length && clusterTimes[i]! <= time + windowMs; i++) {
        const distance = Math.abs(clusterTimes[i]! - time);
        if (!used.has(i) && compatible(head, logClusters[i]![0]!) && distance < chosenDistance) [chosen, chosenDistance] = [i, distance];
      }
    } else {
      // Untimed, or only known to have failed before it was printed: the first unused compatible
      // record, in order (tests fail, and pytest prints their sections, in the same order).
      const latest = time === null ? Infinity : time + windowMs;
      for (let i = nextUntimed; i < logClusters.length && clusterTimes[i]! <= latest; i++) {
        if (!used.has(i) && compatible(head, logClusters[i]![0]!)) {
          chosen = i;
          break;
        }
      }
      if (chosen !== -1 && chosen === nextUntimed) nextUntimed++;
    }
    if (cause !== -1) used.add(cause);
    if (chosen !== -1) {
      used.add(chosen);
      groups.push([...group, ...logClusters[chosen]!, ...(cause !== -1 ? logClusters[cause]! : [])]);
    } else {
      groups.push(group);
    }
  }
  logClusters.forEach((cluster, i) => {
    if (!used.has(i) && !onlyRetries(cluster)) groups.push(cluster);
  });
  const incidents = groups.map((records) => toIncident(records, windowMs));
  incidents.sort((a, b) => (a.time ?? Infinity) - (b.time ?? Infinity) || compareIds(a.anchor.id, b.anchor.id));
  incidents.forEach((incident, i) => (incident.id = `I${i + 1}`));
  return incidents;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The span a failure lies in: from its first record to its last (a request retried is one
 * failure), each stamp covering its resolution; a record printed after the failure (pytest's
 * summary) only bounds it from above, by up to the window.
 */
function failureSpan(records: readonly ConnectionEvent[], timed: ConnectionEvent | undefined, windowMs: number): Span | null {
  if (!timed) return null;
  if (timed.timeIsUpperBound) return { from: timed.time! - windowMs, to: spanOf(timed)!.to };
  let span: Span = spanOf(timed)!;
  for (const record of records) {
    const own = record.timeIsUpperBound ? null : spanOf(record);
    if (own) span = { from: Math.min(span.from, own.from), to: Math.max(span.to, own.to) };
  }
  return span;
}

export function toIncident(records: ConnectionEvent[], windowMs: number = DEFAULT_SPAN_WINDOW_MS): Incident {
  const anchor = describingRecord(records);
  const timed = bestTimed(records);
  const borrowed = timed !== undefined && timed.source !== anchor.source;
  return {
    id: '',
    origin: 'client',
    time: timed ? timed.time : null,
    span: failureSpan(records, timed, windowMs),
    timeQuality: timed ? (borrowed && timed.timeQuality === 'exact' ? 'inferred' : timed.timeQuality) : 'none',
    anchor,
    records,
    ...requestFieldsOf(anchor, records),
    scheme: schemeOf(records),
    joined: [],
    witnesses: [],
    sourcesPresent: [],
  };
}

/** The scheme the client used, where a record says it (urllib3's HTTPSConnectionPool, an https:// URL, port 443). */
function schemeOf(records: readonly ConnectionEvent[]): 'http' | 'https' | undefined {
  if (records.some((record) => record.excerpt.includes('HTTPSConnectionPool') || record.excerpt.includes('https://') || record.port === 443)) return 'https';
  if (records.some((record) => record.excerpt.includes('HTTPConnectionPool') || record.excerpt.includes('http://'))) return 'http';
  return undefined;
}
