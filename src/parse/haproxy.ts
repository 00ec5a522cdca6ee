/**
 * HAProxy `option httplog` / `option tcplog` / `option httplog clf` lines, behind any syslog prefix HAProxy or a syslog
 * daemon puts before them (RFC 3164, RFC 5424, `log stdout format raw|iso|short|timed`).
 *
 * The termination state's first two characters decide the kind and the side that closed, as
 * doc/configuration.txt section 8.5 "Stream state at disconnection" defines them:
 *
 * | state | meaning (HAProxy doc)                                   | kind                     | closedBy |
 * |-------|---------------------------------------------------------|--------------------------|----------|
 * | C?    | the client aborted (CR, CQ, CC, CH, CD, CL, CT)         | client-closed            | client   |
 * | c?    | "timeout client" expired (cR: "timeout http-request")   | client-timeout           | proxy    |
 * | SC    | the server (or a box before it) refused: RST / ICMP     | upstream-refused         | server   |
 * | SC + <NOSRV> | no server available at all                       | no-live-upstreams        | proxy    |
 * | SH    | the server aborted before its full response headers     | upstream-premature-close | server   |
 * | SD/S? | the server's connection died (RST) during data          | upstream-reset           | server   |
 * | s?    | "timeout connect"/"timeout server" fired                | upstream-timeout         | proxy    |
 * | sQ    | expired in the queue: the servers were saturated        | capacity-exhausted       | proxy    |
 * | ?T    | tarpitted by a rule (PT; CT: the client gave up first)  | proxy-closed             | proxy    |
 * | PR 400| the client's request was invalid HTTP                   | bad-request              | proxy    |
 * | PH    | the server's response was invalid, incomplete or unsafe | server-error             | proxy    |
 * | P?    | the proxy blocked/aborted (deny, limits)                | proxy-closed             | proxy    |
 * | R?    | a proxy resource exhausted (memory, sockets, ports)     | proxy-closed             | proxy    |
 * | I?    | internal error of the proxy                             | proxy-closed             | proxy    |
 * | D?    | killed: the server was detected down                    | no-live-upstreams        | proxy    |
 * | U?/K? | killed: backup server / by an admin                     | proxy-closed             | proxy    |
 * | L?/-- | handled locally / normal completion                     | by status (4xx/5xx) or request | —  |
 *
 * Timeouts are closedBy 'proxy': HAProxy's own timer fired and HAProxy closed; the kind names the
 * side it waited for (client-timeout vs upstream-timeout), which is what rules attribute on.
 */
import type { ClosedBy, ConnectionEvent, EventKind, TimeQuality } from '../model/event.js';
import { kindOfStatus, splitHostPort } from './failure-text.js';
import type { FormatParser, LineParser, ParseContext } from './parser.js';
import { newEvent } from './parser.js';
import { readSyslogPrefix } from './syslog-prefix.js';
import { clfTime, clfWall } from './timestamps.js';
import { shareScore } from './detect-score.js';
import { examplesFile } from './example-file.js';

