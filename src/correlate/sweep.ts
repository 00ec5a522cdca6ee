import type { ConnectionEvent } from '../model/event.js';
import { FarGroups, farIncident, isFarFailure } from './far-side.js';
import { DECISIVE_LINKS, type Incident, type Join } from './incident.js';
import { joinIncident, untimedCandidate, type JoinContext } from './join.js';
import { tieStaleReuse } from './keepalive.js';
import { pathKey } from './keys.js';
import type { ClientIncidents } from './correlate.js';

/** What the sweep needs of a verdict: its incident, and the joins it rested on (a client's claim on the far side). */
export interface Decided {
  incident: Incident;
  deciding: readonly Join[];
}

export interface SweepInput<V extends Decided> {
  /** The client's incidents (correlate.ts holdIncidents): handed over, each let go once decided. */
  incidents: ClientIncidents;
  /**
   * The far side's kept events on the timeline, in time order, untimed last; the same events in the
   * same order each time it is called (a pass may read them from disk again: other objects).
   */
  events: () => Iterable<ConnectionEvent>;
  /** The keep-alive configs among them, on the timeline: any client incident may need one. */
  configs: readonly ConnectionEvent[];
  context: JoinContext;
  decide: (incident: Incident) => V;
  /** Each verdict once decided, in incident order: by time, then by the anchor's id, untimed last. */
  emit: (verdict: V) => void;
  /** A promise while what the verdicts are written to is congested (a full pipe): the sweep waits for it. */
  congested?: () => Promise<void> | undefined;
}

/**
 * Decides every incident while the far side streams past once, in time order, holding only the
 * window around the failures not yet decided: a client's incident once the window after it has
 * been read; a far-side failure's group of lines once no later line can join it and every client
 * incident that could claim one of its lines is decided. Incidents without a time look at the
 * whole far side: one more pass picks out what they can use (before the sweep for the client's,
 * which may claim far-side lines; after it for the far side's own).
 * The verdicts are those of deciding every incident with the whole far side in memory.
 */
