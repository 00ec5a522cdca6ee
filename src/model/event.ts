/**
 * The normalised connection event: every parser turns the lines it understands into these.
 * One line (or one folded multi-line record) gives at most one event; its id is "<file>:<line>".
 */

/** Which program wrote the line. */
export type Source =
  | 'pytest'
  | 'client' // Python logging / urllib3 / requests client logs
  | 'nginx-error'
  | 'nginx-access'
  | 'app-access' // an application server's own request log (Python http.server)
  | 'haproxy'
  | 'envoy'
  | 'squid'
  | 'firewall' // kernel LOG lines from iptables / nftables
  | 'curl'
  | 'node'
  | 'go'
  | 'java'
  | 'rust' // reqwest / hyper
  | 'junit'
  | 'app' // the upstream application server's own log (gunicorn, uvicorn, Go net/http, Node, Tomcat)
  | 'other' // the fallback: a connection failure named in a file no parser claims
  | 'server-config'; // a server's or proxy's configuration (nginx.conf, haproxy.cfg): what it promises, not what it did

/** The side of the connection a source speaks for. */
export type Side = 'server' | 'proxy' | 'client';

/** The built-in sources that speak for the server side of the connection. */
const SERVER_SOURCES: readonly Source[] = ['nginx-error', 'nginx-access', 'app-access', 'app'];
/** The built-in sources that speak for a proxy or firewall on the path. */
const PATH_SOURCES: readonly Source[] = ['haproxy', 'envoy', 'squid', 'firewall'];

/**
 * Which side each source speaks for, in one run: the built-in sources, then the declared formats'
 * (formats/, --formats) in the order declared; a source keeps the side it was first given.
 * A value per run (runFormats), so one run's declared formats never reach another's.
 */
export class SourceSides {
  private readonly far = new Map<Source, 'server' | 'proxy'>();
  /** Sources named by declared formats, in the order they were declared. */
  readonly declared: readonly Source[];

  constructor(declared: ReadonlyArray<{ readonly source: string; readonly side: Side }> = []) {
    for (const source of SERVER_SOURCES) this.far.set(source, 'server');
    for (const source of PATH_SOURCES) this.far.set(source, 'proxy');
    const names: Source[] = [];
    for (const format of declared) {
      const name = format.source as Source;
      if (names.includes(name)) continue;
      names.push(name);
      if (format.side !== 'client' && !this.far.has(name)) this.far.set(name, format.side);
    }
    this.declared = names;
  }

  /** The side a source speaks for: a source no format puts on the far side is the client's. */
  sideOf(source: Source): Side {
    return this.far.get(source) ?? 'client';
  }

  /** It speaks for the far side of the connection (server, proxy or firewall): read after the client side. */
  isFarSide(source: Source): boolean {
    return this.far.has(source);
  }
}

export type EventKind =
  // What a client observes (an incident's anchor).
  | 'reset' // ECONNRESET
  | 'remote-disconnected' // peer closed without a response (RemoteDisconnected, curl 52, socket hang up, EOF)
  | 'broken-pipe' // EPIPE while sending
  | 'aborted' // ECONNABORTED
  | 'read-timeout'
  | 'connect-timeout'
  | 'refused' // ECONNREFUSED
  | 'dns-failure' // errnoName tells EAI_AGAIN (resolver unreachable) from EAI_NONAME (no such name)
  | 'proxy-error'
  | 'tls-error'
  | 'incomplete-read' // body cut short (ChunkedEncodingError, IncompleteRead)
  | 'connection-error' // a connection failure whose cause the text does not name
  | 'http-error' // the client raised on an error status (requests HTTPError: 504 Server Error)
  // What a server or proxy logs about a connection.
  | 'upstream-reset'
  | 'upstream-timeout'
  | 'upstream-premature-close'
  | 'upstream-refused'
  | 'no-live-upstreams'
  | 'body-too-large'
  | 'rate-limited'
  | 'conn-limited' // nginx limit_conn: connections per key (a client's address, as configured)
  | 'capacity-exhausted' // a proxy shed the request for want of upstream capacity: HAProxy's queue timeout (sQ), Envoy's circuit breaker (UO), overload manager (OM, DO)
  | 'client-closed' // the client went away first (nginx 499, "client prematurely closed")
  | 'client-timeout' // the server gave up waiting for the client (408, "client timed out")
  | 'keepalive-closed' // an idle keep-alive connection was closed by the server
  | 'server-closed' // the server closed without a response (nginx 444)
  | 'bad-request' // 400
  | 'unauthorized' // 401, 403
  | 'server-error' // other 5xx
  | 'worker-crash'
  | 'worker-exhausted' // worker_connections are not enough
  | 'fd-exhausted' // too many open files
  | 'reload' // nginx reconfiguring, graceful shutdown
  | 'tls-handshake-failed'
  | 'proxy-closed' // the proxy itself closed or rejected (HAProxy P*, Envoy local reply)
  | 'proxy-denied' // the proxy denied by ACL (Squid TCP_DENIED, 407)
  | 'firewall-drop' // a firewall logged the packet it dropped or reset
  | 'resolver-failed' // the server's own DNS lookup failed (nginx resolver: could not be resolved, no resolver defined)
  | 'upstream-bad-response' // the upstream answered with a response the proxy rejects (too big / invalid header)
  | 'upstream-unreachable' // no route to the upstream (EHOSTUNREACH, ENETUNREACH): the path, not the application
  | 'upstream-tls-failed' // the proxy's TLS handshake with the upstream failed (certificate, peer closed)
  | 'upstream-disabled' // the proxy took an upstream server out of rotation after failures (max_fails)
  | 'protocol-error' // the client broke the protocol (HTTP/2 frames, flood) and the server closed the connection
  | 'keepalive-timeout' // a configured keep-alive timeout (nginx keepalive_timeout, HAProxy timeout http-keep-alive) for a port
  | 'keepalive-expired' // the client's trace: the failed request went out on a pooled connection idle as long as the server keeps one
  | 'keepalive-fresh' // the client's trace: the failed request went out on a pooled connection idle far less than the server keeps one
  // Ordinary traffic: tells that a source was alive, and lets clocks be matched.
  | 'request'
  | 'response'
  | 'other';

