import type { ConnectionEvent, Side, Source, TimeQuality } from '../model/event.js';

/** The most events joined to one incident, best first. */
export const MAX_JOINS = 50;
/**
 * The most ordinary requests of one source joined to one incident, the nearest: the failed request's
 * own line is among them. A busy endpoint logs dozens within the window; joined, they crowded the
 * events that explain the failure (a worker crash, a 444) out of the MAX_JOINS.
 */
export const REQUESTS_PER_INCIDENT = 5;

/**
 * Why a joined event belongs to this failure, strongest first:
 * - connection: the same connection (nginx `*N` of a line about this request, the client's port);
 * - request: the same method and path within the stamps' resolution (a proxy's CONNECT: the same
 *   host and port);
 * - elimination: the failure names no request, and every failed request a source logged at that
 *   moment failed the same way: whichever it was, it says the same;
 * - port: a request-less line about the failed request's port (a firewall packet) not after it;
 * - process: a request-less server event (worker crash, reload, limits) that certainly came
 *   before the failure or while its request was in flight;
 * - path: the same path at another time: another request;
 * - time: nothing but the time: context, never decisive.
 */
export type Link = 'connection' | 'request' | 'elimination' | 'port' | 'process' | 'path' | 'time';
/** The links a verdict may rest on, unless a rule asks for stricter ones. */
export const DECISIVE_LINKS: readonly Link[] = ['connection', 'request', 'elimination', 'port', 'process'];

/**
 * Where an event lies against the failure, both taken as intervals (a 1 s stamp covers its
 * second): wholly before it, within the span the failure can lie in, wholly after, or overlapping
 * its edges (concurrent: cannot be ordered).
 */
export type Order = 'before' | 'within' | 'concurrent' | 'after';

/** The keys an event may share with a failure: the join compares these, rules name them (sameKeys), the rule schema lists them. */
export const JOIN_KEYS = ['method', 'path', 'host', 'port', 'clientAddr', 'clientPort'] as const;
export type JoinKey = (typeof JOIN_KEYS)[number];

/** An event of another source joined to an incident, with why. */
export interface Join {
  event: ConnectionEvent;
  /** event time - incident time, in ms; null when either has no time. */
  dtMs: number | null;
  /** The JOIN_KEYS both share (one list per set of keys, shared by the joins that share them). */
  keys: readonly JoinKey[];
  link: Link;
  /** How it is tied, in words: `same connection *12`, `same request GET /api/x`, `time only`. */
  tie: string;
  /** null when either has no time. */
  order: Order | null;
  score: number;
}

/** Which side's record opened the incident. */
export type Origin = 'client' | 'server' | 'proxy' | 'firewall';

/** What a far-side source (server, proxy, firewall) said around the incident. */
export interface SourceWitness {
  source: Source;
  /** The side it speaks for (the run's SourceSides): server, or proxy for a proxy or firewall. */
  side: Side;
  /**
   * It logged something within the window, and its program's logs had begun by the failure (so it
   * could have logged the request); null when the incident has no time.
   */
  alive: boolean | null;
  /** Not alive because its program's logs begin after the failure (started later, another run's, or rotated away before it). */
  beganAfter?: true;
  /** It logged this request (same path) within the window, or a joined event shares the path. */
  sawRequest: boolean;
}

/**
 * One failure, however many records (pytest, client log, retries; or a far side's lines about the
 * request when no client record joins them) show it.
 */
export interface Incident {
  id: string;
  origin: Origin;
  time: number | null;
  /** The span the failure lies in (ms): its stamp's resolution, or more when its time is only a bound. */
  span: { from: number; to: number } | null;
  timeQuality: TimeQuality;
  /** The record that names the failure best (errno, exception, test). */
  anchor: ConnectionEvent;
  /** Every client-side record merged into this incident. */
  records: ConnectionEvent[];
  test?: string;
  method?: string;
  path?: string;
  host?: string;
  port?: number;
  scheme?: 'http' | 'https';
  joined: Join[];
  witnesses: SourceWitness[];
  /** Sources present anywhere in the directory. */
  sourcesPresent: Source[];
}

/** What an incident knows of its request and test: each from the anchor, else from the first record that says it. */
export function requestFieldsOf(anchor: ConnectionEvent, records: readonly ConnectionEvent[]): Pick<Incident, 'test' | 'method' | 'path' | 'host' | 'port'> {
  const first = <K extends 'test' | 'method' | 'path' | 'host' | 'port'>(key: K): ConnectionEvent[K] | undefined => anchor[key] ?? records.find((r) => r[key] !== undefined)?.[key];
  return { test: first('test'), method: first('method'), path: first('path'), host: first('host'), port: first('port') };
}

/** The failed request's URL (`http` unless a record said `https`); undefined without a host. */
export function incidentUrl(incident: Pick<Incident, 'scheme' | 'host' | 'port' | 'path'>, missingPath: string): string | undefined {
  if (incident.host === undefined) return undefined;
  return `${incident.scheme ?? 'http'}://${incident.host}${incident.port !== undefined ? `:${incident.port}` : ''}${incident.path ?? missingPath}`;
}
