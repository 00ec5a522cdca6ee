import type { ConnectionEvent, EventKind, Source } from '../model/event.js';
import type { Timeline } from '../time/timeline.js';
import type { EvidenceCollector } from './collect.js';
import { JOIN_KEYS, MAX_JOINS, REQUESTS_PER_INCIDENT, type Incident, type Join, type JoinKey, type Link, type Order, type SourceWitness } from './incident.js';
import { orderOf, spanOf } from './span.js';
import { clockGroup } from '../time/clock-group.js';
import { pathKey } from './keys.js';

/**
 * A server logs a request when it ends, which is when the client sees it end: a line for the same
 * path further away than this is another request (the next poll), not this one. Covers the access
 * log's whole-second stamps and a little skew.
 */
const SAME_REQUEST_MS = 3_000;
const TIMEOUT_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['read-timeout', 'connect-timeout']);

/**
 * Joins are most of what an incident holds, and most say the same few things: one list per set of
 * shared keys, and one copy of each tie's words (bounded), shared by every join that says them.
 * One per analysis: nothing outlives it.
 */
export class JoinSharing {
  private readonly keyLists = new Map<number, readonly JoinKey[]>();
  private readonly tieWords = new Map<string, string>();

  tie(tie: string): string {
    const known = this.tieWords.get(tie);
    if (known !== undefined) return known;
    if (this.tieWords.size < TIE_WORDS_CAP) this.tieWords.set(tie, tie);
    return tie;
  }

  keys(incident: Incident, event: ConnectionEvent): readonly JoinKey[] {
    let shared = 0;
    for (let i = 0; i < JOIN_KEYS.length; i++) {
      const key = JOIN_KEYS[i]!;
      const mine = key === 'clientAddr' || key === 'clientPort' ? incident.anchor[key] : incident[key];
      const theirs = event[key];
      if (mine !== undefined && (key === 'path' ? pathKey(mine as string) === pathKey(theirs as string | undefined) : mine === theirs)) shared |= 1 << i;
    }
    let keys = this.keyLists.get(shared);
    if (!keys) this.keyLists.set(shared, (keys = JOIN_KEYS.filter((_, i) => (shared & (1 << i)) !== 0)));
    return keys;
  }
}
const TIE_WORDS_CAP = 10_000;

/** Server events that name no request yet end every connection the process holds: only a cause when they came first. */
const PROCESS_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['worker-crash', 'reload']);
/**
 * Server events that name no request and are logged as a new connection is refused: they are the
 * failure's own moment, so one in the same second is as good as one before it.
 */
const REFUSAL_KINDS: ReadonlySet<EventKind> = new Set<EventKind>(['worker-exhausted', 'fd-exhausted', 'conn-limited', 'capacity-exhausted', 'no-live-upstreams']);

/**
 * Whether a line naming the failed path is the failed request itself: close enough in time (or
 * the failure has none), the same method and query where both say, and not an answer the client
 * did not get (a 200 logged for the path is another request when the client got a 502; a hop's
 * failure line may differ, as nginx's 499 behind HAProxy's 504).
 */
function sameRequest(incident: Incident, event: ConnectionEvent, dtMs: number | null, windowMs: number): boolean {
  if (!sameMoment(incident, event, dtMs, windowMs)) return false;
  if (incident.method !== undefined && event.method !== undefined && incident.method !== event.method) return false;
  const query = (path: string | undefined) => (path === undefined || !path.includes('?') ? undefined : path.slice(path.indexOf('?')));
  const [mine, theirs] = [query(incident.path), query(event.path)];
  if (mine !== undefined && theirs !== undefined && mine !== theirs) return false;
  const seen = incident.anchor.kind === 'http-error' ? incident.anchor.status : undefined;
  const answered = event.kind === 'request' || event.kind === 'response';
  return seen === undefined || !answered || event.status === undefined || event.status === seen;
}

/** Sources whose stamp is when the request was accepted (HAProxy's accept date, Envoy's START_TIME), not when it ended. */
const STAMPED_AT_START: ReadonlySet<Source> = new Set<Source>(['haproxy', 'envoy']);

/**
 * How long before the failure its request's own line may be stamped: a client that timed out
 * waited first, and a proxy stamps the request's start; else the stamps' resolution and skew.
 */
