import { incidentUrl, type Incident, type Join } from '../correlate/incident.js';
import type { ConnectionEvent } from '../model/event.js';

/** The request a failure was about: what the client said, else what the deciding evidence names. */
export interface RequestFacts {
  method?: string;
  scheme?: 'http' | 'https';
  host?: string;
  port?: number;
  path?: string;
  /** `scheme://host[:port]path`, the client's scheme kept; the path alone when no host is known. */
  url?: string;
  /** The upstream a proxy or server was talking to (nginx's `upstream: "http://10.0.0.5:8000/x"`). */
  upstream?: string;
}

/**
 * The client's own words win (they name the URL it called); the deciding lines fill what it left
 * out, then the failure's own records. Joined lines that did not decide are not used: a line tied
 * only by its moment may be another request's.
 */
export function requestOf(incident: Incident, deciding: readonly Join[]): RequestFacts {
  const events: ConnectionEvent[] = [...deciding.map((join) => join.event), ...incident.records];
  const first = <K extends 'method' | 'host' | 'port' | 'path' | 'upstream'>(key: K): ConnectionEvent[K] | undefined =>
    events.find((event) => event[key] !== undefined && event[key] !== '')?.[key];
  const host = incident.host ?? first('host');
  // The port goes with the host it came from: a proxy's own port is not the server's.
  const port = incident.host !== undefined ? incident.port : (events.find((event) => event.host === host)?.port ?? incident.port);
  const path = incident.path ?? first('path');
  const scheme = incident.scheme ?? (port === 443 ? 'https' : undefined);
  const url = incidentUrl({ scheme, host, port, path }, '') ?? path;
  return { method: incident.method ?? first('method'), scheme, host, port, path, url, upstream: first('upstream') };
}

/**
 * Every placeholder a rule's advice may use, with the words that stand in when the incident does
 * not know the value (a rule may give its own: `{method|GET}`).
 */
export const PLACEHOLDERS: Readonly<Record<string, string>> = {
  method: 'the request',
  request: 'the request',
  scheme: 'http',
  host: 'the server',
  port: 'its port',
  authority: 'the server',
  path: 'the request',
  url: 'the failing URL',
  upstream: 'the upstream',
  test: 'the failing test',
  source: 'the log',
  errnoName: 'the error',
  status: 'the status',
};

/** `{name}` or `{name|words when empty}`; `%{…}` is curl's --write-out (`%{time_total}`), kept as written. */
const PLACEHOLDER = /(?<!%)\{(\w+)(?:\|([^{}]*))?\}/g;

/** The placeholders of advice lines that no incident fills: `rules validate` refuses them. */
export function unknownPlaceholders(lines: readonly string[]): string[] {
  return [...new Set(lines.flatMap((line) => [...line.matchAll(PLACEHOLDER)].map((m) => m[1]!)))].filter((name) => !(name in PLACEHOLDERS));
}

/** "GET /api/x", or as much of it as is known: `{method} {path}` with both unknown said "the request the request". */
function requestWords({ method, path }: RequestFacts): string | undefined {
  if (path === undefined) return method === undefined ? undefined : `the ${method} request`;
  return method === undefined ? path : `${method} ${path}`;
}

/** Fills the advice's placeholders from the incident and its deciding evidence; an unknown value gives words, never `<name>`. */
export function fillAdvice(lines: readonly string[], incident: Incident, deciding: readonly Join[] = []): string[] {
  const request = requestOf(incident, deciding);
  const values: Record<string, string | undefined> = {
    method: request.method,
    request: requestWords(request),
    scheme: request.scheme,
    host: request.host,
    port: request.port?.toString(),
    authority: request.host === undefined ? undefined : request.port === undefined ? request.host : `${request.host}:${request.port}`,
    path: request.path,
    // A path alone is no URL a command can call: the user's base URL stands in for the unknown host.
    url: request.host === undefined && request.path !== undefined ? `$BASE_URL${request.path}` : request.url,
    upstream: request.upstream,
    test: incident.test,
    source: incident.anchor.source,
    errnoName: incident.anchor.errnoName,
    status: incident.anchor.status?.toString(),
  };
  return lines.map((line) =>
    line.replace(PLACEHOLDER, (whole, name: string, fallback: string | undefined) => {
      if (!(name in PLACEHOLDERS)) return whole;
      return values[name] ?? fallback ?? PLACEHOLDERS[name]!;
    }),
  );
}
