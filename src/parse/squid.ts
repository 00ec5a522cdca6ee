/**
 * Squid's access.log, in its native format or its built-in `common` and `combined` logformats.
 *   native:   `1732430401.123    120 127.0.0.1 TCP_DENIED/403 3945 GET http://example.invalid/ - HIER_NONE/- text/html`
 *             time (epoch, exact) · elapsed ms · client · result/status · bytes · method · URL (host:port
 *             for CONNECT) · user · hierarchy/peer · type.
 *   combined: `127.0.0.1 - - [05/Dec/2026:07:33:54 +0000] "GET http://127.0.0.1:38171/v2/search? HTTP/1.1" 504 3511 "-" "python-requests/2.34.2" TCP_MISS:HIER_DIRECT`
 *             client · ident · user · [time, whole seconds] · "method URL protocol/version" · status (0:
 *             none) · bytes · "referer" "user agent" · result:hierarchy; `common` is the same without the
 *             referer and agent. Squid prints both in code (src/log/FormatHttpdCombined.cc), not by its
 *             logformat tokens: the `result:hierarchy` tail is what tells them from nginx's combined lines.
 * The URL's query is stripped (`…/v2/search?`: strip_query_terms, on by default), so the path is
 * what joins. `log_mime_hdrs on` appends ` [request headers] [reply headers]` to either format;
 * Squid's own error reply names its page there (`X-Squid-Error: ERR_READ_TIMEOUT 0`).
 *
 * result/status → kind, closedBy:
 *   an ERR_* error page named after the line's own fields (logformat %err_code, squid-cache.org "Squid
 *   Error pages"; X-Squid-Error) decides first: ERR_CONNECT_FAIL, ERR_READ_ERROR, ERR_READ_TIMEOUT, …
 *   *_DENIED…, /403, /407                 → proxy-denied, proxy (an ACL or proxy auth refused it)
 *   *_ABORTED…                             → client-closed, client (the client went away first)
 *   *_TIMEDOUT…                            → Squid's own timer: upstream-timeout when a server was
 *                                            contacted (hierarchy not HIER_NONE), else client-timeout
 *   NONE…/000                              → client-closed, client (no reply was sent: the client
 *                                            closed before a complete request, or the tunnel ended)
 *   /502 (bad reply), /503 (connect failed) → upstream-premature-close / upstream-refused, server
 *   /504 (gateway timeout)                 → upstream-timeout, closed by no side named: Squid logs its
 *                                            read_timeout reply (ERR_READ_TIMEOUT) and an origin's 504
 *                                            passed on alike, `TCP_MISS/504 … HIER_DIRECT/<origin>
 *                                            text/html` (Squid 5.7); only the error page tells them
 *   other 4xx/5xx                          → by status; else request (TCP_TUNNEL/200 is a request)
 */
import type { ClosedBy, ConnectionEvent, EventKind } from '../model/event.js';
import { kindOfStatus, splitHostPort, urlIn } from './failure-text.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { shareScore } from './detect-score.js';
import { examplesFile } from './example-file.js';
import { clfTime } from './timestamps.js';

const NATIVE_LINE = /^(\d{9,11})\.(\d{1,3})\s+(-?\d+) (\S+) ([A-Z_]+)\/(\d{3}) (\d+) (\S+) (\S+) \S+ (\S+)/;
// `client ident user [time] "method URL protocol/version" status bytes`, combined's `"referer" "agent"`
// (printed raw, quotes and all), then `result:hierarchy` ending the line or before log_mime_hdrs' headers.
const HTTPD_LINE = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+) [A-Z]+\/\d+\.\d+" (\d{1,3}) (\d+) (?:".*" )?((?:TCP|UDP|NONE|TAG)_[A-Z_]+):([A-Z_]+)(?= \[|$)/;

/** Squid's error pages (errors/templates), as the %err_code log field names them. */
const ERROR_PAGES: Readonly<Record<string, { kind: EventKind; closedBy?: ClosedBy }>> = {
  ERR_CONNECT_FAIL: { kind: 'upstream-refused', closedBy: 'server' },
  ERR_READ_ERROR: { kind: 'upstream-reset', closedBy: 'server' },
  ERR_ZERO_SIZE_OBJECT: { kind: 'upstream-premature-close', closedBy: 'server' },
  ERR_READ_TIMEOUT: { kind: 'upstream-timeout', closedBy: 'proxy' },
  ERR_LIFETIME_EXP: { kind: 'proxy-closed', closedBy: 'proxy' },
  ERR_ACCESS_DENIED: { kind: 'proxy-denied', closedBy: 'proxy' },
  ERR_CACHE_ACCESS_DENIED: { kind: 'proxy-denied', closedBy: 'proxy' },
  ERR_TOO_BIG: { kind: 'body-too-large', closedBy: 'proxy' },
  ERR_INVALID_REQ: { kind: 'bad-request', closedBy: 'proxy' },
  ERR_INVALID_URL: { kind: 'bad-request', closedBy: 'proxy' },
  ERR_DNS_FAIL: { kind: 'proxy-closed', closedBy: 'proxy' },
  ERR_GATEWAY_FAILURE: { kind: 'server-error', closedBy: 'server' },
};