function earliestSameRequestMs(incident: Incident, event: ConnectionEvent, windowMs: number): number {
  return TIMEOUT_KINDS.has(incident.anchor.kind) || STAMPED_AT_START.has(event.source) ? windowMs : SAME_REQUEST_MS;
}

/** Whether a line of the failed request could be stamped at this distance from the failure (untimed: it could). */
function sameMoment(incident: Incident, event: ConnectionEvent, dtMs: number | null, windowMs: number): boolean {
  return dtMs === null || (dtMs <= SAME_REQUEST_MS && dtMs >= -earliestSameRequestMs(incident, event, windowMs));
}

/** The link of an event to the failure, and the words that say it. */
function linkOf(incident: Incident, event: ConnectionEvent, keys: readonly JoinKey[], dtMs: number | null, order: Order | null, windowMs: number): { link: Link; tie: string } {
  if (event.clientPort !== undefined && keys.includes('clientPort')) return { link: 'connection', tie: `same connection: client port ${event.clientPort}` };
  if (event.path !== undefined) {
    if (!keys.includes('path')) return { link: 'time', tie: 'time only: the failure names no path' };
    if (sameRequest(incident, event, dtMs, windowMs)) {
      return { link: 'request', tie: `same request ${event.method ?? incident.method ?? ''} ${event.path}`.replace('  ', ' ') + (dtMs === null ? ' (no time)' : '') };
    }
    return { link: 'path', tie: 'same path, another request' };
  }
  // The tunnel a proxy was asked for: the client's request inside it is never in the proxy's log.
  if (event.method === 'CONNECT' && keys.includes('host') && keys.includes('port') && sameMoment(incident, event, dtMs, windowMs)) {
    return { link: 'request', tie: `same request CONNECT ${event.host}:${event.port}` };
  }
  if (order === null || order === 'after') return { link: 'time', tie: order === 'after' ? 'time only: after the failure' : 'time only' };
  if (event.source === 'firewall' && keys.includes('port')) return { link: 'port', tie: `same port ${event.port}` };
  if (PROCESS_KINDS.has(event.kind) && (order === 'before' || order === 'within')) {
    return { link: 'process', tie: order === 'before' ? 'server process, before the failure' : 'server process, while the request was in flight' };
  }
  if (REFUSAL_KINDS.has(event.kind)) return { link: 'process', tie: `server refusing connections, ${order === 'before' ? 'before' : 'at'} the failure` };
  return { link: 'time', tie: order === 'concurrent' ? 'time only: the same moment, order unknown' : 'time only' };
}

export const LINK_RANK: Record<Link, number> = { connection: 5, request: 4, elimination: 3, port: 3, process: 3, path: 1, time: 0 };

/**
 * Whether an event can speak about this incident, and how it is tied. An event naming another
 * path is about another request and is not joined; a line about some request, for a failure that
 * names none, only when it ended as the failure was seen.
 */
export function joinOf(incident: Incident, event: ConnectionEvent, windowMs: number, sharing: JoinSharing): Join | undefined {
  if (incident.path !== undefined && event.path !== undefined && pathKey(incident.path) !== pathKey(event.path)) return undefined;
  if (incident.port !== undefined && event.port !== undefined && event.source === 'firewall' && incident.port !== event.port) return undefined;
  const keys = sharing.keys(incident, event);
  const dtMs = incident.time !== null && event.time !== null ? event.time - incident.time : null;
  if (dtMs === null && !keys.includes('path')) return undefined;
  // A client that timed out waited first: the request's lines may come up to the window before.
  if (incident.path === undefined && event.path !== undefined && dtMs !== null) {
    const waited = TIMEOUT_KINDS.has(incident.anchor.kind) ? windowMs : SAME_REQUEST_MS;
    if (dtMs < -waited || dtMs > SAME_REQUEST_MS) return undefined;
  }
  const eventSpan = spanOf(event);
  const order = eventSpan && incident.span ? orderOf(eventSpan, incident.span) : null;
  const { link, tie } = linkOf(incident, event, keys, dtMs, order, windowMs);
  const closeness = dtMs === null ? 0.5 : 1 - Math.min(1, Math.abs(dtMs) / windowMs);
  return { event, dtMs, keys, link, tie: sharing.tie(tie), order, score: Math.round((LINK_RANK[link] * 2 + closeness + keys.length / 10) * 1000) / 1000 };
}

