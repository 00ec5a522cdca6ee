import type { ConnectionEvent, EventKind, Source } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import { isFarSide } from './collect.js';
import { MAX_JOINS, REQUESTS_PER_INCIDENT, type Incident, type Join } from './incident.js';
import { pathKey } from './keys.js';

/**
 * A server logs a request when it ends, which is when the client sees it end: a line for the same
 * path further away than this is another request (the next poll), not this one. Covers the access
 * log's whole-second stamps and a little skew.
 */
const SAME_REQUEST_MS = 3_000;
const TIMEOUT_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['read-timeout', 'connect-timeout']);
const KEYS = ['method', 'path', 'host', 'port', 'clientAddr', 'clientPort'] as const;

/** Events sorted by time, for window look-ups by binary search. */
class TimeIndex {
  private readonly events: ConnectionEvent[];
  private readonly times: number[];
  readonly untimed: ConnectionEvent[];
  constructor(events: readonly ConnectionEvent[]) {
    this.events = events.filter((e) => e.time !== null).sort((a, b) => a.time! - b.time! || (a.id < b.id ? -1 : 1));
    this.times = this.events.map((e) => e.time!);
    this.untimed = events.filter((e) => e.time === null);
  }
  within(from: number, to: number): ConnectionEvent[] {
    let lo = 0;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.times[mid]! < from) lo = mid + 1;
      else hi = mid;
    }
    const found: ConnectionEvent[] = [];
    for (let i = lo; i < this.times.length && this.times[i]! <= to; i++) found.push(this.events[i]!);
    return found;
  }
}

function sharedKeys(incident: Incident, event: ConnectionEvent): string[] {
  const keys: string[] = [];
  for (const key of KEYS) {
    const mine = key === 'clientAddr' || key === 'clientPort' ? incident.anchor[key] : incident[key];
    const theirs = event[key];
    if (mine !== undefined && (key === 'path' ? pathKey(mine as string) === pathKey(theirs as string | undefined) : mine === theirs)) keys.push(key);
  }
  return keys;
}

/**
 * Whether an event can speak about this incident. An event naming another path is about another
 * request; an event with no request (a worker crash, a reload, a firewall packet) is joined by
 * time alone; an untimed incident joins by path alone.
 */
export function joinOf(incident: Incident, event: ConnectionEvent, windowMs: number): Join | undefined {
  if (incident.path !== undefined && event.path !== undefined && pathKey(incident.path) !== pathKey(event.path)) return undefined;
  if (incident.port !== undefined && event.port !== undefined && event.source === 'firewall' && incident.port !== event.port) return undefined;
  const keys = sharedKeys(incident, event);
  const dtMs = incident.time !== null && event.time !== null ? event.time - incident.time : null;
  if (dtMs === null && !keys.includes('path')) return undefined;
  // A line about some request, for a failure that names none, is joined by time alone: only when
  // it ended as the failure was seen, or every busy server's lines would join every failure. A
  // client that timed out waited first: the request's lines may come up to the window before.
  if (incident.path === undefined && event.path !== undefined && dtMs !== null) {
    const waited = TIMEOUT_KINDS.has(incident.anchor.kind) ? windowMs : SAME_REQUEST_MS;
    if (dtMs < -waited || dtMs > SAME_REQUEST_MS) return undefined;
  }
  const closeness = dtMs === null ? 0.5 : 1 - Math.abs(dtMs) / windowMs;
  return { event, dtMs, keys, score: Math.round((closeness + keys.length) * 1000) / 1000 };
}

/**
 * Whether a joined event of this source is the failed request itself: same path about the same
 * time; for a failure that names no path, any request line joined (joinOf already kept those to
 * the same moment); for a proxy line naming only host and port (a CONNECT), the same host and port.
 */
export function joinedRequest(incident: Incident, source: Source): boolean {
  return incident.joined.some((j) => {
    if (j.event.source !== source || (j.dtMs !== null && Math.abs(j.dtMs) > SAME_REQUEST_MS && j.keys.includes('path'))) return false;
    if (j.keys.includes('path')) return true;
    if (j.event.path === undefined) return j.keys.includes('host') && j.keys.includes('port') && j.event.method === 'CONNECT';
    return incident.path === undefined;
  });
}

/** Joins far-side evidence to each incident and records which far-side sources were alive yet silent. */
export function joinEvidence(
  incidents: Incident[],
  notable: readonly ConnectionEvent[],
  ordinary: readonly ConnectionEvent[],
  collector: EvidenceCollector,
  timeline: Timeline,
  windowMs: number,
): void {
  const index = new TimeIndex([...notable, ...ordinary]);
  const farSources = [...collector.sources].filter(isFarSide).sort();
  const sourcesPresent = [...collector.sources].sort();
  for (const incident of incidents) {
    const candidates = incident.time === null ? [...index.untimed, ...index.within(-Infinity, Infinity)] : index.within(incident.time - windowMs, incident.time + windowMs);
    const joins: Join[] = [];
    for (const event of candidates) {
      const join = joinOf(incident, event, windowMs);
      if (join) joins.push(join);
    }
    joins.sort((a, b) => b.score - a.score || (a.event.id < b.event.id ? -1 : 1));
    incident.joined = fewRequestsPerSource(joins).slice(0, MAX_JOINS);
    incident.sourcesPresent = sourcesPresent;
    incident.witnesses = farSources.map((source) => ({
      source,
      alive: incident.time === null ? null : aliveAround(collector, timeline, source, incident.time, windowMs),
      sawRequest:
        joinedRequest(incident, source) ||
        (incident.time !== null && incident.path !== undefined && loggedPath(collector, timeline, source, pathKey(incident.path)!, incident.time)),
    }));
  }
}

/** The joins with at most REQUESTS_PER_INCIDENT ordinary requests of each source: the best ones. */
function fewRequestsPerSource(joins: Join[]): Join[] {
  const requests = new Map<Source, number>();
  return joins.filter(({ event }) => {
    if (event.kind !== 'request' && event.kind !== 'response') return true;
    const seen = requests.get(event.source) ?? 0;
    requests.set(event.source, seen + 1);
    return seen < REQUESTS_PER_INCIDENT;
  });
}

function ownSecondsRange(collector: EvidenceCollector, timeline: Timeline, source: Source, utc: number, windowMs: number): [number, number] {
  const zoneless = collector.zonelessSources.has(source);
  return [
    Math.floor(timeline.toSourceClock(source, utc - windowMs, zoneless) / 1000),
    Math.floor(timeline.toSourceClock(source, utc + windowMs, zoneless) / 1000),
  ];
}

function aliveAround(collector: EvidenceCollector, timeline: Timeline, source: Source, utc: number, windowMs: number): boolean {
  const [from, to] = ownSecondsRange(collector, timeline, source, utc, windowMs);
  return collector.activeIn(source, from, to);
}

function loggedPath(collector: EvidenceCollector, timeline: Timeline, source: Source, path: string, utc: number): boolean {
  const [from, to] = ownSecondsRange(collector, timeline, source, utc, SAME_REQUEST_MS);
  return collector.loggedPath(source, path, from, to);
}
