/**
 * Squid's native access.log:
 *   `1732430401.123    120 127.0.0.1 TCP_DENIED/403 3945 GET http://example.invalid/ - HIER_NONE/- text/html`
 * time (epoch, exact) · elapsed ms · client · result/status · bytes · method · URL (host:port for
 * CONNECT) · user · hierarchy/peer · type.
 *
 * result/status → kind, closedBy:
 *   an ERR_* error page named in the line (logformat %err_code, squid-cache.org "Squid Error
 *   pages") decides first: ERR_CONNECT_FAIL, ERR_READ_ERROR, ERR_ZERO_SIZE_OBJECT, ERR_READ_TIMEOUT, …
 *   *_DENIED…, /403, /407                 → proxy-denied, proxy (an ACL or proxy auth refused it)
 *   *_ABORTED…                             → client-closed, client (the client went away first)
 *   *_TIMEDOUT…                            → Squid's own timer: upstream-timeout when a server was
 *                                            contacted (hierarchy not HIER_NONE), else client-timeout
 *   NONE…/000                              → client-closed, client (no reply was sent: the client
 *                                            closed before a complete request, or the tunnel ended)
 *   /502 (bad reply), /503 (connect failed) → upstream-premature-close / upstream-refused, server
 *   /504 (gateway timeout)                 → upstream-timeout, proxy
 *   other 4xx/5xx                          → by status; else request (TCP_TUNNEL/200 is a request)
 */
import type { ClosedBy, ConnectionEvent, EventKind } from '../model/event.js';
import { kindOfStatus, splitHostPort, urlIn } from './failure-text.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { shareScore } from './detect-score.js';
import { examplesFile } from './example-file.js';

const SQUID_LINE = /^(\d{9,11})\.(\d{1,3})\s+(-?\d+) (\S+) ([A-Z_]+)\/(\d{3}) (\d+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?/;

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
  if (status === 504) return { kind: 'upstream-timeout', closedBy: 'proxy' };
  return { kind: kindOfStatus(status) };
}

export function parseSquidLine(text: string): Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> | undefined {
  const m = SQUID_LINE.exec(text);
  if (!m) return undefined;
  const [, secs, frac, elapsed, client, result, statusText, bytes, method, url, , hier] = m;
  const status = Number(statusText);
  const meaning = squidMeaning(result!, status, hier, /\bERR_[A-Z_]+/.exec(text)?.[0]);
  const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = {
    source: 'squid',
    kind: meaning.kind,
    time: Number(secs) * 1000 + Number(frac!.padEnd(3, '0')),
    timeQuality: 'exact',
    clientAddr: client,
    method,
    proxyCode: `${result}/${statusText}`,
    message: `elapsed=${elapsed}ms bytes=${bytes} ${hier}`,
  };
  if (meaning.closedBy) event.closedBy = meaning.closedBy;
  if (status > 0) event.status = status;
  if (hier && hier !== '-') event.upstream = hier;
  const parts = url!.includes('://') ? urlIn(url!) : splitHostPort(url!);
  if (parts) {
    if (parts.host) event.host = parts.host;
    if (parts.port !== undefined) event.port = parts.port;
    if ('path' in parts && parts.path) event.path = parts.path;
  }
  return event;
}

export function createSquidParser(ctx: ParseContext): LineParser {
  return {
    line(text, no) {
      const c = text.charCodeAt(0);
      if (c < 49 || c > 57 || text.charCodeAt(10) !== 46) return; // "1732430401." — epoch seconds then a dot
      const parsed = parseSquidLine(text);
      if (parsed) ctx.emit(Object.assign(newEvent(ctx, no, text, parsed), parsed));
    },
    end() {},
  };
}

export const SQUID_FORMAT: FormatParser = {
  source: 'squid',
  title: 'Squid access.log (native format)',
  detect(firstLines, fileName) {
    return shareScore(firstLines, (line) => SQUID_LINE.test(line), fileName, /squid/i);
  },
  create: createSquidParser,
  // Real lines with their origins, kept as data: examples/squid.json.
  get examples() {
    return examplesFile('squid');
  },
};