/** A join found to be tied more strongly than its own line said: its score follows its new link. */
function relink(join: Join, link: Link, tie: string, sharing: JoinSharing): void {
  join.score = Math.round((join.score + (LINK_RANK[link] - LINK_RANK[join.link]) * 2) * 1000) / 1000;
  join.link = link;
  join.tie = sharing.tie(tie);
}

/**
 * Lines of one nginx connection (`*N`, one process) speak of the same request as a line of it that
 * names the request: `*12 upstream prematurely closed … request: "GET /x"` ties `*12 … keepalive`.
 */
function tieConnections(joins: Join[], sharing: JoinSharing): void {
  const connectionOf = (e: ConnectionEvent) => (e.connId === undefined ? undefined : `${e.source}\0${e.pid ?? ''}\0${e.connId}`);
  const tied = new Set<string>();
  for (const join of joins) if (join.link === 'request' || join.link === 'connection') tied.add(connectionOf(join.event) ?? '');
  tied.delete('');
  for (const join of joins) {
    const connection = connectionOf(join.event);
    if (connection === undefined || !tied.has(connection) || join.link === 'request' || join.link === 'connection') continue;
    relink(join, 'connection', `same connection *${join.event.connId}`, sharing);
  }
}

/** Clocks of different programs agree to about this, after the timeline's correction. */
const CLOCK_SKEW_MS = 1_000;

/** Whether an event's span lies within the clocks' skew of the failure's span: logged as it was seen. */
function atTheMoment(incident: Incident, event: ConnectionEvent): boolean {
  const span = spanOf(event);
  if (span === null || incident.span === null) return false;
  return span.from <= incident.span.to + CLOCK_SKEW_MS && span.to >= incident.span.from - CLOCK_SKEW_MS;
}

/**
 * A failure that names no request, and a source that logged failed requests at its moment, all
 * failed the same way (one 444, or both of two 444s): whichever was the client's, it says the same.
 * Ordinary requests (it answered them) and lines of another moment do not count either way.
 */
function tieByElimination(incident: Incident, joins: Join[], sharing: JoinSharing): void {
  // One hop (nginx's error and access logs are one) speaks with one voice.
  const failedByHop = new Map<string, Join[]>();
  for (const join of joins) {
    const e = join.event;
    if (e.path === undefined || e.kind === 'request' || e.kind === 'response' || !atTheMoment(incident, e)) continue;
    const list = failedByHop.get(clockGroup(e.source)) ?? [];
    failedByHop.set(clockGroup(e.source), list);
    list.push(join);
  }
  for (const [hop, failed] of failedByHop) {
    const way = (j: Join) => `${j.event.kind} ${j.event.status ?? ''}`;
    if (failed.some((j) => way(j) !== way(failed[0]!))) continue;
    const tie = `the only kind of failed request ${hop} logged at that moment (${failed.length} line${failed.length > 1 ? 's' : ''})`;
    for (const join of failed) relink(join, 'elimination', tie, sharing);
  }
}

/**
 * A failure with neither time nor request, but an HTTP error status (a test that asserted on a
 * 413): a hop that logged that status for exactly one request logged it for this one.
 */
function onlyOfItsStatus(incident: Incident, candidates: readonly ConnectionEvent[]): Join[] {
  const status = statusOnly(incident);
  if (status === undefined) return [];
  const byHop = new Map<string, ConnectionEvent[]>();
  for (const event of candidates) {
    if (!failedWith(event, status)) continue;
    const hop = clockGroup(event.source);
    const events = byHop.get(hop) ?? [];
    byHop.set(hop, events);
    events.push(event);
  }
  return [...byHop].flatMap(([hop, events]) =>
    events.length !== 1 ? [] : [{ event: events[0]!, dtMs: null, keys: [], link: 'elimination' as const, tie: `the only ${status} ${hop} logged`, order: null, score: LINK_RANK.elimination * 2 }],
  );
}

/** The HTTP error status an incident with neither time nor request is known by. */
function statusOnly(incident: Incident): number | undefined {
  return incident.time === null && incident.path === undefined && incident.anchor.kind === 'http-error' ? incident.anchor.status : undefined;
}
function failedWith(event: ConnectionEvent, status: number): boolean {
  return event.status === status && event.kind !== 'request' && event.kind !== 'response';
}

/**
 * Whether an event can join an incident that has no time: only one of its path, or, naming none,
 * one that failed with its status (joinOf and onlyOfItsStatus take nothing else). Such an incident
 * looks at the whole far side: what it can use is picked out as the far side streams past.
 */
