import type { Source } from '../model/event.js';
import { SourceClocks, type ClockData } from '../time/timeline.js';
import { REQUESTS_PER_INCIDENT } from './incident.js';
import { DEFAULT_SPILL_EVENTS } from './spill.js';

/**
 * What a far-side collector needs to keep only the ordinary requests an incident can join: the
 * incidents are built before the far side is read (its clocks are estimated from a probe of its
 * files' heads first), so a busy server's requests are kept only near a failure of their path, and
 * memory grows with the window, not with the job's length. Plain data: posted to worker threads.
 */
export interface JoinWindowsInput {
  windowMs: number;
  clocks: ClockData[];
  /** Per incident, in incident order: its path key (undefined: it names none) and UTC time (null: untimed). */
  incidents: Array<{ path: string | undefined; time: number | null }>;
  /** Notable events a collector holds before it writes them to disk (spill.ts); tests make it small. */
  spillEvents?: number;
}


/** Timed incidents' times in order, with their indices, for window look-ups by binary search. */
interface TimedIncidents {
  times: number[];
  ids: number[];
}

/** Each input's windows, made once in a thread: every far-side task of a run and the merging collector get the same input. */
const MADE = new WeakMap<JoinWindowsInput, JoinWindows>();

export class JoinWindows {
  /**
   * The windows of `input`, made once per input object: sorting a job's incidents took 30 ms a
   * task (11,095 incidents). Shared safely: between calls a JoinWindows holds only scratch values,
   * which each caller reads before it yields.
   */
  static of(input: JoinWindowsInput): JoinWindows {
    let windows = MADE.get(input);
    if (!windows) MADE.set(input, (windows = new JoinWindows(input)));
    return windows;
  }

  readonly windowMs: number;
  readonly clocks: SourceClocks;
  readonly spillEvents: number;
  /** Paths of incidents without a time: they join their path's requests whenever logged. */
  readonly untimedPaths = new Set<string>();
  /** Per path key (undefined: incidents naming no path, which join any request by time). */
  private readonly timed = new Map<string | undefined, TimedIncidents>();

  constructor(input: JoinWindowsInput) {
    this.windowMs = input.windowMs;
    this.clocks = new SourceClocks(input.clocks);
    this.spillEvents = input.spillEvents ?? DEFAULT_SPILL_EVENTS;
    const order = input.incidents.map((incident, id) => ({ ...incident, id })).sort((a, b) => (a.time ?? 0) - (b.time ?? 0) || a.id - b.id);
    for (const { path, time, id } of order) {
      if (time === null) {
        if (path !== undefined) this.untimedPaths.add(path);
        continue;
      }
      let timed = this.timed.get(path);
      if (!timed) this.timed.set(path, (timed = { times: [], ids: [] }));
      timed.times.push(time);
      timed.ids.push(id);
    }
  }

  /** The incidents found by the last near(): indices and distances (reused: no allocation per line). */
  readonly found: number[] = [];
  readonly distances: number[] = [];

  /**
   * The incidents a request of `path` at `utc` can join (same path, or none, and within the
   * window), in `found` with how far from each the request is in `distances`; how many.
   */
  near(path: string, utc: number): number {
    this.quietFrom = -Infinity;
    this.quietTo = Infinity;
    const count = this.nearIn(this.timed.get(path), utc, 0);
    return this.nearIn(this.timed.get(undefined), utc, count);
  }

  /**
   * Where the last near() found none: no request of its path strictly between these instants can
   * join an incident either (the gap between two incidents' windows), so a busy path's requests
   * are told so without a search each.
   */
  quietFrom = -Infinity;
  quietTo = Infinity;

  private nearIn(timed: TimedIncidents | undefined, utc: number, count: number): number {
    if (!timed) return count;
    const { times, ids } = timed;
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid]! < utc - this.windowMs) lo = mid + 1;
      else hi = mid;
    }
    let i = lo;
    for (; i < times.length && times[i]! <= utc + this.windowMs; i++) {
      this.found[count] = ids[i]!;
      this.distances[count] = Math.abs(times[i]! - utc);
      count++;
    }
    if (lo > 0) this.quietFrom = Math.max(this.quietFrom, times[lo - 1]! + this.windowMs);
    if (i < times.length) this.quietTo = Math.min(this.quietTo, times[i]! - this.windowMs);
    return count;
  }
}

/** A request (its event, or what stands for it) and how far it is from the incident. */
interface Nearby<T> {
  event: T;
  distanceMs: number;
}

/**
 * Per incident and source, the REQUESTS_PER_INCIDENT requests nearest to the incident, ties to
 * the one seen first. Merging the parts of the input in their order through one of these keeps
 * what reading it whole keeps: each part's nearest hold the whole's.
 */
export class NearestRequests<T> {
  private readonly lists = new Map<number, Map<Source, Array<Nearby<T>>>>();

  accepts(incident: number, source: Source, distanceMs: number): boolean {
    const list = this.lists.get(incident)?.get(source);
    return list === undefined || list.length < REQUESTS_PER_INCIDENT || distanceMs < list[list.length - 1]!.distanceMs;
  }

  offer(incident: number, source: Source, distanceMs: number, event: T): void {
    let bySource = this.lists.get(incident);
    if (!bySource) this.lists.set(incident, (bySource = new Map()));
    let list = bySource.get(source);
    if (!list) bySource.set(source, (list = []));
    // After every entry as near or nearer: the first seen stays ahead.
    let at = list.length;
    while (at > 0 && list[at - 1]!.distanceMs > distanceMs) at--;
    if (at >= REQUESTS_PER_INCIDENT) return;
    list.splice(at, 0, { event, distanceMs });
    if (list.length > REQUESTS_PER_INCIDENT) list.pop();
  }

  /** Every request some incident keeps, once each. */
  events(): Set<T> {
    const events = new Set<T>();
    for (const bySource of this.lists.values()) for (const list of bySource.values()) for (const { event } of list) events.add(event);
    return events;
  }
}
