import { isIP } from 'node:net';
import type { Analysis } from './analysis.js';
import type { BurstVerdict } from '../attribute/burst.js';
import type { Join } from '../correlate/incident.js';
import { CLIENT_FAILURE_KINDS, type ConnectionEvent } from '../model/event.js';
import { isoTime } from './event-record.js';
import { clientError, urlOf } from './incident-record.js';
import type { BufferedOutput } from './output.js';

/**
 * `--format ecs`: events and incidents as Elastic Common Schema documents, one JSON per line, so
 * that Filebeat, Elastic Agent, Vector and OpenSearch take them without a template of ours. The
 * mapping is documented field by field in docs/ecs.md; the suite checks every field against the
 * definitions that @elastic/ecs ships for this version.
 */
export const ECS_VERSION = '9.4.0';

/** The products behind the proxy and firewall sources: `observer.*`. */
const OBSERVERS: ReadonlyMap<string, { type: string; product: string }> = new Map([
  ['haproxy', { type: 'proxy', product: 'HAProxy' }],
  ['envoy', { type: 'proxy', product: 'Envoy' }],
  ['squid', { type: 'proxy', product: 'Squid' }],
  ['firewall', { type: 'firewall', product: 'netfilter' }],
]);

/** Kinds that say a hop refused by policy: ECS `denied`. */
const DENIED = new Set(['proxy-denied', 'firewall-drop', 'rate-limited', 'conn-limited', 'capacity-exhausted']);

/** What an event in a correlated list adds: its incident and how it is tied to the failure. */
export interface EcsContext {
  incident?: string;
  job?: string;
  join?: Join;
}