export function untimedCandidate(incident: Incident, event: ConnectionEvent): boolean {
  if (incident.path !== undefined) return event.path !== undefined && pathKey(event.path) === pathKey(incident.path);
  const status = statusOnly(incident);
  return status !== undefined && failedWith(event, status);
}

/** Whether a source logged the failed request itself (a same-request or same-connection line). */
export function joinedRequest(incident: Incident, source: Source): boolean {
  return incident.joined.some((j) => j.event.source === source && (j.link === 'request' || j.link === 'connection'));
}

/** What joining needs besides the incident and its candidates: one per analysis. */
export interface JoinContext {
  collector: EvidenceCollector;
  timeline: Timeline;
  windowMs: number;
  sharing: JoinSharing;
  farSources: Source[];
  sourcesPresent: Source[];
  /** Per source, the first second of its own clock it logged in (where it logged a timed line). */
  firstActive: ReadonlyMap<Source, number>;
}

export function joinContext(collector: EvidenceCollector, timeline: Timeline, windowMs: number): JoinContext {
  const sourcesPresent = [...collector.sources].sort();
  const firstActive = new Map(sourcesPresent.flatMap((source) => {
    const first = collector.firstActive(source);
    return first === undefined ? [] : [[source, first] as const];
  }));
  return { collector, timeline, windowMs, sharing: new JoinSharing(), farSources: sourcesPresent.filter((source) => collector.sides.isFarSide(source)), sourcesPresent, firstActive };
}

/**
 * Joins far-side evidence to one incident and records which far-side sources were alive yet
 * silent. `candidates`: the far side's events within the window of its time, or, for an incident
 * with none, those untimedCandidate() picked.
 */
export function joinIncident(incident: Incident, candidates: readonly ConnectionEvent[], context: JoinContext): void {
  const { collector, timeline, windowMs, sharing } = context;
  const joins: Join[] = [];
  const own = new Set(incident.records);
  for (const event of candidates) {
    if (own.has(event)) continue;
    const join = joinOf(incident, event, windowMs, sharing);
    if (join) joins.push(join);
  }
  if (incident.time === null && incident.path === undefined) joins.push(...onlyOfItsStatus(incident, candidates));
  if (incident.path === undefined) tieByElimination(incident, joins, sharing);
  tieConnections(joins, sharing);
  joins.sort((a, b) => b.score - a.score || (a.event.id < b.event.id ? -1 : 1));
  incident.joined = fewRequestsPerSource(joins).slice(0, MAX_JOINS);
  incident.sourcesPresent = context.sourcesPresent;
  incident.witnesses = context.farSources.map((source) => ({
    source,
    side: collector.sides.sideOf(source),
    ...(incident.time === null ? { alive: null } : aliveAround(context, source, incident.time)),
    sawRequest:
      joinedRequest(incident, source) ||
      (incident.time !== null && incident.path !== undefined && loggedPath(collector, timeline, source, pathKey(incident.path)!, incident.time)),
  }));
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

/**
 * Whether a source could have logged the failed request: it logged something within the window,
 * and its program's logs (the sources of its clock group) had begun by the failure's second. Logs
 * that begin after it (a server started later, another run's, the part before rotated away) are
 * silent about the request because they cannot speak of it.
 */
function aliveAround(context: JoinContext, source: Source, utc: number): Pick<SourceWitness, 'alive' | 'beganAfter'> {
  const { collector, timeline, windowMs } = context;
  const [from, to] = ownSecondsRange(collector, timeline, source, utc, windowMs);
  if (!collector.activeIn(source, from, to)) return { alive: false };
  const group = clockGroup(source);
  const begun = context.sourcesPresent.some((other) => {
    if (clockGroup(other) !== group) return false;
    const first = context.firstActive.get(other);
    return first !== undefined && first <= Math.floor(timeline.toSourceClock(other, utc, collector.zonelessSources.has(other)) / 1000);
  });
  return begun ? { alive: true } : { alive: false, beganAfter: true };
}

function loggedPath(collector: EvidenceCollector, timeline: Timeline, source: Source, path: string, utc: number): boolean {
  const [from, to] = ownSecondsRange(collector, timeline, source, utc, SAME_REQUEST_MS);
  return collector.loggedPath(source, path, from, to);
}
