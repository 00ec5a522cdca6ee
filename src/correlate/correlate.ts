import type { ConnectionEvent } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import type { Incident } from './incident.js';
import { pathKey } from './keys.js';
import { mergeIntoIncidents } from './merge.js';
import { readRun, sortByTime, writeItems, type SpilledRun } from './spill.js';
import type { JoinWindowsInput } from './windows.js';

/**
 * The client side's failures on the one timeline, merged into incidents: built before the far side
 * is read, which then keeps only what they can join (JoinWindows).
 */
export function buildIncidents(collector: EvidenceCollector, timeline: Timeline, windowMs: number): Incident[] {
  for (const event of collector.anchors) timeline.resolve(event);
  const incidents = mergeIntoIncidents(collector.anchors, windowMs);
  // The incidents hold their records now: each goes once its incident is decided and written.
  collector.anchors.length = 0;
  timeInternalErrors(incidents, collector, timeline, windowMs);
  return incidents;
}

/** The client's incidents as the sweep takes them. */
export interface ClientIncidents {
  /** Those without a time, in incident order: decided first, each with the whole far side. */
  untimed: Incident[];
  /** The others in incident order (by time), read once. */
  timed: Iterable<Incident>;
}

/** An incident as written to disk: its anchor by its place among its records. */
type StoredIncident = Omit<Incident, 'anchor'> & { anchor: number };

/**
 * The client's incidents for the sweep. Past `spillEvents` timed ones, those are written to a run
 * (its file goes to `runs`) and read back one at a time as the sweep comes to them: the far side's
 * reading needs only their paths and times (JoinWindows), and a long job holds tens of thousands.
 */
export function holdIncidents(incidents: Incident[], spillEvents: number, runs: SpilledRun[]): ClientIncidents {
  const untimed = incidents.filter((incident) => incident.time === null);
  const timed = incidents.filter((incident) => incident.time !== null);
  incidents.length = 0;
  if (timed.length <= spillEvents) return { untimed, timed };
  const stored = function* (): Generator<StoredIncident> {
    for (let i = 0; i < timed.length; i++) {
      const incident = timed[i]!;
      timed[i] = undefined!; // let go as written
      yield { ...incident, anchor: incident.records.indexOf(incident.anchor) };
    }
  };
  const { run } = writeItems(undefined, 'incidents.ndjson', stored());
  runs.push(run);
  return { untimed, timed: mapItems(readRun<StoredIncident>(run), revive) };
}

/** An incident read back, with toIncident's fields in toIncident's order (absent optional ones: undefined, as there). */
function revive(stored: StoredIncident): Incident {
  const { records } = stored;
  return {
    id: stored.id,
    origin: stored.origin,
    time: stored.time,
    span: stored.span,
    timeQuality: stored.timeQuality,
    anchor: records[stored.anchor]!,
    records,
    test: stored.test,
    method: stored.method,
    path: stored.path,
    host: stored.host,
    port: stored.port,
    scheme: stored.scheme,
    joined: stored.joined,
    witnesses: stored.witnesses,
    sourcesPresent: stored.sourcesPresent,
  };
}

function* mapItems<T, U>(items: Iterable<T>, map: (item: T) => U): Generator<U> {
  for (const item of items) yield map(item);
}

/** What the far side needs to keep only the requests these incidents can join. */
export function joinWindowsOf(incidents: readonly Incident[], timeline: Timeline, windowMs: number): JoinWindowsInput {
  return { windowMs, clocks: timeline.clockData(), incidents: incidents.map((incident) => ({ path: pathKey(incident.path), time: incident.time })) };
}

/**
 * How many runs' worth of the requests kept for joins stay in memory through the sweep: they are
 * held already while the far side is read, where the peak is (at 1 GiB the sweep never raised it).
 */
const HELD_REQUESTS = 16;

/**
 * The far side's kept events on the timeline, in time order, untimed last, ties in the order kept:
 * the runs on disk (each sorted by the same UTC time when written), then the events still held,
 * then the requests kept for joins. The collector hands those two over; each is written as one
 * more run when long (a job with thousands of client failures keeps their nearest requests), else
 * put on the timeline here, once; a run's events as they are read back, each pass anew.
 */
export function farEvents(collector: EvidenceCollector, timeline: Timeline): () => Iterable<ConnectionEvent> {
  const resolvedTime = (event: ConnectionEvent) => {
    const probe = { ...event };
    timeline.resolve(probe);
    return probe.time ?? Infinity;
  };
  const parts: Array<SpilledRun | ConnectionEvent[]> = [...collector.spilled];
  const { notable, ordinary } = collector.takeHeld();
  for (const [events, cap] of [[notable, collector.spillEvents], [ordinary, HELD_REQUESTS * collector.spillEvents]] as const) {
    if (events.length > cap) {
      collector.writeRun(events, resolvedTime);
      parts.push(collector.spilled[collector.spilled.length - 1]!);
      continue;
    }
    for (const event of events) timeline.resolve(event);
    parts.push(sortByTime(events, (event) => event.time ?? Infinity));
  }
  return () =>
    mergeByTime(
      parts.map((part) =>
        Array.isArray(part)
          ? part[Symbol.iterator]()
          : mapItems(readRun(part), (event) => {
              timeline.resolve(event);
              return event;
            }),
      ),
    );
}

/** Merges time-sorted sources into one, ties to the earlier source. */
function* mergeByTime(sources: Iterator<ConnectionEvent>[]): Generator<ConnectionEvent> {
  // A binary heap of the sources' next events, by time then source.
  const heap: Array<{ event: ConnectionEvent; at: number; source: number }> = [];
  const before = (a: (typeof heap)[number], b: (typeof heap)[number]) => a.at < b.at || (a.at === b.at && a.source < b.source);
  const push = (source: number) => {
    const next = sources[source]!.next();
    if (next.done) return;
    heap.push({ event: next.value, at: next.value.time ?? Infinity, source });
    for (let i = heap.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  };
  sources.forEach((_, source) => push(source));
  while (heap.length > 0) {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      for (let i = 0; ; ) {
        const [l, r] = [2 * i + 1, 2 * i + 2];
        let least = i;
        if (l < heap.length && before(heap[l]!, heap[least]!)) least = l;
        if (r < heap.length && before(heap[r]!, heap[least]!)) least = r;
        if (least === i) break;
        [heap[i], heap[least]] = [heap[least]!, heap[i]!];
        i = least;
      }
    }
    yield top.event;
    push(top.source);
  }
}

/**
 * pytest stops at an INTERNALERROR: the session ends right after it, so a client log written by
 * that session ends there too. Its last record dates an untimed INTERNALERROR (inferred): the
 * failure came after it, while that request was in flight, by up to the window.
 */
function timeInternalErrors(incidents: Incident[], collector: EvidenceCollector, timeline: Timeline, windowMs: number): void {
  const last = collector.lastClientRecord;
  if (!last) return;
  const end: ConnectionEvent = { ...last, id: '', kind: 'other', file: '', line: 0, excerpt: '' };
  timeline.resolve(end);
  for (const incident of incidents) {
    if (incident.time === null && incident.anchor.test === 'INTERNALERROR') {
      incident.time = end.time;
      incident.span = end.time === null ? null : { from: end.time, to: end.time + windowMs };
      incident.timeQuality = 'inferred';
    }
  }
}