/** Keeps only the keys whose values are present: ECS documents leave unknown fields out. */
function present(object: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(object).filter(([, value]) => value !== undefined && value !== null && !(isPlainObject(value) && Object.keys(value).length === 0));
  return kept.length > 0 ? Object.fromEntries(kept) : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFailure(event: ConnectionEvent): boolean {
  if (event.kind === 'request' || event.kind === 'response' || event.kind === 'other') return event.status !== undefined && event.status >= 400;
  return true;
}

function outcomeOf(event: ConnectionEvent): 'failure' | 'success' | 'unknown' {
  if (isFailure(event)) return 'failure';
  return event.status !== undefined ? 'success' : 'unknown';
}

/** `network`, and `web` where the event is about an HTTP request. */
function categoryOf(event: Pick<ConnectionEvent, 'method' | 'status' | 'path'>): string[] {
  return event.method !== undefined || event.status !== undefined || event.path !== undefined ? ['network', 'web'] : ['network'];
}

/** Types expected for the categories (ECS allowed_values): access for traffic, denied by policy, connection (+ error on the web) for a failure. */
function typeOf(event: ConnectionEvent, categories: readonly string[]): string[] {
  if (!isFailure(event)) return event.kind === 'other' ? ['info'] : ['access'];
  if (DENIED.has(event.kind)) return ['denied'];
  return categories.includes('web') ? ['connection', 'error'] : ['connection'];
}

/** url.path and url.query of a request target ("/a/b?x=1"). */
function urlParts(path: string | undefined): Record<string, unknown> {
  if (path === undefined) return {};
  const q = path.indexOf('?');
  return q < 0 ? { path } : { path: path.slice(0, q), query: path.slice(q + 1) };
}

/** An address as `ip` when it is one, else as `address` (a name, a socket path). */
function endpoint(address: string | undefined, port: number | undefined): Record<string, unknown> | undefined {
  if (address === undefined) return port === undefined ? undefined : { port };
  return present({ address, ip: isIP(address) ? address : undefined, port });
}

/** `labels.job`: labels hold keyword values only. */
function labels(job: string | undefined): Record<string, string> | undefined {
  return job === undefined ? undefined : { job };
}

/** One event as an ECS document. */
export function ecsEvent(event: ConnectionEvent, context: EcsContext = {}): Record<string, unknown> {
  const category = categoryOf(event);
  const failure = isFailure(event);
  const observer = OBSERVERS.get(event.source);
  const join = context.join;
  const document = {
    '@timestamp': isoTime(event.time) ?? undefined,
    message: event.excerpt,
    ecs: { version: ECS_VERSION },
    event: present({
      kind: 'event',
      category,
      type: typeOf(event, category),
      outcome: outcomeOf(event),
      action: event.kind,
      id: event.id,
      provider: event.source,
      module: 'whoreset',
      dataset: 'whoreset.events',
    }),
    error: failure && CLIENT_FAILURE_KINDS.has(event.kind) ? present({ type: event.exception ?? event.cause ?? event.kind, message: event.excerpt, code: event.errnoName ?? (event.errno !== undefined ? String(event.errno) : undefined) }) : undefined,
    http: present({ request: present({ method: event.method }), response: present({ status_code: event.status }) }),
    url: event.path !== undefined ? present({ domain: event.host, port: event.port, ...urlParts(event.path) }) : undefined,
    source: endpoint(event.clientAddr, event.clientPort),
    destination: endpoint(event.host, event.port),
    log: present({ file: { path: event.file }, level: event.level }),
    observer,
    labels: labels(context.job),
    whoreset: present({
      incident: context.incident,
      source: event.source,
      kind: event.kind,
      line: event.line,
      time_quality: event.timeQuality,
      test: event.test,
      upstream: event.upstream,
      conn_id: event.connId,
      closed_by: event.closedBy,
      proxy_code: event.proxyCode,
      phase: event.phase,
      cause: event.cause,
      link: join?.link,
      tie: join?.tie,
      dt: join === undefined || join.dtMs === null ? undefined : join.dtMs / 1000,
    }),
  };
  return present(document)!;
}

/** One incident with its verdict as an ECS document (event.kind `alert`: a rule's finding). */
export function ecsIncident(verdict: BurstVerdict, job?: string): Record<string, unknown> {
  const incident = verdict.incident;
  const anchor = incident.anchor;
  const category = categoryOf({ method: incident.method, path: incident.path, status: undefined });
  const decisive = verdict.evidence.find((join) => verdict.deciding.includes(join));
  const url = urlOf(verdict);
  const document = {
    '@timestamp': isoTime(incident.time) ?? undefined,
    message: `${verdict.attribution}: ${verdict.cause} (${clientError(verdict)})`,
    ecs: { version: ECS_VERSION },
    event: {
      kind: 'alert',
      category,
      type: category.includes('web') ? ['connection', 'error'] : ['connection'],
      outcome: 'failure',
      action: anchor.kind,
      id: incident.id,
      provider: anchor.source,
      module: 'whoreset',
      dataset: 'whoreset.incidents',
    },
    rule: verdict.ruleId !== null ? { id: verdict.ruleId, name: verdict.ruleId, ruleset: 'whoreset' } : undefined,
    error: present({ type: anchor.exception ?? anchor.cause ?? anchor.kind, message: clientError(verdict), code: anchor.errnoName }),
    http: present({ request: present({ method: incident.method }) }),
    url:
      incident.host !== undefined
        ? present({ full: url, scheme: incident.scheme ?? 'http', domain: incident.host, port: incident.port, ...urlParts(incident.path) })
        : present(urlParts(incident.path)),
    log: { file: { path: anchor.file } },
    labels: labels(job),
    whoreset: present({
      verdict: verdict.attribution,
      cause: verdict.cause,
      rule: verdict.ruleId,
      confidence: verdict.confidence,
      origin: incident.origin,
      test: incident.test,
      time_quality: incident.timeQuality,
      count: verdict.count,
      requests: verdict.requests,
      link: decisive?.link,
      dt: decisive === undefined || decisive.dtMs === null ? undefined : decisive.dtMs / 1000,
      reasons: verdict.reasons.length > 0 ? verdict.reasons : undefined,
      advice: verdict.advice.length > 0 ? verdict.advice : undefined,
      evidence: [
        ...incident.records.map((event) => ({ file: event.file, line: event.line, source: event.source, kind: event.kind })),
        ...verdict.evidence.map((join) => present({ file: join.event.file, line: join.event.line, source: join.event.source, kind: join.event.kind, link: join.link, dt: join.dtMs === null ? undefined : join.dtMs / 1000, decisive: verdict.deciding.includes(join) })),
      ],
    }),
  };
  return present(document)!;
}

/** The ECS lines of an analysis: its incidents, or (`events`) the events of each incident with how they are tied. */
export function writeEcs(analysis: Analysis, events: boolean, out: BufferedOutput, job?: string): void {
  for (const v of analysis.verdicts) {
    if (!events) {
      out.push(JSON.stringify(ecsIncident(v, job)) + '\n');
      continue;
    }
    for (const event of v.incident.records) out.push(JSON.stringify(ecsEvent(event, { incident: v.incident.id, job })) + '\n');
    for (const join of v.incident.joined) out.push(JSON.stringify(ecsEvent(join.event, { incident: v.incident.id, job, join })) + '\n');
  }
}
