import type { ConnectionEvent, Source, TimeQuality } from '../model/event.js';

/** The most events joined to one incident, best first. */
export const MAX_JOINS = 50;
/**
 * The most ordinary requests of one source joined to one incident, the nearest: the failed request's
 * own line is among them. A busy endpoint logs dozens within the window; joined, they crowded the
 * events that explain the failure (a worker crash, a 444) out of the MAX_JOINS.
 */
export const REQUESTS_PER_INCIDENT = 5;

/** An event of another source joined to an incident, with why. */
export interface Join {
  event: ConnectionEvent;
  /** event time - incident time, in ms; null when either has no time. */
  dtMs: number | null;
  /** The keys both share: method, path, host, port, clientAddr, connId. */
  keys: string[];
  score: number;
}

/** What a far-side source (server, proxy, firewall) said around the incident. */
export interface SourceWitness {
  source: Source;
  /** It logged something within the window; null when the incident has no time. */
  alive: boolean | null;
  /** It logged this request (same path) within the window, or a joined event shares the path. */
  sawRequest: boolean;
}

/** One client-observed failure, however many records (pytest, client log, retries) show it. */
export interface Incident {
  id: string;
  time: number | null;
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
  joined: Join[];
  witnesses: SourceWitness[];
  /** Sources present anywhere in the directory. */
  sourcesPresent: Source[];
}
