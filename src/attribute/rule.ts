import type { JoinKey, Link, Order } from '../correlate/incident.js';
import type { ClosedBy, ConnectionEvent, EventKind, Source } from '../model/event.js';

/** The shape of a rule file; rules/rule.schema.json describes the same (a test keeps them agreed). */

/** Who caused a failure; `network`: a transient fault of the path itself that no hop's own doing explains. */
export const ATTRIBUTIONS = ['server', 'proxy-firewall', 'client', 'network', 'unknown'] as const;
export type Attribution = (typeof ATTRIBUTIONS)[number];

/** A regular expression given in a rule, checked to be safe before it is compiled. */
export interface TextPattern {
  regex: string;
  flags?: 'i';
}

export interface AnchorCondition {
  kind?: EventKind[];
  source?: Source[];
  errnoName?: string[];
  exception?: TextPattern;
  cause?: TextPattern;
  status?: number[];
  path?: TextPattern;
  host?: TextPattern;
  text?: TextPattern;
  /** Whether the failure has a time at all. */
  timed?: boolean;
}

/** An event of another source that must be joined to the incident. */
export interface PresentCondition {
  source?: Source[];
  kind?: EventKind[];
  status?: number[];
  closedBy?: ClosedBy[];
  proxyCode?: TextPattern;
  text?: TextPattern;
  /** Seconds between the event and the failure, either way. */
  within?: number;
  /**
   * [from, to] seconds: the event's time minus the failure's time lies in this range (e.g. [-3, 1]:
   * from 3 s before to 1 s after). For events that must come before or after the failure.
   */
  between?: [number, number];
  /** Keys the event must share with the failure. */
  sameKeys?: JoinKey[];
  /** How the event must be tied to the failure (correlate/incident.ts `Link`); default: the decisive links. */
  link?: Link[];
  /** Where the event must lie against the failure's time span. */
  order?: Order[];
}

/** Sources that were alive around the failure and yet logged nothing of it. */
export interface AbsentCondition {
  source: Source[];
  /** The request itself must not be logged (by path). Default true. */
  request?: boolean;
  /** No joined event of these kinds from these sources. */
  kind?: EventKind[];
}

export interface ContextCondition {
  /** At least one of these sources is in the directory. */
  present?: Source[];
  /** None of these sources is in the directory. */
  missing?: Source[];
}

export interface RuleCondition {
  anchor?: AnchorCondition;
  present?: PresentCondition[];
  absent?: AbsentCondition[];
  context?: ContextCondition;
}

/** A compact incident, for a rule's own examples. */
export interface IncidentFixture {
  name: string;
  anchor: FixtureEvent;
  /** Other records of the same failure (e.g. the client-log line beside the pytest one). */
  records?: FixtureEvent[];
  events?: FixtureEvent[];
  /** Sources in the directory besides those of the events (e.g. a silent nginx-access). */
  sources?: Source[];
  /** Far-side sources that logged nothing at all around the failure. */
  silent?: Source[];
  /** The failure has no time (pytest output without CI prefixes, no client log). */
  untimed?: boolean;
}

/** The fields of an event a rule example may give (the rest is filled in), plus its time offset. */
export type FixtureEvent = Pick<ConnectionEvent, 'source' | 'kind'> &
  Partial<
    Pick<
      ConnectionEvent,
      'errnoName' | 'exception' | 'cause' | 'method' | 'path' | 'host' | 'port' | 'status' | 'clientAddr' | 'clientPort' | 'closedBy' | 'proxyCode' | 'test' | 'excerpt'
    >
  > & {
    /** Seconds after the failure. */
    dt?: number;
    /** A record's trace: the pool's previous request on its host:port was this many seconds before it, no new connection since. */
    idle?: number;
    /** A `keepalive-timeout` config line's timeout, in seconds (the line has no time). */
    timeout?: number;
  };

export interface RuleFile {
  $schema?: string;
  id: string;
  title: string;
  attribution: Attribution;
  /** The cause this rule names; defaults to the id. */
  cause?: string;
  /** 0..1: how sure a match makes us. */
  confidence: number;
  /** Higher is tried first when several rules match. */
  priority: number;
  disabled?: boolean;
  when: RuleCondition;
  advice: string[];
  examples: { match: IncidentFixture[]; noMatch: IncidentFixture[] };
}

/** A rule loaded from a file. */
export interface Rule extends RuleFile {
  file: string;
  builtIn: boolean;
}