/** The kinds a client reports when its connection failed: each starts an incident. */
export const CLIENT_FAILURE_KINDS: ReadonlySet<EventKind> = new Set<EventKind>([
  'reset',
  'remote-disconnected',
  'broken-pipe',
  'aborted',
  'read-timeout',
  'connect-timeout',
  'refused',
  'dns-failure',
  'proxy-error',
  'tls-error',
  'incomplete-read',
  'connection-error',
  'http-error',
]);

/**
 * How far an event's time can be trusted.
 * - exact: the line carried a zone (or a UTC CI prefix).
 * - zoned-by-option: a zone-less stamp read in the zone given by --tz.
 * - inferred: a zone-less stamp read as UTC, shifted by an estimated clock offset, or a time
 *   borrowed from another record of the same failure.
 * - none: no time at all; correlation uses keys only.
 */
export type TimeQuality = 'exact' | 'zoned-by-option' | 'inferred' | 'none';

/** Which side of the connection a line says closed it. */
export type ClosedBy = 'client' | 'server' | 'proxy' | 'firewall';

export interface ConnectionEvent {
  /** Stable: "<file>:<line>". */
  id: string;
  source: Source;
  kind: EventKind;
  /** Milliseconds since the epoch (UTC), or null when the line had no time. */
  time: number | null;
  timeQuality: TimeQuality;
  /**
   * Set by parsers when the stamp had no zone: `time` then holds the wall clock read as UTC, and
   * the time stage decides the real instant.
   */
  zoneless?: boolean;
  /**
   * The zone printed in the stamp, in minutes east of UTC (nginx access log `+0800`): the zone of
   * the zone-less logs written by the same process.
   */
  utcOffset?: number;
  /** Path relative to the analysed directory, with forward slashes. */
  file: string;
  line: number;
  /** The line (or the decisive line of a folded record), trimmed to a readable length. */
  excerpt: string;
  errno?: number;
  errnoName?: string;
  /** The outermost exception class named (e.g. requests.exceptions.ConnectionError). */
  exception?: string;
  /** The innermost, OS-level cause (e.g. ConnectionResetError). */
  cause?: string;
  method?: string;
  path?: string;
  host?: string;
  port?: number;
  status?: number;
  clientAddr?: string;
  clientPort?: number;
  upstream?: string;
  connId?: string;
  /** The logging process (nginx worker pid): joins a worker crash to the connections it held. */
  pid?: number;
  /** pytest node id, where known. */
  test?: string;
  closedBy?: ClosedBy;
  /** The proxy's own verdict code: HAProxy termination state, Envoy response flags, Squid result. */
  proxyCode?: string;
  level?: string;
  message?: string;
  /** What the server was doing when it logged the line (nginx `while …`: "reading response header from upstream"). */
  phase?: string;
  /** A retry warning (urllib3 "Retrying … after connection broken by"): the same request follows. */
  retry?: boolean;
  /**
   * The time is when the record was printed, after the failure (pytest's FAILURES section and
   * summary come at the end of the session): an upper bound, not the failure's own time.
   */
  timeIsUpperBound?: boolean;
  /** A configured timeout in ms (kind `keepalive-timeout`): how long the server keeps an idle connection. */
  timeoutMs?: number;
  /**
   * The client's own trace before this failure (urllib3 DEBUG): no new connection was opened for
   * the request, and the pool's previous request on host:port was `idleMs` before this record.
   */
  pooled?: PooledReuse;
}

/** The pool's previous request on the connection a failed request reused, from the client's trace. */
export interface PooledReuse {
  host: string;
  port: number;
  /** This record's time minus the previous request's, on the same clock (ms). */
  idleMs: number;
  /** The previous request's line. */
  since: { id: string; line: number; excerpt: string };
  /** The trace names the logging thread (Python's default thread names): the pool was this thread's alone. */
  threaded: boolean;
}

/** The ordered list of optional fields: used by every renderer so columns stay stable. */
export const EVENT_FIELDS = [
  'id',
  'source',
  'kind',
  'time',
  'timeQuality',
  'file',
  'line',
  'errno',
  'errnoName',
  'exception',
  'cause',
  'method',
  'path',
  'host',
  'port',
  'status',
  'clientAddr',
  'clientPort',
  'upstream',
  'connId',
  'test',
  'closedBy',
  'proxyCode',
  'level',
  'excerpt',
  'phase',
] as const;

export const EXCERPT_MAX = 300;

export function excerptOf(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= EXCERPT_MAX ? trimmed : trimmed.slice(0, EXCERPT_MAX - 1) + '…';
}

/** Every Source, at run time (--tz names them); the check below keeps it equal to the type. */
export const SOURCES = ['pytest', 'client', 'nginx-error', 'nginx-access', 'app-access', 'haproxy', 'envoy', 'squid', 'firewall', 'curl', 'node', 'go', 'java', 'rust', 'junit', 'other', 'app', 'server-config'] as const satisfies readonly Source[];
type MissingSource = Exclude<Source, (typeof SOURCES)[number]>;
/** Fails to compile when a Source is added to the type but not to SOURCES. */
export const SOURCES_COMPLETE: MissingSource extends never ? true : never = true;
