/**
 * Squid's native access.log:
 *   `1732430401.123    120 127.0.0.1 TCP_DENIED/403 3945 GET http://example.invalid/ - HIER_NONE/- text/html`
 * time (epoch, exact) · elapsed ms · client · result/status · bytes · method · URL (host:port for
 * CONNECT) · user · hierarchy/peer · type.
 *
 * result/status → kind, closedBy:
 *   *_DENIED…, /403, /407                 → proxy-denied, proxy (an ACL or proxy auth refused it)
 *   *_ABORTED…                             → client-closed, client (the client went away first)
 *   NONE…/000                              → client-closed, client (no reply was sent: the client
 *                                            closed before a complete request, or the tunnel ended)
 *   /502 (bad reply), /503 (connect failed) → upstream-premature-close / upstream-refused, server
 *   /504 (gateway timeout)                 → upstream-timeout, proxy
 *   other 4xx/5xx                          → by status; else request (TCP_TUNNEL/200 is a request)
 */
import type { ClosedBy, ConnectionEvent, EventKind } from '../model/event.js';
import { excerptOf } from '../model/event.js';
import { kindOfStatus, splitHostPort, urlIn } from './failure-text.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { shareScore } from './detect-score.js';

const SQUID_LINE = /^(\d{9,11})\.(\d{1,3})\s+(-?\d+) (\S+) ([A-Z_]+)\/(\d{3}) (\d+) (\S+) (\S+) (\S+) (\S+)(?: (\S+))?/;

export function squidMeaning(result: string, status: number): { kind: EventKind; closedBy?: ClosedBy } {
  if (result.includes('DENIED') || status === 403 || status === 407) return { kind: 'proxy-denied', closedBy: 'proxy' };
  if (result.includes('ABORTED')) return { kind: 'client-closed', closedBy: 'client' };
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
  const meaning = squidMeaning(result!, status);
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
      if (parsed) ctx.emit({ id: `${ctx.file}:${no}`, file: ctx.file, line: no, excerpt: excerptOf(text), ...parsed });
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
  examples: [
    {
      lines: ['1732430401.123    120 127.0.0.1 TCP_DENIED/403 3945 GET http://example.invalid/ - HIER_NONE/- text/html'],
      expect: { source: 'squid', kind: 'proxy-denied', closedBy: 'proxy', proxyCode: 'TCP_DENIED/403', status: 403, host: 'example.invalid', port: 80, path: '/', time: 1732430401123, timeQuality: 'exact' },
      origin: 'Squid native access.log format (squid-cache.org "Squid native access.log format"), an ACL deny',
    },
    {
      lines: ['1732430401.456      0 10.0.0.7 TCP_DENIED/407 4120 CONNECT registry.example.invalid:443 - HIER_NONE/- text/html'],
      expect: { kind: 'proxy-denied', status: 407, method: 'CONNECT', host: 'registry.example.invalid', port: 443 },
      origin: 'Squid native format, proxy authentication required on CONNECT',
    },
    {
      lines: ['1732430402.789   5012 127.0.0.1 TCP_TUNNEL/200 6293 CONNECT pypi.org:443 - HIER_DIRECT/151.101.0.223 -'],
      expect: { kind: 'request', status: 200, upstream: 'HIER_DIRECT/151.101.0.223' },
      origin: 'Squid native format, a CONNECT tunnel',
    },
    {
      lines: ['1732430403.001  30001 127.0.0.1 TCP_MISS_ABORTED/000 0 GET http://127.0.0.1:8080/api/slow - HIER_DIRECT/127.0.0.1 -'],
      expect: { kind: 'client-closed', closedBy: 'client', status: undefined, path: '/api/slow' },
      origin: 'Squid native format, the client gave up first',
    },
    {
      lines: ['1732430404.002      0 127.0.0.1 NONE_NONE/000 0 - error:transaction-end-before-headers - HIER_NONE/- -'],
      expect: { kind: 'client-closed', proxyCode: 'NONE_NONE/000' },
      origin: 'Squid 5/6 native format, connection closed before a request',
    },
    {
      lines: ['1732430405.003      1 127.0.0.1 TCP_MISS/503 3899 GET http://127.0.0.1:9106/api/x - HIER_DIRECT/127.0.0.1 text/html'],
      expect: { kind: 'upstream-refused', closedBy: 'server', port: 9106 },
      origin: 'Squid native format, ERR_CONNECT_FAIL to a closed port',
    },
  ],
};
