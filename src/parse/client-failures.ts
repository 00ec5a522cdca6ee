/**
 * One line parser for every HTTP client's failure output, so a CI log that mixes them (npm, then
 * curl, then a Go test) is read whole: curl errors and `-v` traces, Node error objects (folded:
 * frames, `code:`, `[cause]:`), npm's `npm ERR!` block, Go net/http errors, Java exceptions
 * (folded: `at` frames, `Caused by:`), Rust reqwest/hyper, Python httpx/aiohttp. With `generic`,
 * any other line that names a connection failure becomes an event too (source 'other').
 *
 * The client formats (curl.ts, node-client.ts, go-client.ts, java-client.ts, other-clients.ts) and
 * the fallback differ only in what they recognise a file by.
 */
import { errnoName as errnoNameOf } from '../model/errno.js';
import type { ConnectionEvent, EventKind, Source, TimeQuality } from '../model/event.js';
import { excerptOf } from '../model/event.js';
import { classifyFailure, errnoInText, kindOfStatus, mayNameFailure, urlIn, type FailureMeaning } from './failure-text.js';
import { parseFirewallLine } from './kernel-firewall.js';
import type { LineParser, ParseContext } from './parser.js';
import { bsdStampAt, bsdTime, isoStampAt, yearOf } from './syslog-prefix.js';
import { wallClockAt } from './timestamps.js';

type Fields = Omit<ConnectionEvent, 'id' | 'file' | 'line' | 'excerpt' | 'time' | 'timeQuality' | 'source' | 'kind'>;

interface Clock {
  time: number | null;
  timeQuality: TimeQuality;
  zoneless?: boolean;
}

/**
 * The time a line starts with: ISO 8601 (zoned → exact; Python/Java `2026-11-24 06:40:01,123` →
 * zone-less), Go's log `2026/11/24 06:40:01`, syslog `Nov 24 06:40:01` (year from the CI prefix),
 * also inside `[...]`. Without one, the CI prefix time; else none.
 */
export function leadingTime(text: string, prefixTime: number | undefined): Clock {
  const at = text.charCodeAt(0) === 91 ? 1 : 0;
  const c = text.charCodeAt(at);
  if (c >= 48 && c <= 57) {
    const iso = isoStampAt(text, at);
    if (iso) return iso.zoneless ? { time: iso.time, timeQuality: 'inferred', zoneless: true } : { time: iso.time, timeQuality: 'exact' };
    // Go's log `2026/11/24 06:40:01`: a wall clock with no zone.
    const wall = wallClockAt(text, at);
    if (wall !== undefined) return { time: wall, timeQuality: 'inferred', zoneless: true };
  } else if (c >= 65 && c <= 83 && prefixTime !== undefined) {
    const bsd = bsdStampAt(text, at);
    const wall = bsd ? bsdTime(bsd, yearOf(prefixTime)!) : undefined;
    if (wall !== undefined) return { time: wall, timeQuality: 'inferred', zoneless: true };
  }
  if (prefixTime !== undefined) return { time: prefixTime, timeQuality: 'exact' };
  return { time: null, timeQuality: 'none' };
}

/** Method names as Go writes them in `Get "url": …`. */
const GO_METHODS: Record<string, string> = { Get: 'GET', Post: 'POST', Put: 'PUT', Delete: 'DELETE', Patch: 'PATCH', Head: 'HEAD', Options: 'OPTIONS' };

