/**
 * Envoy access logs: the default text format
 *   `[2026-11-24T06:40:01.123Z] "GET /api/x HTTP/1.1" 503 UF 0 91 2 - "-" "curl/8.5" "req-id" "host:8080" "127.0.0.1:9000"`
 * (newer defaults put %RESPONSE_CODE_DETAILS% etc. after the flags: the quoted tail is read from the
 * end) and JSON access logs, one object per line, with snake_case or camelCase keys.
 *
 * Response flags (Envoy docs, "Access logging: format rules, %RESPONSE_FLAGS%") → kind, closedBy:
 *   UC upstream connection termination → upstream-premature-close, server
 *   UR upstream remote reset            → upstream-reset, server
 *   UF upstream connection failure      → upstream-refused, server
 *   URX retry limit / connect attempts  → upstream-refused, server
 *   UPE upstream protocol error         → server-error, server
 *   UT upstream request timeout, UMSDR max stream duration, SI stream idle timeout (504)
 *                                       → upstream-timeout, proxy (Envoy's timer fired)
 *   SI with 408: the downstream stream was idle → client-timeout, proxy
 *   DT max (downstream) connection duration reached: Envoy's configured cap → proxy-closed, proxy
 *   DI delay injected (no failure by itself) → by status
 *   UH no healthy upstream, LH local health check failed, NC no cluster → no-live-upstreams, proxy
 *   UO circuit breaker overflow, OM/DO overload → capacity-exhausted, proxy (capacity, not a client's rate)
 *   RL local rate limit, RLSE rate-limit service error → rate-limited, proxy
 *   UAEX external authz denied          → unauthorized, proxy
 *   NR no route, LR local reset, FI fault abort, IH invalid header, DF DNS failed → proxy-closed, proxy
 *   DPE downstream protocol error       → bad-request, client
 *   DC downstream connection termination → client-closed, client
 *   none ("-") with response code 0: the downstream left before a response → client-closed, client
 *   none ("-")                          → by status, else request
 * With several flags ("UF,URX") the first in that order decides; proxyCode keeps them all.
 * %RESPONSE_FLAGS_LONG% names (UpstreamConnectionFailure, …) mean the same as their short forms.
 */
import type { ClosedBy, ConnectionEvent, EventKind } from '../model/event.js';
import { kindOfStatus, splitHostPort } from './failure-text.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { isoStampAt } from './syslog-prefix.js';
import { shareScore } from './detect-score.js';

const FLAG_MEANINGS: ReadonlyArray<readonly [string, EventKind, ClosedBy]> = [
  ['UC', 'upstream-premature-close', 'server'],
  ['UR', 'upstream-reset', 'server'],
  ['UF', 'upstream-refused', 'server'],
  ['URX', 'upstream-refused', 'server'],
  ['UPE', 'server-error', 'server'],
  ['UT', 'upstream-timeout', 'proxy'],
  ['UMSDR', 'upstream-timeout', 'proxy'],
  ['DT', 'proxy-closed', 'proxy'],
  ['SI', 'upstream-timeout', 'proxy'],
  ['UH', 'no-live-upstreams', 'proxy'],
  ['LH', 'no-live-upstreams', 'proxy'],
  ['NC', 'no-live-upstreams', 'proxy'],
  ['UO', 'capacity-exhausted', 'proxy'],
  ['OM', 'capacity-exhausted', 'proxy'],
  ['DO', 'capacity-exhausted', 'proxy'],
  ['RL', 'rate-limited', 'proxy'],
  ['RLSE', 'rate-limited', 'proxy'],
  ['UAEX', 'unauthorized', 'proxy'],
  ['NR', 'proxy-closed', 'proxy'],
  ['LR', 'proxy-closed', 'proxy'],
  ['FI', 'proxy-closed', 'proxy'],
  ['IH', 'proxy-closed', 'proxy'],
  ['DF', 'proxy-closed', 'proxy'],
  ['DPE', 'bad-request', 'client'],
  ['DC', 'client-closed', 'client'],
];

/** %RESPONSE_FLAGS_LONG% → the short flag (envoy source/common/stream_info/utility.cpp). */
const LONG_FLAGS: Readonly<Record<string, string>> = {
  UpstreamConnectionTermination: 'UC',
  UpstreamRemoteReset: 'UR',
  UpstreamConnectionFailure: 'UF',
  UpstreamRetryLimitExceeded: 'URX',
  UpstreamProtocolError: 'UPE',
  UpstreamRequestTimeout: 'UT',
  UpstreamMaxStreamDurationReached: 'UMSDR',
  DurationTimeout: 'DT',
  StreamIdleTimeout: 'SI',
  NoHealthyUpstream: 'UH',
  FailedLocalHealthCheck: 'LH',
  NoClusterFound: 'NC',
  UpstreamOverflow: 'UO',
  OverloadManagerTerminated: 'OM',
  DropOverload: 'DO',
  RateLimited: 'RL',
  RateLimitServiceError: 'RLSE',
  UnauthorizedExternalService: 'UAEX',
  NoRouteFound: 'NR',
  LocalReset: 'LR',
  FaultInjected: 'FI',
  InvalidEnvoyRequestHeaders: 'IH',
  DnsResolutionFailed: 'DF',
  DownstreamProtocolError: 'DPE',
  DownstreamConnectionTermination: 'DC',
};

