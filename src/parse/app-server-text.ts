/**
 * What an application server's own log record says about a connection, read from its message and
 * the exception lines folded under it. One table for every server family, so a record means the
 * same wherever its layout put it (gunicorn's `[stamp] [pid] [LEVEL]`, uvicorn's `INFO:     `,
 * `logging.basicConfig`, Go's `log` stamp, a pino JSON field):
 *
 * - Python: gunicorn arbiter.py / workers (26.x), uvicorn h11_impl/httptools_impl/server.py (0.35),
 *   hypercorn (0.18), waitress channel.py/task.py (3.0), werkzeug serving.py (3.1).
 * - Go net/http server.go: `http: TLS handshake error from`, `http: panic serving`, `http: Accept error`.
 * - Node http server (`Error: aborted` from abortIncoming), Java Tomcat/Spring (`ClientAbortException`).
 *
 * Decisions: a reset or broken pipe while the server talked to its client is the client leaving
 * (`client-closed`, closedBy client), unless the traceback runs through an HTTP client library (then
 * the app's own outbound call failed and the client got a 500: `server-error`). The server closing
 * without a response (uvicorn after a half-sent response, Go after a handler panic) is
 * `server-closed`. A killed or timed-out worker is `worker-crash` with the worker's pid; the
 * master's stop signals are `reload`. Starting workers closes nothing and stays `other`.
 */
import type { ClosedBy, EventKind } from '../model/event.js';
import { errnoName, errnoNameFromText } from '../model/errno.js';
import { classifyFailure, errnoInText, kindOfStatus } from './failure-text.js';

export interface AppReading {
  kind: EventKind;
  closedBy?: ClosedBy;
  errno?: number;
  errnoName?: string;
  exception?: string;
  method?: string;
  path?: string;
  status?: number;
  clientAddr?: string;
  clientPort?: number;
  /** The process whose connections the line speaks of: the worker a timeout or signal names. */
  pid?: number;
}

/** What the lines folded under a record's first line tell (app-server.ts collects them). */
export interface RecordBody {
  /** Exception lines, `Caused by:` lines, Node `code: 'E…'` lines, in the order printed. */
  lines: readonly string[];
  /** A traceback frame was in an HTTP client library: the app's own outbound call failed. */
  clientLibraryFrame: boolean;
}

export const EMPTY_BODY: RecordBody = { lines: [], clientLibraryFrame: false };

const OTHER: Readonly<AppReading> = { kind: 'other' };
/** Every literal the readers test a record's first line for (a record with exception lines is read whole). */
const MAY_SPEAK =
  /WORKER TIMEOUT|was sent |due to signal|exited with code|Handling signal|Shutting down|Invalid |Ignor|Client disconnected|ASGI|[Ee]rror|Exception|http: | tcp|EPIPE|ECONNRESET|aborted|open files|EMFILE|Task queue/;

/** Reads one record; `OTHER` when it says nothing about a connection. */
export function readAppRecord(head: string, body: RecordBody): AppReading {
  if (head.includes('HTTP/')) {
    const request = requestLine(head);
    if (request) return request;
  }
  // Most records are ordinary chatter: one scan for every text the readers below look for.
  if (body.lines.length === 0 && !MAY_SPEAK.test(head)) return OTHER;
  return pythonServer(head, body) ?? goServer(head) ?? nodeServer(head, body) ?? javaServer(head, body) ?? resourceLimit(head, body) ?? OTHER;
}

// ---- request lines ------------------------------------------------------------------------------

/**
 * uvicorn's access line `127.0.0.1:51234 - "GET /x HTTP/1.1" 200 OK` (client with its port), or a
 * common-log line `127.0.0.1 - - [24/Nov/2026 06:40:01] "GET /x HTTP/1.1" 200 -` (werkzeug,
 * gunicorn and hypercorn access logs written into the same stream). Read by indexOf.
 */
export function requestLine(text: string): AppReading | undefined {
  const quote = text.indexOf(' "');
  if (quote < 0) return undefined;
  const request = quotedRequest(text, quote + 2);
  if (!request) return undefined;
  const dash = text.lastIndexOf(' - ', quote);
  let client: { clientAddr: string; clientPort?: number } | undefined;
  if (dash >= 0 && dash === quote - 2) {
    // uvicorn: "addr:port - " right before the quote
    client = addressBefore(text, dash);
  } else if (text.charCodeAt(quote - 1) === 93 /* ] */) {
    client = commonLogClient(text, text.lastIndexOf(' [', quote));
  }
  if (!client) return undefined;
  const reading: AppReading = { kind: request.status === undefined ? 'other' : kindOfStatus(request.status), method: request.method, path: request.path, clientAddr: client.clientAddr };
  if (request.status !== undefined) reading.status = request.status;
  if (client.clientPort !== undefined) reading.clientPort = client.clientPort;
  return reading;
}