// client:port [accept date] frontend backend/server — shared head of both formats.
// Port and backend hold no ':' and '/' (the lazy \S+? they replace backtracked quadratically on a long token).
const HEAD = String.raw`(\S+):([^\s:]+) \[(\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)?)\] (\S+) ([^\s/]+)\/(\S+) `;
const HTTP_LOG = new RegExp(
  '^' +
    HEAD +
    // TR/Tw/Tc/Tr/Ta status bytes cookie cookie state conns queues {req hdrs} {resp hdrs} "request"
    String.raw`(-?\d+)\/(-?\d+)\/(-?\d+)\/(-?\d+)\/\+?(-?\d+) (-?\d+) \+?(\d+) \S+ \S+ ([A-Za-z-]{4}) (\S+) (\S+)` +
    String.raw`(?: \{([^}]*)\})?(?: \{([^}]*)\})?(?: "([^"]*)"?)?`,
);
const TCP_LOG = new RegExp('^' + HEAD + String.raw`(-?\d+)\/(-?\d+)\/\+?(-?\d+) \+?(\d+) ([A-Za-z-]{2}) (\S+) (\S+)`);
// Connection-level errors: "127.0.0.1:5000 [24/Nov/2026:06:40:01.123] fe/1: SSL handshake failure"
const CONN_ERROR = /^(\S+):([^\s:]+) \[(\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d(?:\.\d+)?)\] (\S+)\/([^\s/]+): (.+)$/;
const NO_SERVER = /^(?:backend|proxy) (\S+) has no server available!/;
// `option httplog clf` (src/log.c clf_http_log_format): %{+Q}o %{-Q}ci - - [%trg] %r %ST %B "" "" %cp %ms
// %ft %b %s %TR %Tw %Tc %Tr %Ta %tsc %ac %fc %bc %sc %rc %sq %bq %CC %CS %hrl %hsl
// %tsc is written raw (src/log.c lf_rawtext_len: +Q does not quote it), as real lines show; a quoted one is read too.
const CLF_LOG =
  /^(\S+) - - \[(\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d [+-]\d{4})\] "([^"]*)" (-?\d+) \+?(\d+) "[^"]*" "[^"]*" (\d+) \d+ "([^"]*)" "([^"]*)" "([^"]*)" (-?\d+) (-?\d+) (-?\d+) (-?\d+) \+?(-?\d+) "?([A-Za-z-]{4})"? (\d+) (\d+) (\d+) (\d+) \+?(\d+) (\d+) (\d+)/;

interface StateMeaning {
  kind: EventKind;
  closedBy?: ClosedBy;
}

/** Kind and side from the first two characters of the termination state (see the table above). */
export function haproxyStateMeaning(state: string, status: number | undefined, server: string): StateMeaning {
  const who = state.charAt(0);
  const phase = state.charAt(1);
  // A tarpit is the proxy's own rule holding the request, whoever gave up first (doc 8.5 "CT", "PT").
  if (phase === 'T') return { kind: 'proxy-closed', closedBy: 'proxy' };
  if (who === 'P' && phase === 'R' && status === 400) return { kind: 'bad-request', closedBy: 'proxy' };
  if (who === 'P' && phase === 'H') return { kind: 'server-error', closedBy: 'proxy' };
  if (who === 's' && phase === 'Q') return { kind: 'capacity-exhausted', closedBy: 'proxy' };
  switch (who) {
    case 'C':
      return { kind: 'client-closed', closedBy: 'client' };
    case 'c':
      return { kind: 'client-timeout', closedBy: 'proxy' };
    case 'S':
      if (phase === 'C') return server === '<NOSRV>' ? { kind: 'no-live-upstreams', closedBy: 'proxy' } : { kind: 'upstream-refused', closedBy: 'server' };
      if (phase === 'H') return { kind: 'upstream-premature-close', closedBy: 'server' };
      return { kind: 'upstream-reset', closedBy: 'server' };
    case 's':
      return { kind: 'upstream-timeout', closedBy: 'proxy' };
    case 'P':
    case 'R':
    case 'I':
    case 'U':
    case 'K':
      return { kind: 'proxy-closed', closedBy: 'proxy' };
    case 'D':
      return { kind: 'no-live-upstreams', closedBy: 'proxy' };
    default:
      // '-' normal completion, 'L' handled locally: the status tells what the client got.
      return { kind: kindOfStatus(status) };
  }
}

/** The accept date `24/Nov/2026:06:40:01.123` as wall clock read as UTC. */
function acceptWall(date: string): number | undefined {
  return clfWall(date, date.length > 21 ? Number(date.slice(21, 24).padEnd(3, '0')) : 0);
}

function num(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** A captured header that reads as the Host header (host or host:port), or undefined. */
function hostFromCaptures(captures: string | undefined): { host: string; port?: number } | undefined {
  if (!captures) return undefined;
  const first = captures.split('|')[0]!;
  if (!/^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*[.:][A-Za-z0-9.-]*|localhost)(?::\d+)?$/.test(first)) return undefined;
  return splitHostPort(first);
}

interface Timing {
  time: number | null;
  timeQuality: TimeQuality;
  zoneless?: boolean;
}

/**
 * The instant the stream ended (accept date + active time), which is when the client saw the
 * failure. The accept date has no zone; a zoned syslog stamp of the same host gives it one.
 */
function timing(date: string, activeMs: number | undefined, offsetMin: number | undefined): Timing {
  const wall = acceptWall(date);
  if (wall === undefined) return { time: null, timeQuality: 'none' };
  const end = wall + (activeMs ?? 0);
  if (offsetMin !== undefined) return { time: end - offsetMin * 60_000, timeQuality: 'exact' };
  return { time: end, timeQuality: 'inferred', zoneless: true };
}

/** Parses one HAProxy message (the syslog prefix removed); undefined when it is not a log line HAProxy writes per stream. */
export function parseHaproxyMessage(
  body: string,
  offsetMin: number | undefined,
): Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> | undefined {
  const first = body.charCodeAt(0);
  if (first === 98 || first === 112) {
    // "backend be has no server available!" / "proxy be has no server available!"
    const m = NO_SERVER.exec(body);
    if (m) return { source: 'haproxy', kind: 'no-live-upstreams', time: null, timeQuality: 'none', upstream: m[1], closedBy: 'proxy', message: body };
    return undefined;
  }
  if (body.indexOf(' [') === -1) return undefined;
  let m = HTTP_LOG.exec(body);
  if (m) {
    const [, ip, port, date, frontend, backend, server, treq, tw, tc, tr, ta, statusText, bytes, state, conns, queues, reqHdrs, respHdrs, request] = m;
    const status = num(statusText);
    const meaning = haproxyStateMeaning(state!, status, server!);
    // Object.assign, not `{ source, kind, ...timing(), clientAddr, … }`: keys after a spread cost a microsecond a line on Node 20.
    const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = Object.assign({ source: 'haproxy' as const, kind: meaning.kind }, timing(date!, num(ta), offsetMin), {
      clientAddr: ip,
      clientPort: num(port),
      upstream: `${backend}/${server}`,
      status,
      proxyCode: state,
      message: `${frontend} ${backend}/${server} TR/Tw/Tc/Tr/Ta=${treq}/${tw}/${tc}/${tr}/${ta} bytes=${bytes} ${state} conns=${conns} queues=${queues}${reqHdrs !== undefined ? ` {${reqHdrs}}` : ''}${respHdrs !== undefined ? ` {${respHdrs}}` : ''}`,
    });
    if (meaning.closedBy) event.closedBy = meaning.closedBy;
    requestFields(event, request);
    if (event.host === undefined) {
      const host = hostFromCaptures(reqHdrs);
      if (host) Object.assign(event, host);
    }
    return event;
  }
  m = CLF_LOG.exec(body);
  if (m) {
    const [, ip, date, request, statusText, bytes, port, frontend, backend, server, treq, tw, tc, tr, ta, state, ac, fc, bc, sc, rc, sq, bq] = m;
    const status = num(statusText);
    const meaning = haproxyStateMeaning(state!, status, server!);
    // %trg is the request's start in GMT (1 s resolution); Ta after it is when the stream ended.
    const start = clfTime(date!);
    const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = {
      source: 'haproxy',
      kind: meaning.kind,
      time: start ? start.time + (num(ta) ?? 0) : null,
      timeQuality: start ? (start.zoneless ? 'inferred' : 'exact') : 'none',
      clientAddr: ip,
      clientPort: num(port),
      upstream: `${backend}/${server}`,
      status,
      proxyCode: state,
      message: `${frontend} ${backend}/${server} TR/Tw/Tc/Tr/Ta=${treq}/${tw}/${tc}/${tr}/${ta} bytes=${bytes} ${state} conns=${ac}/${fc}/${bc}/${sc}/${rc} queues=${sq}/${bq}`,
    };
    if (meaning.closedBy) event.closedBy = meaning.closedBy;
    requestFields(event, request);
    return event;
  }
  m = TCP_LOG.exec(body);
  if (m) {
    const [, ip, port, date, frontend, backend, server, tw, tc, tt, bytes, state, conns, queues] = m;
    const meaning = haproxyStateMeaning(state!, undefined, server!);
    // A normal TCP stream is still traffic: it shows the proxy was alive.
    const event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'> = Object.assign({ source: 'haproxy' as const, kind: meaning.kind }, timing(date!, num(tt), offsetMin), {
      clientAddr: ip,
      clientPort: num(port),
      upstream: `${backend}/${server}`,
      proxyCode: state,
      message: `${frontend} ${backend}/${server} Tw/Tc/Tt=${tw}/${tc}/${tt} bytes=${bytes} ${state} conns=${conns} queues=${queues}`,
    });
    if (meaning.closedBy) event.closedBy = meaning.closedBy;
    return event;
  }
  m = CONN_ERROR.exec(body);
  if (m) {
    const [, ip, port, date, frontend, , message] = m;
    const tls = /SSL|TLS|handshake/i.test(message!);
    return Object.assign({ source: 'haproxy' as const, kind: tls ? ('tls-handshake-failed' as const) : ('proxy-closed' as const) }, timing(date!, undefined, offsetMin), {
      clientAddr: ip,
      clientPort: num(port),
      closedBy: 'proxy' as const,
      message: `${frontend}: ${message}`,
    });
  }
  return undefined;
}