/** Kind and side from Envoy's response flags (comma-separated, short or long names); `http`: the line is about an HTTP request. */
export function envoyFlagsMeaning(flags: string, status: number | undefined, http = true): { kind: EventKind; closedBy?: ClosedBy } {
  if (flags && flags !== '-') {
    const set = new Set(flags.split(',').map((flag) => LONG_FLAGS[flag] ?? flag));
    // A stream idle timeout with 408 is the downstream's idleness, with 504 the upstream's (Envoy docs, SI).
    if (set.has('SI') && status === 408) return { kind: 'client-timeout', closedBy: 'proxy' };
    for (const [flag, kind, closedBy] of FLAG_MEANINGS) if (set.has(flag)) return { kind, closedBy };
  }
  // Envoy docs (%RESPONSE_CODE%): "a response code of '0' means that the server never sent the
  // beginning of a response. This generally means that the (downstream) client disconnected."
  // TCP proxy lines render the code 0 too ("not implemented"): only an HTTP request's 0 says so.
  if (status === 0 && http) return { kind: 'client-closed', closedBy: 'client' };
  return { kind: kindOfStatus(status) };
}

type Parsed = Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'>;

const TEXT_LINE = /^\[(\d{4}-\d\d-\d\dT[^\]]+)\] "([A-Z]+|-) (\S+) ([^"]*)" (\d{1,3}) (\S+) (.*)$/;
// The reader takes "[2026-…Z] " for a Jenkins timestamper prefix (same shape) and hands its time apart.
const TEXT_BODY = /^()"([A-Z]+|-) (\S+) ([^"]*)" (\d{1,3}) ([A-Z,]+|-) (.*)$/;

function build(fields: {
  start?: string;
  method?: string;
  path?: string;
  status?: number;
  flags?: string;
  authority?: string;
  upstream?: string;
  client?: string;
  details?: string;
}): Parsed {
  const stamp = fields.start ? isoStampAt(fields.start, 0) : undefined;
  const flags = fields.flags ?? '-';
  const meaning = envoyFlagsMeaning(flags, fields.status, fields.method !== undefined && fields.method !== '-');
  const event: Parsed = {
    source: 'envoy',
    kind: meaning.kind,
    time: stamp ? stamp.time : null,
    timeQuality: stamp ? (stamp.zoneless ? 'inferred' : 'exact') : 'none',
  };
  if (stamp?.zoneless) event.zoneless = true;
  if (meaning.closedBy) event.closedBy = meaning.closedBy;
  if (flags !== '-') event.proxyCode = flags;
  if (fields.status !== undefined && fields.status > 0) event.status = fields.status;
  if (fields.method && fields.method !== '-') event.method = fields.method;
  if (fields.path && fields.path !== '-') event.path = fields.path.split('?')[0];
  if (fields.authority && fields.authority !== '-') Object.assign(event, splitHostPort(fields.authority));
  if (fields.upstream && fields.upstream !== '-') event.upstream = fields.upstream;
  if (fields.client && fields.client !== '-') {
    const client = splitHostPort(fields.client);
    if (client) {
      event.clientAddr = client.host;
      if (client.port !== undefined) event.clientPort = client.port;
    }
  }
  if (fields.details && fields.details !== '-') event.message = fields.details;
  return event;
}