/** `GET /x HTTP/1.1" 200` from `at`: method, path without query, status (undefined for `-`). */
function quotedRequest(text: string, at: number): { method: string; path: string; status: number | undefined } | undefined {
  const methodEnd = text.indexOf(' ', at);
  const close = text.indexOf('" ', at);
  if (methodEnd <= at || close < 0 || methodEnd > close) return undefined;
  const pathEnd = text.indexOf(' ', methodEnd + 1);
  if (pathEnd < 0 || pathEnd > close || !text.startsWith('HTTP/', pathEnd + 1)) return undefined;
  if (methodEnd - at < 3 || methodEnd - at > 10) return undefined;
  for (let i = at; i < methodEnd; i++) {
    const c = text.charCodeAt(i);
    if (c < 65 || c > 90) return undefined;
  }
  const query = text.indexOf('?', methodEnd + 1);
  const path = text.slice(methodEnd + 1, query >= 0 && query < pathEnd ? query : pathEnd);
  const status = statusAt(text, close + 2);
  if (status === undefined && text.charCodeAt(close + 2) !== 45 /* - */) return undefined;
  return { method: text.slice(at, methodEnd), path, status };
}

/** Three digits 100-599 at `at`, not followed by another digit. */
function statusAt(text: string, at: number): number | undefined {
  const d0 = text.charCodeAt(at) - 48;
  const d1 = text.charCodeAt(at + 1) - 48;
  const d2 = text.charCodeAt(at + 2) - 48;
  const d3 = text.charCodeAt(at + 3) - 48;
  if (!(d0 >= 1 && d0 <= 5 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9) || (d3 >= 0 && d3 <= 9)) return undefined;
  return d0 * 100 + d1 * 10 + d2;
}

/** The `addr:port` token ending at `end` (`127.0.0.1:51234`, `[::1]:51234`). */
function addressBefore(text: string, end: number): { clientAddr: string; clientPort: number } | undefined {
  const token = text.slice(text.lastIndexOf(' ', end - 1) + 1, end);
  const colon = token.lastIndexOf(':');
  const port = Number(token.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) return undefined;
  return { clientAddr: splitAddress(token.slice(0, colon)), clientPort: port };
}

/** The address of `addr ident user [time]`, whose ` [` is at `open`; after a logging prefix too ("INFO:werkzeug:127.0.0.1"). */
function commonLogClient(text: string, open: number): { clientAddr: string } | undefined {
  if (open < 0) return undefined;
  const user = text.lastIndexOf(' ', open - 1);
  const ident = user < 0 ? -1 : text.lastIndexOf(' ', user - 1);
  if (ident <= 0) return undefined;
  let addr = text.slice(text.lastIndexOf(' ', ident - 1) + 1, ident);
  // "INFO:werkzeug:127.0.0.1": an IPv4 address or a name after the logger's name (IPv6 has no dot)
  const colon = addr.lastIndexOf(':');
  if (colon >= 0 && addr.indexOf('.', colon) > colon) addr = addr.slice(colon + 1);
  return addr.length > 0 ? { clientAddr: addr } : undefined;
}

// ---- Python servers -----------------------------------------------------------------------------

const GUNICORN_PID = /\(pid: ?(\d+)\)/;
const TERMINATED = /Worker with pid (\d+) was terminated due to signal (\d+)/;
const SENT_SIGNAL = /Worker \(pid:(\d+)\) was sent (SIG\w+|signal \d+)/;
// The signals gunicorn's arbiter sends on a stop or restart of its own: no crash.
const STOP_SIGNALS = new Set(['SIGTERM', 'SIGQUIT', 'SIGINT', 'SIGHUP', '15', '3', '2', '1']);
/** gunicorn `Handling signal: term` (and int, quit, hup): the master stops or restarts its workers. */
const HANDLING_STOP = /Handling signal: (?:term|int|quit|hup)\b/;
const ERROR_RECORDS = ['Error handling request', 'Socket error processing request', 'Error processing request', 'Exception in ASGI application', 'Error in ASGI Framework', 'Exception while serving ', 'Exception when servicing', 'Error on request:'];