/** Method, and path or host:port, of the request line HAProxy logged (origin-, absolute- or authority-form). */
function requestFields(event: Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt'>, request: string | undefined): void {
  const req = request !== undefined ? /^([A-Z]{3,10}) (\S+)/.exec(request) : null;
  if (!req) return;
  event.method = req[1];
  const target = req[2]!;
  const q = target.indexOf('?');
  const path = q === -1 ? target : target.slice(0, q);
  if (path.startsWith('/')) {
    event.path = path;
    return;
  }
  // Absolute-form (forward proxy) or CONNECT authority.
  const abs = /^[a-z]+:\/\/([^/]+)(\/[^?]*)?/i.exec(path);
  if (abs) {
    Object.assign(event, splitHostPort(abs[1]!));
    event.path = abs[2] ?? '/';
  } else Object.assign(event, splitHostPort(path));
}

/** Where HAProxy's message starts in a line: after its syslog prefix, or 0 for `format raw`. */
function messageOf(text: string): { body: string; offsetMin: number | undefined } {
  const c = text.charCodeAt(0);
  // `format raw`: the line is the message (starts with the client address, or "backend …").
  if (c !== 60 && !(c >= 65 && c <= 90) && !(c >= 48 && c <= 57 && text.charCodeAt(10) === 84)) {
    return { body: text, offsetMin: undefined };
  }
  const header = readSyslogPrefix(text);
  if (!header) return { body: text, offsetMin: undefined };
  return { body: text.slice(header.body), offsetMin: header.offsetMin };
}