/** Fills host/port/path from a URL and address pairs a text states. */
function addressesIn(text: string, fields: Fields): void {
  const url = urlIn(text);
  if (url) {
    if (fields.host === undefined && url.host) fields.host = url.host;
    if (fields.port === undefined && url.port !== undefined) fields.port = url.port;
    if (fields.path === undefined && url.path) fields.path = url.path;
  }
  // Go: "read tcp 127.0.0.1:51234->127.0.0.1:8080"
  const arrow = text.indexOf('->');
  if (arrow !== -1) {
    // Starts only at a token's start: from inside a long token it backtracked quadratically.
    const m = /(?<!\S)(\S+):(\d+)->(\S+?):(\d+)\b/.exec(text);
    if (m) {
      fields.clientAddr = m[1]!.replace(/^\[|\]$/g, '');
      fields.clientPort = Number(m[2]);
      if (!url) {
        fields.host = m[3]!.replace(/^\[|\]$/g, '');
        fields.port = Number(m[4]);
      }
    }
  }
  if (fields.host !== undefined) return;
  // requests/urllib3: "HTTPConnectionPool(host='x', port=80): … url: /api/x"
  const pool = /host='([^']*)', port=(\d+)\)(?:.*?url: (\/\S*))?/.exec(text);
  if (pool) {
    fields.host = pool[1];
    fields.port = Number(pool[2]);
    if (pool[3]) fields.path = pool[3].split('?')[0];
    return;
  }
  // curl, aiohttp, Node, Go dial: "Failed to connect to H port N", "Cannot connect to host H:N", "connect ECONNREFUSED H:N", "dial tcp H:N"
  const m =
    /(?:connect to|Could not resolve host:|resolve host) \[?([\w.:-]+?)\]? port (\d+)/.exec(text) ??
    /(?:Cannot connect to host|connect E[A-Z]+|dial tcp|in connection to) \[?([\w.:-]+?)\]?:(\d+)\b/.exec(text) ??
    /(?:Could not resolve host:?|getaddrinfo E[A-Z_]+|lookup|UnknownHostException:) ([\w.-]+)/.exec(text);
  if (m) {
    fields.host = m[1];
    if (m[2]) fields.port = Number(m[2]);
  }
}

function errnoFields(text: string, meaning: FailureMeaning | undefined, fields: Fields): void {
  const stated = errnoInText(text);
  if (stated && stated.errnoName) {
    fields.errno = stated.errno;
    fields.errnoName = stated.errnoName;
  } else if (meaning?.errnoName) fields.errnoName = meaning.errnoName;
}

// ---- curl -------------------------------------------------------------------------------------

const CURL_ERROR = /^curl: \((\d+)\) (.*)$/;

