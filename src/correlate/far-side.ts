import type { ConnectionEvent, EventKind, Source, SourceSides } from '../model/event.js';
import { clockGroup } from '../time/clock-group.js';
import { requestFieldsOf, type Incident, type Origin } from './incident.js';
import { pathKey } from './keys.js';
import { spanOf } from './span.js';

/**
 * What a server, proxy or firewall logs when a connection failed for a request: each such line
 * that no client failure claims opens an incident of its own. Left out on purpose: reloads (a
 * graceful reload fails nothing), TLS handshakes (scanners and probes), 400/408 and other statuses
 * (routine for a public server), and keep-alive closes.
 */
const FAR_FAILURE_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  'upstream-reset',
  'upstream-timeout',
  'upstream-premature-close',
  'upstream-refused',
  'upstream-bad-response',
  'upstream-tls-failed',
  'no-live-upstreams',
  'body-too-large',
  'rate-limited',
  'conn-limited',
  'capacity-exhausted',
  'client-closed',
  'server-closed',
  'worker-crash',
  'worker-exhausted',
  'fd-exhausted',
  'proxy-closed',
  'proxy-denied',
  'firewall-drop',
]);

/** A kernel LOG line says it dropped or rejected only through the prefix its rule gave it. */
const FIREWALL_VERDICT = /REJECT|DROP|DENY|BLOCK|RESET|\bRST\b/i;

/** Lines of one request, as far as one hop's stamps can tell: within this of each other. */
const SAME_REQUEST_MS = 3_000;

/** Failures of the server process itself: they need name no request to have failed some. */
const PROCESS_FAILURES: ReadonlySet<EventKind> = new Set<EventKind>(['worker-crash', 'worker-exhausted', 'fd-exhausted', 'conn-limited', 'capacity-exhausted', 'no-live-upstreams']);

export function isFarFailure(event: ConnectionEvent): boolean {
  if (!FAR_FAILURE_KINDS.has(event.kind)) return false;
  if (event.kind === 'firewall-drop') return event.proxyCode !== undefined && FIREWALL_VERDICT.test(event.proxyCode);
  if (PROCESS_FAILURES.has(event.kind)) return true;
  // An application server logs a client leaving only while it answered a request.
  if (event.source === 'app' && event.kind === 'client-closed') return true;
  // A line about a request: it names one, or its client, or says it was proxying one ("while
  // reading response header from upstream"). A bare reset (a health check's probe connection), or
  // a client closing its idle connection, failed no request; nor did a client that left before its
  // request came whole (HAProxy's `CR--` "<BADREQ>": a port probe), whatever status the proxy logs.
  const aboutRequest = event.path !== undefined || event.status !== undefined;
  if (event.kind === 'client-closed') return event.path !== undefined;
  return aboutRequest || event.clientAddr !== undefined || (event.phase !== undefined && event.phase.includes('upstream'));
}

function originOf(source: Source, sides: SourceSides): Origin {
  if (source === 'firewall') return 'firewall';
  return sides.sideOf(source) === 'proxy' ? 'proxy' : 'server';
}

/** Whether two far-side lines speak of one request: the same process's `*N`, or the same method and path at one moment. */
function sameFarRequest(a: ConnectionEvent, b: ConnectionEvent): boolean {
  if (a.time === null || b.time === null || Math.abs(a.time - b.time) > SAME_REQUEST_MS) return false;
  if (clockGroup(a.source) !== clockGroup(b.source)) return false;
  if (a.connId !== undefined && a.connId === b.connId && a.source === b.source && a.pid === b.pid) return true;
  if (a.path === undefined || b.path === undefined) return a.path === b.path && a.kind === b.kind;
  return pathKey(a.path) === pathKey(b.path) && (a.method === undefined || b.method === undefined || a.method === b.method);
}

/** The line that names the failure best: one saying who closed, then one naming the request. */
function describing(records: readonly ConnectionEvent[]): ConnectionEvent {
  const weight = (e: ConnectionEvent) => (e.closedBy ? 4 : 0) + (e.path ? 2 : 0) + (e.source === 'nginx-error' ? 1 : 0);
  return [...records].sort((a, b) => weight(b) - weight(a) || (a.id < b.id ? -1 : 1))[0]!;
}

/** The incident a group of far-side lines about one request opens, unless a client's failure claims one of them. */
export function farIncident(records: ConnectionEvent[], sides: SourceSides): Incident {
  const anchor = describing(records);
  const { method, path, host, port } = requestFieldsOf(anchor, records);
  return {
    id: '',
    origin: originOf(anchor.source, sides),
    time: anchor.time,
    span: spanOf(anchor),
    timeQuality: anchor.timeQuality,
    anchor,
    records,
    method,
    path,
    host,
    port,
    joined: [],
    witnesses: [],
    sourcesPresent: [],
  };
}

/** Far-side failures grouped by request as they come, in time order (then id): only recent groups can take a line. */
export class FarGroups {
  /** Groups a later line may still join, in the order begun. */
  private open: ConnectionEvent[][] = [];

  /** The time the oldest open group began; undefined when none is open. */
  get firstOpen(): number | undefined {
    return this.open[0]?.[0]!.time ?? undefined;
  }

  /** A timed failure: into the group of its request, or a group of its own. */
  add(event: ConnectionEvent): void {
    const groups = this.open;
    let group: ConnectionEvent[] | undefined;
    // Groups are in time order: only those begun shortly before can hold this request's lines.
    for (let i = groups.length - 1; i >= 0 && groups[i]![0]!.time! >= event.time! - 2 * SAME_REQUEST_MS; i--) {
      if (groups[i]!.some((other) => sameFarRequest(other, event))) {
        group = groups[i];
        break;
      }
    }
    if (group) group.push(event);
    else groups.push([event]);
  }

  /** Takes out the groups no line from `time` on can join. */
  closeBefore(time: number): ConnectionEvent[][] {
    let n = 0;
    while (n < this.open.length && this.open[n]![0]!.time! < time - 2 * SAME_REQUEST_MS) n++;
    return this.open.splice(0, n);
  }
}