export function squidMeaning(result: string, status: number, hierarchy = '', errorPage?: string): { kind: EventKind; closedBy?: ClosedBy } {
  const page = errorPage === undefined ? undefined : ERROR_PAGES[errorPage];
  if (page) return page;
  if (result.includes('DENIED') || status === 403 || status === 407) return { kind: 'proxy-denied', closedBy: 'proxy' };
  if (result.includes('ABORTED')) return { kind: 'client-closed', closedBy: 'client' };
  if (result.includes('TIMEDOUT')) return { kind: hierarchy.startsWith('HIER_NONE') || hierarchy === '' ? 'client-timeout' : 'upstream-timeout', closedBy: 'proxy' };
  if (status === 0) return { kind: 'client-closed', closedBy: 'client' };
  if (status === 502) return { kind: 'upstream-premature-close', closedBy: 'server' };
  if (status === 503) return { kind: 'upstream-refused', closedBy: 'server' };
  return { kind: kindOfStatus(status) };
}

/** What an access line says, in whichever format it was written. */
interface SquidFields {
  time: number;
  client: string;
  result: string;
  status: number;
  bytes: string;
  method: string;
  url: string;
  /** Native: `HIER_DIRECT/127.0.0.1` (with the peer); common and combined: `HIER_DIRECT`. */
  hierarchy: string;
  /** The native format's elapsed milliseconds. */
  elapsed?: string;
  /** What follows the format's own fields: %err_code appended, log_mime_hdrs' headers. */
  rest: string;
}

function nativeFields(text: string): SquidFields | undefined {
  const m = NATIVE_LINE.exec(text);
  if (!m) return undefined;
  const [whole, secs, frac, elapsed, client, result, status, bytes, method, url, hierarchy] = m;
  return { time: Number(secs) * 1000 + Number(frac!.padEnd(3, '0')), client: client!, result: result!, status: Number(status), bytes: bytes!, method: method!, url: url!, hierarchy: hierarchy!, elapsed, rest: text.slice(whole.length) };
}

function httpdFields(text: string): SquidFields | undefined {
  const m = HTTPD_LINE.exec(text);
  if (!m) return undefined;
  const [whole, client, stamp, method, url, status, bytes, result, hierarchy] = m;
  const time = clfTime(stamp!);
  if (time === undefined || time.zoneless) return undefined;
  return { time: time.time, client: client!, result: result!, status: Number(status), bytes: bytes!, method: method!, url: url!, hierarchy: hierarchy!, rest: text.slice(whole.length) };
}

/** Host, port and path of the URL Squid logged: absolute, `host:port` for CONNECT. */
function requestTarget(url: string): { host?: string; port?: number; path?: string } | undefined {
  if (url.includes('://')) return urlIn(url);
  // Squid 5 logs a transaction that never had a URL as `error:<what happened>`: it names no host.
  if (url.startsWith('error:')) return undefined;
  // A request sent to Squid as to a server (`GET /`, refused 400 ERR_INVALID_URL) names only a path.
  if (url.startsWith('/')) return { path: url.replace(/\?.*/, '') };
  return splitHostPort(url);
}

function squidEvent(f: SquidFields): Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> {
  const meaning = squidMeaning(f.result, f.status, f.hierarchy, /\bERR_[A-Z_]+/.exec(f.rest)?.[0]);
  const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = {
    source: 'squid',
    kind: meaning.kind,
    time: f.time,
    timeQuality: 'exact',
    clientAddr: f.client,
    proxyCode: `${f.result}/${String(f.status).padStart(3, '0')}`,
    message: `${f.elapsed === undefined ? '' : `elapsed=${f.elapsed}ms `}bytes=${f.bytes} ${f.hierarchy}`,
  };
  // "-": Squid read no request line.
  if (f.method !== '-') event.method = f.method;
  if (meaning.closedBy) event.closedBy = meaning.closedBy;
  if (f.status > 0) event.status = f.status;
  if (f.hierarchy !== '-') event.upstream = f.hierarchy;
  const parts = requestTarget(f.url);
  if (parts?.host) event.host = parts.host;
  if (parts?.port !== undefined) event.port = parts.port;
  if (parts?.path) event.path = parts.path;
  return event;
}

export function parseSquidLine(text: string): Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> | undefined {
  const fields = nativeFields(text) ?? httpdFields(text);
  return fields && squidEvent(fields);
}

/** A line of Squid's `common` or `combined` logformat: a CLF line to the access-log formats, but Squid's. */
export function isSquidHttpdLine(line: string): boolean {
  return HTTPD_LINE.test(line);
}

export function createSquidParser(ctx: ParseContext): LineParser {
  return {
    line(text, no) {
      const parsed = parseSquidLine(text);
      if (parsed) ctx.emit(Object.assign(newEvent(ctx, no, text, parsed), parsed));
    },
    end() {},
  };
}

export const SQUID_FORMAT: FormatParser = {
  source: 'squid',
  title: 'Squid access.log (native format; common and combined logformats)',
  detect(firstLines, fileName) {
    return shareScore(firstLines, (line) => NATIVE_LINE.test(line) || HTTPD_LINE.test(line), fileName, /squid/i);
  },
  create: createSquidParser,
  // Real lines with their origins, kept as data: examples/squid.json.
  get examples() {
    return examplesFile('squid');
  },
};