function parseText(text: string, prefixTime: number | undefined): Parsed | undefined {
  const m = text.charCodeAt(0) === 34 ? TEXT_BODY.exec(text) : TEXT_LINE.exec(text);
  if (!m) return undefined;
  const [, stamp, method, path, , statusText, flags, rest] = m;
  // The quoted tail: "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%"
  const quoted = [...rest!.matchAll(/"([^"]*)"/g)].map((q) => q[1]!);
  const n = quoted.length;
  const details = /^(\S+)/.exec(rest!)?.[1];
  const start = stamp || (prefixTime !== undefined ? new Date(prefixTime).toISOString() : undefined);
  return build({
    start,
    method,
    path,
    status: Number(statusText),
    flags,
    authority: n >= 2 ? quoted[n - 2] : undefined,
    upstream: n >= 1 ? quoted[n - 1] : undefined,
    details: details && /^[a-z_]+[{]?/.test(details) ? details : undefined,
  });
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function parseJson(text: string): Parsed | undefined {
  let o: Record<string, unknown>;
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    o = value as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const get = (...keys: string[]): string | undefined => {
    for (const key of keys) {
      const v = str(o[key]);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const flags = get('response_flags', 'responseFlags');
  if (flags === undefined) return undefined;
  const nested = typeof o['upstream'] === 'object' && o['upstream'] !== null ? str((o['upstream'] as Record<string, unknown>)['host']) : undefined;
  const status = Number(get('response_code', 'responseCode'));
  let method = get('method', 'requestMethod');
  let path = get('path', 'requestPath');
  const full = get('fullPath');
  if (full && (!method || !path)) {
    const m = /^([A-Z]+) (\S+)/.exec(full);
    if (m) [method, path] = [m[1], m[2]];
  }
  return build({
    start: get('start_time', 'startTime'),
    method,
    path,
    status: Number.isFinite(status) ? status : undefined,
    flags,
    authority: get('authority', 'requestAuthority'),
    upstream: get('upstream_host', 'upstreamHost') ?? nested,
    client: get('downstream_remote_address', 'downstreamRemoteAddress'),
    details: get('response_code_details', 'responseCodeDetails'),
  });
}

export function createEnvoyParser(ctx: ParseContext): LineParser {
  return {
    line(text, no, prefixTime) {
      const c = text.charCodeAt(0);
      let parsed: Parsed | undefined;
      if (c === 91 || c === 34) parsed = parseText(text, prefixTime);
      else if (c === 123 && (text.includes('"response_flags"') || text.includes('"responseFlags"'))) parsed = parseJson(text);
      if (!parsed) return;
      ctx.emit(Object.assign(newEvent(ctx, no, text, parsed), parsed));
    },
    end() {},
  };
}

export const ENVOY_FORMAT: FormatParser = {
  source: 'envoy',
  title: 'Envoy access log (default text format or JSON)',
  detect(firstLines, fileName) {
    const isLine = (line: string) => {
      const c = line.charCodeAt(0);
      return (c === 91 && TEXT_LINE.test(line)) || (c === 34 && TEXT_BODY.test(line)) || (c === 123 && /"(?:response_flags|responseFlags)"/.test(line));
    };
    return shareScore(firstLines, isLine, fileName, /envoy/i);
  },
  create: createEnvoyParser,
  examples: [
    {
      lines: ['[2026-11-24T06:40:01.123Z] "GET /api/x HTTP/1.1" 503 UF 0 91 2 - "-" "python-requests/2.32.3" "5d3c1c8e-3c5e-4c55-8c2a-1f0e7c1d2a10" "127.0.0.1:8080" "127.0.0.1:9000"'],
      expect: { source: 'envoy', kind: 'upstream-refused', closedBy: 'server', proxyCode: 'UF', status: 503, method: 'GET', path: '/api/x', host: '127.0.0.1', port: 8080, upstream: '127.0.0.1:9000', time: Date.UTC(2026, 10, 24, 6, 40, 1, 123), timeQuality: 'exact' },
      origin: 'Envoy default access log format (envoyproxy docs "Default format string"), values of a connection failure',
    },
    {
      lines: ['[2021-05-10T00:37:31.783Z] "GET /public/js/app.js HTTP/1.1" 503 UC 0 95 12 - "-" "curl/7.64.1" "a0fbb5a1-6680-4274-a213-2fc3184a0c71" "apigw:8443" "10.28.1.4:8443"'],
      expect: { kind: 'upstream-premature-close', closedBy: 'server', proxyCode: 'UC' },
      origin: 'envoyproxy/envoy issues #8639/#14981 (503 UC), rebuilt in the default format from the debug log values',
    },
    {
      lines: ['{"duration":475,"response_flags":"UF","bytes_received":0,"remote_addr":"172.19.0.9","method":"GET","path":"/service03","user_agent":"curl/7.68.0","upstream":{"duration":null,"service":"service03","host":"172.19.0.2:8000"},"protocol":"HTTP/1.1","id":"bdc55196-1c65-4054-bc5c-f7450a781b26","response_code_details":"upstream_reset_before_response_started{connection_failure}","bytes_sent":91,"response_code":503,"source":"envoy","listener":"service","start_time":"2022-03-11T09:58:37.960+0000"}'],
      expect: { kind: 'upstream-refused', upstream: '172.19.0.2:8000', path: '/service03', message: 'upstream_reset_before_response_started{connection_failure}', time: Date.UTC(2022, 2, 11, 9, 58, 37, 960) },
      origin: 'envoyproxy/envoy issue #20311 (JSON access log)',
    },
    {
      lines: ['{"responseCodeDetails":"upstream_reset_before_response_started{connection_failure}","requestPath":"/v1/KEY_x","upstreamServiceTime":"-","requestMethod":"GET","startTime":"2021-07-21T09:42:36.514Z","bytesReceived":"0","bytesSent":"91","protocol":"HTTP/1.1","responseFlags":"UF,URX","responseCode":"503","duration":"55","fullPath":"GET /v1/KEY_x HTTP/1.1"}'],
      expect: { kind: 'upstream-refused', proxyCode: 'UF,URX', method: 'GET', path: '/v1/KEY_x', status: 503 },
      origin: 'envoyproxy/envoy issue #17432 (camelCase JSON keys; key masked)',
    },
    {
      lines: ['[2026-11-24T06:40:01.123Z] "POST /api/upload HTTP/1.1" 0 DC 1024 0 5000 - "-" "node" "id" "svc" "10.0.0.2:80"'],
      expect: { kind: 'client-closed', closedBy: 'client', status: undefined },
      origin: 'Envoy default format, downstream closed during the request (DC; response code 0)',
    },
    {
      lines: ['"GET / HTTP/1.0" 0 - 0 0 0 - "-" "Mozilla/5.0 (Windows NT 6.1; Win64; x64)"'],
      expect: { kind: 'client-closed', closedBy: 'client', status: undefined, proxyCode: undefined, method: 'GET', path: '/' },
      origin: 'istio/istio issue #9292 (a client that disconnected before a response: code 0, no flag, as Envoy logged it before DC existed; docs %RESPONSE_CODE%: "a response code of 0 … generally means that the (downstream) client disconnected")',
    },
    {
      lines: ['{"downstream_remote_address":"49.37.131.33:64345","duration":5303,"bytes_sent":8453,"response_code":0,"method":null,"response_flags":"-","upstream_host":"10.0.0.5:8443","start_time":"2022-09-10T14:27:14.956Z","protocol":null,"bytes_received":17341}'],
      expect: { kind: 'request', closedBy: undefined },
      origin: 'envoyproxy/envoy issue #23058 (a TCP proxy session: code 0 means "not implemented" there, not a client that left; fields shortened)',
    },
    {
      lines: ['[2026-11-24T06:40:01.123Z] "GET /slow HTTP/1.1" 504 UT 0 24 15001 - "-" "curl" "id" "svc" "10.0.0.2:80"'],
      expect: { kind: 'upstream-timeout', closedBy: 'proxy' },
      origin: 'Envoy default format, route timeout (UT)',
    },
    {
      lines: ['[2026-11-24T06:40:02.200Z] "GET /api/items HTTP/1.1" 503 UO 0 81 0 - "-" "python-requests/2.32.3" "id" "svc" "-"'],
      expect: { kind: 'capacity-exhausted', closedBy: 'proxy', proxyCode: 'UO', status: 503 },
      origin: 'Envoy docs, access log %RESPONSE_FLAGS% "UO: Upstream overflow (circuit breaking) in addition to 503 response code", default text format: the cluster\'s capacity, not the client\'s rate',
    },
    {
      lines: ['[2026-11-24T06:40:31.125Z] "POST /api/upload HTTP/1.1" 408 SI 512 24 30002 - "-" "python-requests/2.32.3" "id" "svc" "10.0.0.2:80"'],
      expect: { kind: 'client-timeout', closedBy: 'proxy', proxyCode: 'SI', status: 408 },
      origin: 'Envoy docs, access log %RESPONSE_FLAGS% "SI: Stream idle timeout in addition to 408 or 504 response code" (408: the downstream went idle), default text format',
    },
    {
      lines: ['[2026-11-24T06:40:31.125Z] "GET /api/slow HTTP/1.1" 504 SI 0 24 60001 - "-" "python-requests/2.32.3" "id" "svc" "10.0.0.2:80"'],
      expect: { kind: 'upstream-timeout', closedBy: 'proxy', proxyCode: 'SI', status: 504 },
      origin: 'Envoy docs, %RESPONSE_FLAGS% SI with 504: the upstream stream went idle, default text format',
    },
    {
      lines: ['{"start_time":"2026-11-24T06:40:01.123Z","method":"GET","path":"/api/x","response_code":503,"response_flags":"UpstreamConnectionFailure,UpstreamRetryLimitExceeded","upstream_host":"10.0.0.2:80"}'],
      expect: { kind: 'upstream-refused', closedBy: 'server', proxyCode: 'UpstreamConnectionFailure,UpstreamRetryLimitExceeded', status: 503 },
      origin: 'Envoy JSON access log with %RESPONSE_FLAGS_LONG% (long names of envoy source/common/stream_info/utility.cpp)',
    },
    {
      lines: ['[2026-11-24T06:40:01.123Z] "GET /api/items HTTP/1.1" 200 - 0 32 3 2 "-" "python-requests/2.32.3" "id" "svc" "10.0.0.2:80"'],
      expect: { kind: 'request', status: 200, proxyCode: undefined },
      origin: 'Envoy default format, a normal request',
    },
  ],
};