function pythonServer(head: string, body: RecordBody): AppReading | undefined {
  if (head.includes('WORKER TIMEOUT')) {
    const pid = GUNICORN_PID.exec(head);
    return { kind: 'worker-crash', closedBy: 'server', ...(pid && { pid: Number(pid[1]) }) };
  }
  if (head.includes('was sent ') || head.includes('was terminated due to signal')) {
    const m = SENT_SIGNAL.exec(head) ?? TERMINATED.exec(head);
    if (m) return STOP_SIGNALS.has(m[2]!) ? OTHER : { kind: 'worker-crash', closedBy: 'server', pid: Number(m[1]) };
  }
  if (head.includes('exited with code ')) {
    const pid = /Worker \(pid:(\d+)\) exited with code [1-9]/.exec(head);
    if (pid) return { kind: 'worker-crash', closedBy: 'server', pid: Number(pid[1]) };
  }
  if (head.includes('Handling signal: ')) return HANDLING_STOP.test(head) ? { kind: 'reload', closedBy: 'server' } : OTHER;
  // gunicorn "Shutting down: Master", uvicorn "Shutting down"
  if (head.endsWith('Shutting down') || head.includes('Shutting down: Master')) return { kind: 'reload', closedBy: 'server' };
  if (head.includes('Invalid HTTP request received')) return { kind: 'bad-request' };
  if (head.includes('Invalid request from ip=')) {
    const ip = /Invalid request from ip=([^\s:]+|[0-9a-f:.]+):/.exec(head);
    return { kind: 'bad-request', ...(ip && { clientAddr: ip[1]! }) };
  }
  // gunicorn workers: the client's socket failed while serving it (sync.py, gthread.py, base_async.py)
  if (head.includes('Ignoring EPIPE') || head.includes('Ignoring connection epipe')) return { kind: 'client-closed', closedBy: 'client', errnoName: 'EPIPE' };
  if (head.includes('Ignoring connection reset')) return { kind: 'client-closed', closedBy: 'client', errnoName: 'ECONNRESET' };
  if (head.includes('Ignored premature client disconnection')) return { kind: 'client-closed', closedBy: 'client' };
  if (head.includes('Client disconnected while serving ')) {
    return { kind: 'client-closed', closedBy: 'client', path: pathAfter(head, 'Client disconnected while serving ') };
  }
  // uvicorn closes the transport when the app stopped mid-response (h11_impl.py run_asgi)
  if (head.includes('ASGI callable returned without completing response') || head.includes('ASGI callable should return None')) {
    return { kind: 'server-closed', closedBy: 'server' };
  }
  if (head.includes('ASGI callable returned without starting response')) return { kind: 'server-error', status: 500 };
  const errorRecord = ERROR_RECORDS.find((text) => head.includes(text));
  if (errorRecord) return { ...failedRequest(head, body), ...requestNamed(head, errorRecord) };
  return undefined;
}

/** A request that failed inside the server: the client left (reset, pipe) or the server answered 500. */
function failedRequest(head: string, body: RecordBody): AppReading {
  const exception = lastException(body.lines);
  const text = body.lines.length > 0 ? body.lines.join('\n') : head;
  const failure = classifyFailure(text);
  const stated = errnoInText(text);
  const errno = stated?.errnoName ? { errno: stated.errno, errnoName: stated.errnoName } : failure?.errnoName ? { errnoName: failure.errnoName } : {};
  const leftEarly = failure !== undefined && (failure.kind === 'reset' || failure.kind === 'broken-pipe' || failure.kind === 'aborted');
  if (leftEarly && !body.clientLibraryFrame) return { kind: 'client-closed', closedBy: 'client', ...errno, ...(exception && { exception }) };
  return { kind: 'server-error', ...errno, ...(exception && { exception }) };
}

/** gunicorn's "Error handling request GET /x" (or "… /x"), waitress's "Exception while serving /x". */
function requestNamed(head: string, marker: string): Pick<AppReading, 'method' | 'path'> {
  const words = head.slice(head.indexOf(marker) + marker.length).trim().split(' ');
  if (words.length >= 2 && /^[A-Z]{3,10}$/.test(words[0]!) && words[1]!.startsWith('/')) return { method: words[0]!, path: stripQuery(words[1]!) };
  return words[0]?.startsWith('/') ? { path: stripQuery(words[0]) } : {};
}

function pathAfter(head: string, marker: string): string {
  const rest = head.slice(head.indexOf(marker) + marker.length).trim();
  const space = rest.indexOf(' ');
  return stripQuery(space < 0 ? rest : rest.slice(0, space));
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

/** The class of the last exception line (Python prints the outermost last). */
function lastException(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^((?:[A-Za-z_][\w$]*\.)*[A-Za-z_][\w$]*(?:Error|Exception|error))(?::|$)/.exec(lines[i]!);
    if (m) return m[1]!;
  }
  return undefined;
}

// ---- Go net/http --------------------------------------------------------------------------------