/** The kind a curl exit code tells, refined by its message (curl's libcurl-errors.3). */
function curlKind(code: number, message: string): FailureMeaning | undefined {
  const meaning = classifyFailure(message);
  switch (code) {
    case 5:
    case 97:
      return { kind: 'proxy-error' };
    case 6:
      return { kind: 'dns-failure', errnoName: meaning?.kind === 'dns-failure' ? meaning.errnoName : undefined };
    case 7:
      if (/timed out|Timeout was reached/i.test(message)) return { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
      if (/no route|unreachable/i.test(message)) return { kind: 'connection-error', errnoName: meaning?.errnoName };
      return { kind: 'refused', errnoName: 'ECONNREFUSED' };
    case 18:
      return { kind: 'incomplete-read' };
    case 22: {
      const status = /error:? (\d{3})/.exec(message);
      return status ? { kind: kindOfStatus(Number(status[1])) } : undefined;
    }
    case 28:
      if (/Resolving timed out/i.test(message)) return { kind: 'dns-failure', errnoName: 'EAI_AGAIN' };
      if (/Connection timed out|Failed to connect/i.test(message)) return { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
      return { kind: 'read-timeout' };
    case 35:
    case 51:
    case 53:
    case 54:
    case 58:
    case 59:
    case 60:
    case 77:
    case 80:
    case 83:
    case 90:
    case 91:
      return { kind: 'tls-error' };
    case 52:
      return { kind: 'remote-disconnected' };
    case 55:
      return meaning?.kind === 'reset' ? meaning : { kind: 'broken-pipe', errnoName: meaning?.errnoName };
    case 56:
    case 16:
    case 92:
      return meaning ?? { kind: 'connection-error' };
    default:
      return meaning;
  }
}

interface CurlContext {
  host?: string;
  port?: number;
  method?: string;
  path?: string;
  /** A `* Recv failure: …` trace line, waiting for its `curl: (N)` line. */
  pending?: { text: string; no: number; clock: Clock; meaning: FailureMeaning };
}

function isCurlTraceLine(text: string): boolean {
  const c = text.charCodeAt(0);
  const d = text.charCodeAt(1);
  // "* …", "> …", "< …", "{ [5 bytes data]", progress meter lines
  if ((c === 42 || c === 62 || c === 60) && (d === 32 || Number.isNaN(d))) return true;
  if ((c === 123 || c === 125) && d === 32 && text.charCodeAt(2) === 91) return true; // "{ [5 bytes data]"
  return c === 32 && /^\s+(?:% Total|Dload|\d+\s+\d)/.test(text);
}

// ---- Node -------------------------------------------------------------------------------------

// "Error: read ECONNRESET", "TypeError: fetch failed", "AxiosError: socket hang up", "FetchError: request to … failed, reason: …",
// "Error [ERR_STREAM_PREMATURE_CLOSE]: Premature close", old one-line "{ Error: read ECONNRESET … }"
const NODE_HEAD = /^(?:\{ |Uncaught )?((?:[A-Z]\w*)?Error)(?: \[(\w+)\])?: (.*)$/;
const NODE_SIGNATURE = /^(?:read|write|connect|getaddrinfo|queryA|socket) E[A-Z_]+|socket hang up|fetch failed|other side closed|request to \S+ failed|^timeout of \d+ms exceeded|Premature close/;

const NODE_CLASSES = /^(?:AxiosError|FetchError|SocketError|RequestError|ConnectTimeoutError|HeadersTimeoutError|BodyTimeoutError)$/;

interface NodeRecord {
  no: number;
  head: string;
  clock: Clock;
  exception: string;
  message: string;
  frames: number;
  code?: string;
  errno?: number;
  syscall?: string;
  host?: string;
  port?: number;
  cause?: string;
  causeMessage?: string;
  lines: number;
}

// ---- Java -------------------------------------------------------------------------------------

const JAVA_HEAD = /^(?:Exception in thread "[^"]*" )?((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))(?:: (.*))?$/;
const JAVA_CAUSE = /^\s*Caused by: ((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*)(?:: (.*))?$/;

interface JavaRecord {
  no: number;
  head: string;
  clock: Clock;
  exception: string;
  message: string;
  cause?: string;
  causeMessage?: string;
  lines: number;
}

// ---- npm --------------------------------------------------------------------------------------

const NPM_LINE = /^npm (?:ERR!|error) (.*)$/;

interface NpmRecord {
  no: number;
  head: string;
  clock: Clock;
  code?: string;
  network?: string;
  lines: number;
}

// ---- Go, Rust, Python clients: one line each ---------------------------------------------------

const GO_REQUEST = /\b(Get|Post|Put|Delete|Patch|Head|Options) "?(https?:\/\/[^"\s]+)"?: (.+)$/;
const GO_SIGNATURE = /\b(?:read|write|dial) (?:tcp|udp|unix)[46]?\b|net\/http: |http: server closed idle connection|proxyconnect tcp/;
const RUST_SIGNATURE = /error sending request for url|reqwest::Error|hyper::Error|hyper_util::|error trying to connect|\(os error \d+\)/;
const PY_CLIENT = /^(?:[\w.]*\.)?((?:httpx|httpcore)\.\w+|aiohttp\.client_exceptions\.\w+|(?:ServerDisconnectedError|ClientOSError|ClientConnectorError|ClientConnectorSSLError|ClientPayloadError|ServerTimeoutError|ClientConnectionError))(?::\s*(.*))?$/;

const MAX_RECORD_LINES = 200;

export interface ClientParserOptions {
  /** Lines that name a failure but match no client's own shape become 'other' events. */
  generic: boolean;
}

export function createClientParser(ctx: ParseContext, options: ClientParserOptions): LineParser {
  const curl: CurlContext = {};
  let node: NodeRecord | undefined;
  let java: JavaRecord | undefined;
  let npm: NpmRecord | undefined;
  // Generic events of one Python traceback chain are one failure: later lines of the chain fold in.
  let lastGeneric: { no: number; kind: EventKind } | undefined;
  let chainBroken = false;
  // A Python traceback's `  File "…"` line: the indented source line after it quotes code, not a failure.
  let afterPyFrame = false;

  const emit = (source: Source, kind: EventKind, no: number, excerpt: string, clock: Clock, fields: Fields): void => {
    const event: ConnectionEvent = {
      id: `${ctx.file}:${no}`,
      source,
      kind,
      time: clock.time,
      timeQuality: clock.timeQuality,
      file: ctx.file,
      line: no,
      excerpt: excerptOf(excerpt),
    };
    if (clock.zoneless) event.zoneless = true;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (event as unknown as Record<string, unknown>)[key] = value;
    }
    ctx.emit(event);
  };

  // -- curl
  const flushCurlPending = (): void => {
    const p = curl.pending;
    if (!p) return;
    curl.pending = undefined;
    const fields: Fields = { host: curl.host, port: curl.port, method: curl.method, path: curl.path };
    errnoFields(p.text, p.meaning, fields);
    emit('curl', p.meaning.kind, p.no, p.text, p.clock, fields);
  };
  const curlLine = (text: string, no: number, prefixTime: number | undefined): boolean => {
    const m = text.charCodeAt(0) === 99 ? CURL_ERROR.exec(text) : null;
    if (m) {
      const code = Number(m[1]);
      const message = m[2]!;
      const meaning = curlKind(code, message);
      const pending = curl.pending;
      curl.pending = undefined;
      if (meaning) {
        const fields: Fields = { host: curl.host, port: curl.port, method: curl.method, path: curl.path, exception: `curl (${code})` };
        if (pending) fields.message = pending.text;
        const own: Fields = {};
        addressesIn(message, own);
        if (own.host !== undefined) Object.assign(fields, { host: own.host, port: own.port ?? fields.port });
        errnoFields(message, meaning.errnoName ? meaning : pending?.meaning, fields);
        if (code === 22) {
          const status = /(\d{3})/.exec(message);
          if (status) fields.status = Number(status[1]);
        }
        const clock = leadingTime(text, prefixTime);
        emit('curl', meaning.kind, no, text, clock.time === null && pending ? pending.clock : clock, fields);
      }
      curl.host = curl.port = curl.method = curl.path = undefined;
      return true;
    }
    if (!isCurlTraceLine(text)) {
      flushCurlPending();
      return false;
    }
    const c = text.charCodeAt(0);
    if (c === 42) {
      // "* Connected to 127.0.0.1 (127.0.0.1) port 8080 (#0)", "*   Trying 127.0.0.1:8080..."
      const connected = /^\* Connected to (\S+) \(([^)]*)\) port (\d+)/.exec(text);
      if (connected) {
        curl.host = connected[1];
        curl.port = Number(connected[3]);
        return true;
      }
      const trying = /^\*\s+Trying \[?([^\]\s]+?)\]?:(\d+)/.exec(text);
      if (trying) {
        flushCurlPending();
        curl.host ??= trying[1];
        curl.port = Number(trying[2]);
        return true;
      }
      const body = text.slice(2);
      if (mayNameFailure(body) && !/^(?:Closing connection|Connection #\d+ to host .* left intact|Re-using existing connection)/.test(body)) {
        const meaning = classifyFailure(body);
        if (meaning) curl.pending ??= { text, no, clock: leadingTime(text, prefixTime), meaning };
        const own: Fields = {};
        addressesIn(body, own);
        if (own.host !== undefined && curl.host === undefined) {
          curl.host = own.host;
          curl.port = own.port;
        }
      }
      return true;
    }
    if (c === 62) {
      const req = /^> ([A-Z]{3,10}) (\S+) HTTP\//.exec(text);
      if (req) {
        curl.method = req[1];
        curl.path = req[2]!.split('?')[0];
      }
    }
    return true;
  };

  // -- Node
  const flushNode = (): void => {
    const r = node;
    if (!r) return;
    node = undefined;
    const isNode = r.frames > 0 || r.code !== undefined || NODE_SIGNATURE.test(r.message) || NODE_CLASSES.test(r.exception);
    const texts = [r.causeMessage, r.message, r.code].filter((t): t is string => t !== undefined);
    let meaning: FailureMeaning | undefined;
    for (const t of texts) {
      meaning = classifyFailure(t);
      if (meaning) break;
    }
    if (!meaning && /fetch failed/.test(r.message)) meaning = { kind: 'connection-error' };
    if (!meaning || !isNode) {
      singleLine(r.head, r.no, r.clock);
      return;
    }
    const fields: Fields = { exception: r.exception, cause: r.cause, host: r.host, port: r.port };
    if (r.code) fields.message = `code ${r.code}${r.syscall ? ` syscall ${r.syscall}` : ''}`;
    if (r.errno !== undefined && errnoNameOf(r.errno)) {
      fields.errno = r.errno;
      fields.errnoName = errnoNameOf(r.errno);
    } else if (meaning.errnoName) fields.errnoName = meaning.errnoName;
    if (meaning.kind === 'remote-disconnected' && fields.errnoName === 'ECONNRESET' && r.errno === undefined) fields.errnoName = undefined;
    addressesIn(`${r.causeMessage ?? ''} ${r.message}`, fields);
    const excerpt = r.cause ? `${r.head} [cause]: ${r.cause}: ${r.causeMessage ?? ''}` : r.head;
    emit('node', meaning.kind, r.no, excerpt, r.clock, fields);
  };
  const nodeContinuation = (text: string): boolean => {
    const r = node!;
    const c = text.charCodeAt(0);
    if (!(c === 32 || c === 9 || c === 125 || c === 93)) return false;
    r.lines++;
    const t = text.trim();
    if (t.startsWith('at ')) {
      r.frames++;
      return true;
    }
    const cause = /^\[cause\]: ([A-Z]\w*)(?: \[\w+\])?: (.*?)(?: \{)?$/.exec(t);
    if (cause) {
      r.cause = cause[1];
      r.causeMessage = cause[2];
      return true;
    }
    const kv = /^(code|errno|syscall|address|port|hostname|remoteAddress|remotePort): '?([^',]*)'?,?$/.exec(t);
    if (kv) {
      const [, key, value] = kv;
      if (key === 'code') r.code = value;
      else if (key === 'errno') {
        const n = Number(value);
        if (Number.isFinite(n)) r.errno = Math.abs(n);
      } else if (key === 'syscall') r.syscall = value;
      else if (key === 'address' || key === 'hostname' || key === 'remoteAddress') r.host ??= value;
      else if ((key === 'port' || key === 'remotePort') && /^\d+$/.test(value!)) r.port ??= Number(value);
    }
    return true;
  };

  // -- Java
  const flushJava = (): void => {
    const r = java;
    if (!r) return;
    java = undefined;
    let meaning: FailureMeaning | undefined;
    for (const t of [r.cause ? `${r.cause}: ${r.causeMessage ?? ''}` : undefined, `${r.exception}: ${r.message}`]) {
      if (t !== undefined) meaning = classifyFailure(t);
      if (meaning) break;
    }
    // Without frames or a JVM package it is some other language's exception (Python's urllib3.…).
    if (!meaning || (r.lines === 1 && !/^(?:java|javax|jdk|okhttp3|okio|org\.apache|io\.netty|reactor|feign|retrofit2|com\.squareup)\./.test(r.exception))) {
      singleLine(r.head, r.no, r.clock);
      return;
    }
    if (/ConnectException/.test(r.exception + (r.cause ?? '')) && meaning.kind === 'read-timeout') meaning = { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
    const fields: Fields = { exception: r.exception, cause: r.cause };
    errnoFields(`${r.message} ${r.causeMessage ?? ''}`, meaning, fields);
    addressesIn(`${r.exception}: ${r.message} ${r.causeMessage ?? ''}`, fields);
    // okhttp: "Connection{host:443, proxy=DIRECT …}"
    const okConn = /Connection\{([\w.-]+):(\d+),/.exec(r.message);
    if (okConn && fields.host === undefined) Object.assign(fields, { host: okConn[1], port: Number(okConn[2]) });
    emit('java', meaning.kind, r.no, r.head, r.clock, fields);
  };

  // -- npm
  const flushNpm = (): void => {
    const r = npm;
    if (!r) return;
    npm = undefined;
    const text = r.network ?? r.code ?? '';
    const meaning = classifyFailure(text) ?? (r.code ? classifyFailure(r.code) : undefined);
    if (!meaning) return;
    const fields: Fields = { exception: r.code ? `npm ERR! code ${r.code}` : undefined, message: r.network };
    errnoFields(text, meaning, fields);
    addressesIn(text, fields);
    emit('node', meaning.kind, r.no, r.network ? `npm ERR! network ${r.network}` : r.head, r.clock, fields);
  };

  // -- generic (fallback)
  const genericLine = (text: string, no: number, clock: Clock): void => {
    const meaning = classifyFailure(text);
    if (!meaning) {
      // A column-0 line that is not part of a traceback ends the chain.
      if (text.length > 0 && text.charCodeAt(0) !== 32 && text.charCodeAt(0) !== 9 && !/^(?:Traceback |During handling|The above exception|\^)/.test(text)) chainBroken = true;
      return;
    }
    if (lastGeneric && lastGeneric.kind === meaning.kind && no - lastGeneric.no <= 40 && !chainBroken) return;
    lastGeneric = { no, kind: meaning.kind };
    chainBroken = false;
    const fields: Fields = {};
    errnoFields(text, meaning, fields);
    addressesIn(text, fields);
    const exc = /^\s*(?:[\w.]+\.)?([A-Z]\w*(?:Error|Exception))(?::|$)/.exec(text);
    if (exc) fields.exception = exc[0].trim().replace(/:$/, '');
    emit('other', meaning.kind, no, text, clock, fields);
  };

  /** Clients whose failure is one line (httpx/aiohttp, Go, Rust), then the generic table. */
  const singleLine = (text: string, no: number, clock: Clock): void => {
    // Python httpx / aiohttp exception lines.
    const py = PY_CLIENT.exec(text.trimStart());
    if (py) {
      const meaning = classifyFailure(text);
      if (meaning) {
        const fields: Fields = { exception: text.trimStart().split(':')[0] };
        errnoFields(text, meaning, fields);
        addressesIn(text, fields);
        emit('client', meaning.kind, no, text, clock, fields);
        lastGeneric = { no, kind: meaning.kind };
        chainBroken = false;
        return;
      }
    }
    // Go net/http.
    const go = GO_REQUEST.exec(text);
    if (go || GO_SIGNATURE.test(text)) {
      const meaning = classifyFailure(go ? `: ${go[3]!}` : text) ?? (go ? { kind: 'connection-error' as const } : undefined);
      if (meaning) {
        const fields: Fields = {};
        if (go) fields.method = GO_METHODS[go[1]!];
        errnoFields(text, meaning, fields);
        if (!fields.errnoName) fields.errnoName = meaning.errnoName;
        addressesIn(text, fields);
        emit(RUST_SIGNATURE.test(text) ? 'rust' : 'go', meaning.kind, no, text, clock, fields);
        return;
      }
    }
    // Rust reqwest / hyper.
    if (RUST_SIGNATURE.test(text)) {
      const meaning = classifyFailure(text.replace(/error sending request for url \([^)]*\)/, '')) ?? { kind: 'connection-error' as const };
      const fields: Fields = {};
      errnoFields(text, meaning, fields);
      const osCode = /Os \{ code: (\d+)/.exec(text);
      if (osCode && fields.errno === undefined && errnoNameOf(Number(osCode[1]))) {
        fields.errno = Number(osCode[1]);
        fields.errnoName = errnoNameOf(fields.errno);
      }
      const hyper = /hyper::Error\((\w+)/.exec(text);
      if (hyper) fields.cause = `hyper::Error(${hyper[1]})`;
      addressesIn(text, fields);
      emit('rust', meaning.kind, no, text, clock, fields);
      return;
    }
    if (options.generic) genericLine(text, no, clock);
  };

  return {
    line(text, no, prefixTime) {
      const quotedSource = afterPyFrame && text.charCodeAt(0) === 32;
      afterPyFrame = text.startsWith('  File "');
      if (quotedSource) return;
      // Folded records first: their continuation lines belong to them.
      if (node) {
        if (node.lines < MAX_RECORD_LINES && nodeContinuation(text)) return;
        flushNode();
      }
      if (java) {
        const c = text.charCodeAt(0);
        if (java.lines < MAX_RECORD_LINES && (c === 9 || c === 32 || c === 67)) {
          const cause = JAVA_CAUSE.exec(text);
          if (cause) {
            java.cause = cause[1];
            java.causeMessage = cause[2];
            java.lines++;
            return;
          }
          if (c !== 67 && /^\s+(?:at |\.\.\. \d+|Suppressed: |Caused by: )/.test(text)) {
            java.lines++;
            return;
          }
        }
        flushJava();
      }
      if (npm) {
        const m = NPM_LINE.exec(text);
        if (m && npm.lines < MAX_RECORD_LINES) {
          npm.lines++;
          const body = m[1]!;
          const code = /^code (\S+)/.exec(body);
          if (code) npm.code = code[1];
          else if (body.startsWith('network ') && npm.network === undefined && mayNameFailure(body) && !/^network (?:This|and|In most|If you|'proxy')/.test(body)) {
            npm.network = body.slice(8);
          }
          return;
        }
        flushNpm();
      }
      if (text.length === 0) return;
      if (curlLine(text, no, prefixTime)) return;
      // A kernel firewall LOG line quoted in any text.
      if (options.generic && text.indexOf(' SRC=') !== -1 && text.indexOf('IN=') !== -1) {
        const fw = parseFirewallLine(text, yearOf(prefixTime));
        if (fw) {
          ctx.emit({ id: `${ctx.file}:${no}`, file: ctx.file, line: no, excerpt: excerptOf(text), ...fw });
          return;
        }
      }

      const first = text.charCodeAt(0);
      // npm: "npm ERR! code ECONNRESET", "npm error network request to … failed, reason: …"
      if (first === 110 && text.startsWith('npm ')) {
        const m = NPM_LINE.exec(text);
        if (m) {
          const body = m[1]!;
          const code = /^code (\S+)/.exec(body);
          const network = body.startsWith('network ') && mayNameFailure(body) ? body.slice(8) : undefined;
          if (code || network) {
            npm = { no, head: text, clock: leadingTime(text, prefixTime), code: code?.[1], network, lines: 1 };
          }
          return;
        }
      }
      // Node error heads (the record folds the lines after it).
      if (first >= 65 && first <= 90 || first === 123) {
        const m = NODE_HEAD.exec(text);
        if (m) {
          node = { no, head: text, clock: leadingTime(text, prefixTime), exception: m[1]!, message: m[3]!, frames: 0, lines: 1 };
          if (m[2]) node.code = m[2];
          // Old Node printed the whole object on one line: "{ Error: read ECONNRESET … code: 'ECONNRESET' … }"
          const code = /code: '(\w+)'/.exec(text);
          if (code) node.code = code[1];
          return;
        }
      }
      // Java exception heads.
      if (first >= 97 && first <= 122 || first === 69) {
        const m = JAVA_HEAD.exec(text);
        if (m && !text.startsWith('httpx.') && !text.startsWith('httpcore.') && !text.startsWith('aiohttp.') && !text.startsWith('requests.') && !text.startsWith('urllib3.')) {
          java = { no, head: text, clock: leadingTime(text, prefixTime), exception: m[1]!, message: m[2] ?? '', lines: 1 };
          return;
        }
      }
      if (!mayNameFailure(text)) {
        if (options.generic && text.charCodeAt(0) !== 32 && text.charCodeAt(0) !== 9 && !/^(?:Traceback |During handling|The above exception)/.test(text)) chainBroken = true;
        return;
      }
      singleLine(text, no, leadingTime(text, prefixTime));
    },
    end() {
      flushNode();
      flushJava();
      flushNpm();
      flushCurlPending();
    },
  };
}