export async function sweep<V extends Decided>(input: SweepInput<V>): Promise<void> {
  const { context, decide } = input;
  const windowMs = context.windowMs;
  // Claims are by place in the stream: a pass that reads the events again gets other objects.
  const claimed = new Set<number>();
  const places = new WeakMap<ConnectionEvent, number>();
  const verdicts = new InOrder<V>(input.emit);
  const decideClient = (incident: Incident, candidates: ConnectionEvent[]) => {
    joinIncident(incident, candidates, context);
    tieStaleReuse([incident], input.configs, context.collector.sources);
    const claim = (event: ConnectionEvent) => {
      const place = places.get(event);
      if (place !== undefined) claimed.add(place);
    };
    for (const join of incident.joined) if (DECISIVE_LINKS.includes(join.link)) claim(join.event);
    const verdict = decide(incident);
    for (const join of verdict.deciding) claim(join.event);
    verdicts.add(verdict);
  };
  const untimedClients = input.incidents.untimed.splice(0);
  if (untimedClients.length > 0) {
    const candidates = pickUntimed(untimedClients, numbered(input.events(), places), new Map());
    for (const incident of untimedClients) decideClient(incident, candidates.get(incident)!);
  }

  // The timed ones in time order, the next one looked at before it is taken (read from disk, if spilled, as the sweep comes to it).
  const clients = input.incidents.timed[Symbol.iterator]();
  let nextClient = clients.next();
  const clientTime = () => (nextClient.done ? Infinity : nextClient.value.time!);
  const window = new Window();
  const groups = new FarGroups();
  /** Groups no line can join any more, waiting for the client's incidents that could claim them. */
  let closed: ConnectionEvent[][] = [];
  const untimedFailures = new Map<number, ConnectionEvent>();
  const decideFar = (group: ConnectionEvent[]) => {
    if (group.some((event) => claimed.has(places.get(event)!))) return;
    const incident = farIncident(group, context.collector.sides);
    joinIncident(incident, window.within(incident.time! - windowMs, incident.time! + windowMs), context);
    verdicts.add(decide(incident));
  };
  /** Every event before `now` (UTC ms) has been read: decides what the window has passed. */
  const advance = (now: number) => {
    while (clientTime() + windowMs < now) {
      const incident = nextClient.value as Incident;
      nextClient = clients.next();
      decideClient(incident, window.within(incident.time! - windowMs, incident.time! + windowMs));
    }
    closed.push(...groups.closeBefore(now));
    // A group's lines are claimed, if at all, by client incidents up to the window after its last.
    closed = closed.filter((group) => {
      const last = group[group.length - 1]!.time!;
      if (last + windowMs >= now || last + windowMs >= clientTime()) return true;
      decideFar(group);
      return false;
    });
    // No incident yet to decide lies before this: what is decided before it is final, and what
    // lies a window before it is no candidate any more.
    let earliest = Math.min(now, clientTime(), groups.firstOpen ?? Infinity);
    for (const group of closed) earliest = Math.min(earliest, group[0]!.time!);
    window.dropBefore(earliest - windowMs);
    verdicts.release(earliest);
  };

  let batch: ConnectionEvent[] = [];
  let batchTime = -Infinity;
  // Lines of one moment join groups in the order of their ids (far-side.ts's order).
  const group = () => {
    for (const event of batch.filter(isFarFailure).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) groups.add(event);
    batch = [];
  };
  for (const event of numbered(input.events(), places)) {
    if (event.time === null) {
      if (isFarFailure(event)) untimedFailures.set(places.get(event)!, event);
      continue;
    }
    if (event.time !== batchTime) {
      group();
      advance(event.time);
      batchTime = event.time;
      // A slow reader of the verdicts holds the sweep, not a growing queue of written text.
      const congested = input.congested?.();
      if (congested) await congested;
    }
    window.push(event);
    batch.push(event);
  }
  group();
  advance(Infinity);

  // Untimed far-side lines: each its own incident, in the order of their ids.
  const untimed = [...untimedFailures]
    .filter(([at]) => !claimed.has(at))
    .sort(([, a], [, b]) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(([, event]) => farIncident([event], context.collector.sides));
  if (untimed.length > 0) {
    const candidates = pickUntimed(untimed, input.events(), untimedFailures);
    for (const incident of untimed) {
      joinIncident(incident, candidates.get(incident)!, context);
      verdicts.add(decide(incident));
    }
  }
  verdicts.release(Infinity);
  verdicts.end();
}

/**
 * The events, with the far-side failures' places in the stream noted in `places`: only a failure's
 * claim is ever looked up (its group's, or its own when untimed), and a weak map's entry is dear.
 */
function* numbered(events: Iterable<ConnectionEvent>, places: WeakMap<ConnectionEvent, number>): Generator<ConnectionEvent> {
  let place = 0;
  for (const event of events) {
    if (isFarFailure(event)) places.set(event, place);
    place++;
    yield event;
  }
}

/**
 * One pass over the far side for incidents without a time: each one's candidates. `known`: events
 * already held by place, which stand for their copy read again (an incident's own line is its own).
 */
function pickUntimed(incidents: readonly Incident[], events: Iterable<ConnectionEvent>, known: ReadonlyMap<number, ConnectionEvent>): Map<Incident, ConnectionEvent[]> {
  const candidates = new Map<Incident, ConnectionEvent[]>(incidents.map((incident) => [incident, []]));
  const byPath = new Map<string, Incident[]>();
  const byStatus: Incident[] = [];
  for (const incident of incidents) {
    const path = pathKey(incident.path);
    if (path === undefined) byStatus.push(incident);
    else byPath.set(path, [...(byPath.get(path) ?? []), incident]);
  }
  let place = 0;
  for (const read of events) {
    const event = known.get(place++) ?? read;
    const path = pathKey(event.path);
    for (const incident of [...(path === undefined ? [] : (byPath.get(path) ?? [])), ...byStatus]) {
      if (untimedCandidate(incident, event)) candidates.get(incident)!.push(event);
    }
  }
  return candidates;
}

/** The events read and not yet passed by every incident's window, in time order. */
class Window {
  private events: ConnectionEvent[] = [];
  private head = 0;

  push(event: ConnectionEvent): void {
    this.events.push(event);
  }

  dropBefore(time: number): void {
    while (this.head < this.events.length && this.events[this.head]!.time! < time) this.head++;
    // Compacted once the dropped part is most of the array: each event is moved about once.
    if (this.head > 1024 && this.head * 2 > this.events.length) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
  }

  /** The events from `from` to `to` (inclusive). */
  within(from: number, to: number): ConnectionEvent[] {
    const events = this.events;
    let lo = this.head;
    let hi = events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (events[mid]!.time! < from) lo = mid + 1;
      else hi = mid;
    }
    const found: ConnectionEvent[] = [];
    for (let i = lo; i < events.length && events[i]!.time! <= to; i++) found.push(events[i]!);
    return found;
  }
}

/** Incident order: by time, untimed last, then by the anchor's id. */
function incidentOrder(a: Incident, b: Incident): number {
  const [x, y] = [a.time ?? Infinity, b.time ?? Infinity];
  if (x !== y) return x < y ? -1 : 1;
  return a.anchor.id < b.anchor.id ? -1 : a.anchor.id > b.anchor.id ? 1 : 0;
}

/** Verdicts decided out of order, handed on in incident order once none can come before them. */
class InOrder<V extends Decided> {
  private waiting: V[] = [];
  constructor(private readonly emit: (verdict: V) => void) {}

  add(verdict: V): void {
    const waiting = this.waiting;
    let at = waiting.length;
    while (at > 0 && incidentOrder(waiting[at - 1]!.incident, verdict.incident) > 0) at--;
    waiting.splice(at, 0, verdict);
  }

  /** Hands on the verdicts of incidents before `time`. */
  release(time: number): void {
    let n = 0;
    while (n < this.waiting.length && (this.waiting[n]!.incident.time ?? Infinity) < time) this.emit(this.waiting[n++]!);
    if (n > 0) this.waiting = this.waiting.slice(n);
  }

  /** Hands on the rest (untimed). */
  end(): void {
    for (const verdict of this.waiting) this.emit(verdict);
    this.waiting = [];
  }
}