const HEAD_ONLY = new RegExp('^' + HEAD);

export function createHaproxyParser(ctx: ParseContext): LineParser {
  // A stream line cut in two by a wrapping paste or a `\` continuation: the head waits for its rest.
  let pending: { text: string; no: number } | undefined;
  const emit = (text: string, no: number): boolean => {
    const { body, offsetMin } = messageOf(text);
    const parsed = parseHaproxyMessage(body, offsetMin);
    if (!parsed) return false;
    ctx.emit(Object.assign(newEvent(ctx, no, text, parsed), parsed));
    return true;
  };
  return {
    line(text, no) {
      if (pending) {
        const head = pending.text.replace(/\\$/, '').trimEnd();
        const rest = text.trim();
        const joined = pending;
        pending = undefined;
        if (emit(`${head} ${rest}`, joined.no) || emit(`${head}${rest}`, joined.no)) return;
      }
      // Cheap prefilter: every line this parser reads holds " [" or "no server available".
      if (text.length < 20 || (text.indexOf(' [') === -1 && text.indexOf('server available') === -1)) return;
      if (emit(text, no)) return;
      if (HEAD_ONLY.test(messageOf(text).body)) pending = { text, no };
    },
    end() {
      pending = undefined;
    },
  };
}

/** Whether a line is an HAProxy stream log line or carries the haproxy syslog tag. */
function isHaproxyLine(line: string): boolean {
  const { body } = messageOf(line);
  if (HTTP_LOG.test(body) || TCP_LOG.test(body) || CLF_LOG.test(body)) return true;
  const header = readSyslogPrefix(line);
  return header?.program === 'haproxy';
}

export const HAPROXY_FORMAT: FormatParser = {
  source: 'haproxy',
  title: 'HAProxy log (httplog / tcplog)',
  detect(firstLines, fileName) {
    const score = shareScore(firstLines, isHaproxyLine, fileName, /haproxy/i);
    // A clf line is also a combined access line with fields appended: its quoted frontend, backend,
    // server and termination state are HAProxy's alone, so it outranks the access-log claim.
    return score > 0 && firstLines.some((line) => CLF_LOG.test(messageOf(line).body)) ? Math.min(1, score + 0.05) : score;
  },
  create: createHaproxyParser,
  // Real lines with their origins, kept as data: examples/haproxy.json.
  get examples() {
    return examplesFile('haproxy');
  },
};