const GO_OP = /\b(?:write|read|readfrom|writeto) tcp/;
const GO_CONN = /^\w+ tcp[46]? [^\s>]+->([^\s]+?):(\d+): (?:write|read|readfrom|writeto): (broken pipe|connection reset by peer)/;

function goServer(head: string): AppReading | undefined {
  if (head.includes('http: TLS handshake error from ')) {
    return { kind: 'tls-handshake-failed', ...addressAfter(head, 'http: TLS handshake error from '), ...errnoOf(head) };
  }
  if (head.includes('http: panic serving ')) return { kind: 'server-closed', closedBy: 'server', ...addressAfter(head, 'http: panic serving ') };
  if (head.includes('http: Accept error: ')) return /too many open files/i.test(head) ? { kind: 'fd-exhausted', errnoName: 'EMFILE' } : OTHER;
  if (head.includes(' tcp') && head.includes('->')) {
    // the server wrote to (or read from) a client that had gone: local->remote, the remote is the client
    const at = head.search(GO_OP);
    const m = at < 0 ? null : GO_CONN.exec(head.slice(at, at + 200));
    if (m) {
      const client = splitAddress(m[1]!);
      return { kind: 'client-closed', closedBy: 'client', clientAddr: client, clientPort: Number(m[2]), errnoName: m[3] === 'broken pipe' ? 'EPIPE' : 'ECONNRESET' };
    }
  }
  return undefined;
}

/** `127.0.0.1:51234: …` or `[::1]:51234: …` after `marker`. */
function addressAfter(head: string, marker: string): Pick<AppReading, 'clientAddr' | 'clientPort'> {
  const start = head.indexOf(marker) + marker.length;
  const end = head.indexOf(': ', start);
  const token = head.slice(start, end < 0 ? undefined : end);
  const colon = token.lastIndexOf(':');
  const port = Number(token.slice(colon + 1));
  if (colon <= 0 || !Number.isInteger(port)) return {};
  return { clientAddr: splitAddress(token.slice(0, colon)), clientPort: port };
}

function splitAddress(addr: string): string {
  return addr.charCodeAt(0) === 91 && addr.endsWith(']') ? addr.slice(1, -1) : addr;
}

function errnoOf(text: string): Pick<AppReading, 'errnoName'> {
  const name = errnoNameFromText(text);
  return name ? { errnoName: name } : {};
}

// ---- Node ---------------------------------------------------------------------------------------

function nodeServer(head: string, body: RecordBody): AppReading | undefined {
  // node:_http_server abortIncoming: the client closed before the request was read whole
  if (head.includes('Error: aborted') || head.includes('BadRequestError: request aborted')) {
    return { kind: 'client-closed', closedBy: 'client', errnoName: 'ECONNRESET', exception: head.includes('BadRequestError') ? 'BadRequestError' : 'Error' };
  }
  if (head.includes('Error: write EPIPE')) return { kind: 'client-closed', closedBy: 'client', errnoName: 'EPIPE', exception: 'Error' };
  if (head.includes('Error: read ECONNRESET') && body.lines.some((l) => l.includes('_http_server'))) {
    return { kind: 'client-closed', closedBy: 'client', errnoName: 'ECONNRESET', exception: 'Error' };
  }
  return undefined;
}

// ---- Java (Tomcat, Spring) ----------------------------------------------------------------------

function javaServer(head: string, body: RecordBody): AppReading | undefined {
  const text = body.lines.length > 0 ? `${head}\n${body.lines.join('\n')}` : head;
  if (!text.includes('Exception')) return undefined;
  // Tomcat wraps a failed write to the client (its OutputBuffer) as ClientAbortException; Spring 6 as AsyncRequestNotUsableException
  const abort = /\b((?:[\w$]+\.)*(?:ClientAbortException|AsyncRequestNotUsableException))\b/.exec(text);
  if (abort) return { kind: 'client-closed', closedBy: 'client', exception: abort[1]!, ...errnoOf(text) };
  const timeout = /\b((?:[\w$]+\.)*AsyncRequestTimeoutException)\b/.exec(text);
  if (timeout) return { kind: 'server-error', exception: timeout[1]! };
  return undefined;
}

// ---- every family -------------------------------------------------------------------------------

function resourceLimit(head: string, body: RecordBody): AppReading | undefined {
  const text = body.lines.length > 0 ? `${head}\n${body.lines.join('\n')}` : head;
  if (/[Tt]oo many open files|\bEMFILE\b|\[Errno 24\]/.test(text)) return { kind: 'fd-exhausted', errno: 24, errnoName: errnoName(24) ?? 'EMFILE' };
  // waitress: more requests than threads, they wait in its queue
  if (head.includes('Task queue depth is ')) return { kind: 'worker-exhausted' };
  return undefined;
}
