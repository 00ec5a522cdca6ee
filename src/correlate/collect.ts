import { CLIENT_FAILURE_KINDS, PATH_SOURCES, SERVER_SOURCES, type ConnectionEvent, type Source } from '../model/event.js';
import { clockGroup } from '../time/clock-group.js';
import type { TrafficSample } from '../time/offset.js';
import { pathKey } from './keys.js';

/** Sources that speak for the far side of the connection: read after the client side. */
export function isFarSide(source: Source): boolean {
  return SERVER_SOURCES.includes(source) || PATH_SOURCES.includes(source);
}

const TRAFFIC_SAMPLE_CAP = 20_000;
const SEVERE_LEVELS = new Set(['warn', 'warning', 'error', 'crit', 'critical', 'alert', 'emerg']);

/**
 * A line's strings are slices of the 256 KiB chunk it was read from, and V8 keeps the whole chunk
 * alive for as long as any slice lives: a kept event would pin its chunk. Kept events and keys are
 * therefore copied, so memory holds what is kept and not the file around it.
 */
function retain(event: ConnectionEvent): ConnectionEvent {
  return structuredClone(event);
}
function detach(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}

/**
 * Idle connections closed in the ordinary way: a client closing its keep-alive connection, or one
 * that never sent a request. A busy nginx logs thousands at info level; none speaks of a request.
 */
function isRoutineClose(event: ConnectionEvent): boolean {
  if (event.kind === 'keepalive-closed') return event.closedBy === 'client';
  return event.kind === 'client-closed' && event.path === undefined && event.status === undefined;
}
/** Ordinary requests kept whole per (source, path); beyond it, presence is still known per second. */
const ORDINARY_PER_PATH_CAP = 200;

/**
 * Keeps what correlation needs from the event stream, and no more: every failure and every
 * notable server/proxy event whole; ordinary traffic only as counts per second (was the source
 * alive?), a bounded sample for clock matching, and per-second presence for the paths that failed.
 * Memory grows with the failures and the job's duration, not with the number of lines.
 */
export class EvidenceCollector {
  readonly anchors: ConnectionEvent[] = [];
  readonly notable: ConnectionEvent[] = [];
  readonly ordinary: ConnectionEvent[] = [];
  readonly sources = new Set<Source>();
  readonly zonelessSources = new Set<Source>();
  /** Per clock group: the traffic sample for offset estimation. */
  readonly traffic = new Map<string, TrafficSample[]>();
  /** Per clock group: the zone printed in its stamps (minutes east of UTC), first seen. */
  readonly zoneSeen = new Map<string, number>();
  /** Per source: events per second of its own clock. */
  readonly activity = new Map<Source, Map<number, number>>();
  /** Per source and failed path: the seconds (own clock) in which it logged that path. */
  readonly presence = new Map<string, number[]>();
  private readonly ordinaryPerPath = new Map<string, number>();
  private anchorPaths = new Set<string>();

  /** Called between the client side and the far side: which paths failed. */
  freezeAnchors(): void {
    for (const anchor of this.anchors) if (anchor.path) this.anchorPaths.add(pathKey(anchor.path)!);
  }

  /** The client log's last record (its own clock): an INTERNALERROR ends the pytest run about then. */
  lastClientRecord: Pick<ConnectionEvent, 'source' | 'time' | 'zoneless' | 'timeQuality'> | undefined;

  add(event: ConnectionEvent): void {
    this.sources.add(event.source);
    if (event.source === 'client' && event.time !== null && (!this.lastClientRecord || event.time >= this.lastClientRecord.time!)) {
      // Fields copied, not the event: the timeline later rewrites kept events' times in place.
      this.lastClientRecord = { source: event.source, time: event.time, zoneless: event.zoneless, timeQuality: event.timeQuality };
    }
    if (event.zoneless) this.zonelessSources.add(event.source);
    if (event.time !== null) this.countActivity(event.source, event.time);
    if (CLIENT_FAILURE_KINDS.has(event.kind)) {
      this.anchors.push(retain(event));
      return;
    }
    const path = pathKey(event.path);
    if (event.kind === 'request' || event.kind === 'response') {
      this.sampleTraffic(event);
      if (path !== undefined && this.anchorPaths.has(path)) this.keepOrdinary(event, path);
      return;
    }
    if (event.kind === 'other') {
      // Unclassified server lines stay visible to user rules (a `text` pattern) when they could
      // matter: a warning or worse, or one about a request that failed.
      const severe = event.level !== undefined && SEVERE_LEVELS.has(event.level);
      if (isFarSide(event.source) && (severe || (path !== undefined && this.anchorPaths.has(path)))) this.notable.push(retain(event));
      return;
    }
    if (!isRoutineClose(event)) this.notable.push(retain(event));
  }

  private countActivity(source: Source, time: number): void {
    let perSecond = this.activity.get(source);
    if (!perSecond) this.activity.set(source, (perSecond = new Map()));
    const second = Math.floor(time / 1000);
    perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
  }

  private sampleTraffic(event: ConnectionEvent): void {
    if (event.time === null || event.method === undefined || event.path === undefined || event.status === undefined) return;
    const group = clockGroup(event.source);
    if (event.utcOffset !== undefined && !this.zoneSeen.has(group)) this.zoneSeen.set(group, event.utcOffset);
    let samples = this.traffic.get(group);
    if (!samples) this.traffic.set(group, (samples = []));
    if (samples.length < TRAFFIC_SAMPLE_CAP) {
      samples.push({ key: detach(`${event.method} ${pathKey(event.path)} ${event.status}`), time: event.time, zoneless: event.zoneless === true });
    }
  }

  private keepOrdinary(event: ConnectionEvent, path: string): void {
    const key = `${event.source}\0${path}`;
    if (event.time !== null) {
      const second = Math.floor(event.time / 1000);
      let seconds = this.presence.get(key);
      if (!seconds) this.presence.set(key, (seconds = []));
      if (seconds[seconds.length - 1] !== second) seconds.push(second);
    }
    const kept = this.ordinaryPerPath.get(key) ?? 0;
    if (kept < ORDINARY_PER_PATH_CAP) {
      this.ordinaryPerPath.set(key, kept + 1);
      this.ordinary.push(retain(event));
    }
  }
}
