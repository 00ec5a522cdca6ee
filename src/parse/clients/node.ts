/** Node.js client errors (http, undici fetch, axios) as util.inspect prints them: head, frames, fields, `[cause]:`. */
import { errnoName as errnoNameOf } from '../../model/errno.js';
import { addressesIn, classifyFailure, type FailureMeaning } from '../failure-text.js';
import { leadingTime, type Clock, type Emit, type Fields } from './common.js';

// "Error: read ECONNRESET", "TypeError: fetch failed", "AxiosError: socket hang up", "FetchError: request to … failed, reason: …",
// "Error [ERR_STREAM_PREMATURE_CLOSE]: Premature close", old one-line "{ Error: read ECONNRESET … }",
// a stackless error (no frames: util.inspect brackets it) "[Error: read ECONNRESET] {"
const NODE_HEAD = /^(\{ |\[|Uncaught )?((?:[A-Z]\w*)?Error)(?: \[(\w+)\])?: (.*)$/;
// console.error('sync failed:', err) and loggers print the head after their own text: "sync failed: Error: socket hang up".
const NODE_HEAD_AFTER_TEXT = / (\[)?((?:[A-Z]\w*)?Error)(?: \[(\w+)\])?: (.*)$/;
// A V8 stack frame: "at fn (file:line:col)", "at file:line:col", "at new Promise (<anonymous>)"; Java's (File.java:12) has no column.
const V8_FRAME = /^\s+at (?:(?:[^()]+ \()?[^()]+:\d+:\d+\)?|[^()]+ \((?:<anonymous>|native|index \d+)\))(?: \{)?$/;
const NODE_SIGNATURE = /^(?:read|write|connect|getaddrinfo|queryA|socket) E[A-Z_]+|socket hang up|fetch failed|other side closed|request to \S+ failed|^timeout of \d+ms exceeded|Premature close/;

const NODE_CLASSES = /^(?:AxiosError|FetchError|SocketError|RequestError|ConnectTimeoutError|HeadersTimeoutError|BodyTimeoutError)$/;

export interface NodeRecord {
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
  url?: string;
  method?: string;
  lines: number;
  /** Not yet known to be a Node error: a head after other text until a stack frame follows it; a bracketed head that opens no block never is. */
  unconfirmed: boolean;
}

/** A Node error head ("Error: read ECONNRESET", old one-line objects), or undefined. */
export function startNode(text: string, no: number, prefixTime: number | undefined): NodeRecord | undefined {
  const m = NODE_HEAD.exec(text);
  if (!m) return undefined;
  const node = nodeRecord(text, no, prefixTime, m, false);
  // Old Node printed the whole object on one line: "{ Error: read ECONNRESET … code: 'ECONNRESET' … }"
  const code = /code: '(\w+)'/.exec(text);
  if (code) node.code = code[1];
  return node;
}

/** A Node error head after other text ("sync failed: Error: socket hang up"), to be confirmed by the frame after it; or undefined. */
export function startNodeAfterText(text: string, no: number, prefixTime: number | undefined): NodeRecord | undefined {
  if (text.indexOf('Error') === -1) return undefined;
  const m = NODE_HEAD_AFTER_TEXT.exec(text);
  if (!m) return undefined;
  return nodeRecord(text, no, prefixTime, m, true);
}

function nodeRecord(text: string, no: number, prefixTime: number | undefined, head: RegExpExecArray, afterText: boolean): NodeRecord {
  // A stackless error is Node's by the properties block it opens ("[Error: …] {"); it has no frame to wait for.
  const bracketed = head[1] === '[';
  const unconfirmed = bracketed ? !text.endsWith('] {') : afterText;
  const message = bracketed ? head[4]!.replace(/\](?: \{.*)?$/, '') : head[4]!;
  const node: NodeRecord = { no, head: text, clock: leadingTime(text, prefixTime), exception: head[2]!, message, frames: 0, lines: 1, unconfirmed };
  if (head[3]) node.code = head[3];
  return node;
}

/** Whether the line continues the record (frames, `code:`, `[cause]:`, the object's fields); what it says is kept. */
export function continueNode(r: NodeRecord, text: string): boolean {
  const c = text.charCodeAt(0);
  if (!(c === 32 || c === 9 || c === 125 || c === 93)) return false;
  if (r.unconfirmed) {
    if (!V8_FRAME.test(text)) return false;
    r.unconfirmed = false;
  }
  r.lines++;
  const t = text.trim();
  if (t.startsWith('at ')) {
    r.frames++;
    return true;
  }
  // "[cause]: SocketError: …" (Node 20), "cause: HeadersTimeoutError: …" (Node 18), "[cause]: Error [HeadersTimeoutError]: …" (bundled undici).
  const cause = /^(?:\[cause\]|cause): ([A-Z]\w*)(?: \[(\w+)\])?: (.*?)(?: \{)?$/.exec(t);
  if (cause) {
    r.cause = cause[1] === 'Error' && cause[2]?.endsWith('Error') ? cause[2] : cause[1];
    r.causeMessage = cause[3];
    return true;
  }
  // AggregateError [ECONNREFUSED] lists one error per address tried: the first names host and port.
  if (r.causeMessage === undefined || r.causeMessage === '') {
    const listed = /^(?:\w*Error)(?: \[\w+\])?: ((?:connect|read|write) E[A-Z]+ \S+)/.exec(t);
    if (listed) {
      r.cause ??= 'Error';
      r.causeMessage = listed[1];
      return true;
    }
  }
  const kv = /^(code|errno|syscall|address|port|hostname|remoteAddress|remotePort|url|method): '?([^',]*)'?,?$/.exec(t);
  if (kv) {
    const [, key, value] = kv;
    if (key === 'code') r.code = value;
    else if (key === 'errno') {
      const n = Number(value);
      if (Number.isFinite(n)) r.errno = Math.abs(n);
    } else if (key === 'syscall') r.syscall = value;
    else if (key === 'address' || key === 'hostname' || key === 'remoteAddress') r.host ??= value;
    else if ((key === 'port' || key === 'remotePort') && /^\d+$/.test(value!)) r.port ??= Number(value);
    // axios prints its request config: the failing request's own url and method.
    else if (key === 'url' && value!.includes('://')) r.url ??= value;
    else if (key === 'method' && /^[a-z]+$/i.test(value!)) r.method ??= value!.toUpperCase();
  }
  return true;
}

/** The record's failure, emitted; false when it is no Node failure (its head is then read as one line). */
export function flushNode(r: NodeRecord, emit: Emit): boolean {
  if (r.unconfirmed) return false;
  const isNode = r.frames > 0 || r.code !== undefined || NODE_SIGNATURE.test(r.message) || NODE_CLASSES.test(r.exception);
  const texts = [r.causeMessage, r.message, r.code].filter((t): t is string => t !== undefined);
  let meaning: FailureMeaning | undefined;
  for (const t of texts) {
    meaning = classifyFailure(t);
    if (meaning) break;
  }
  if (!meaning && /fetch failed/.test(r.message)) meaning = { kind: 'connection-error' };
  if (!meaning || !isNode) return false;
  const fields: Fields = { exception: r.exception, cause: r.cause, host: r.host, port: r.port };
  if (r.code) fields.message = `code ${r.code}${r.syscall ? ` syscall ${r.syscall}` : ''}`;
  if (r.errno !== undefined && errnoNameOf(r.errno)) {
    fields.errno = r.errno;
    fields.errnoName = errnoNameOf(r.errno);
  } else if (meaning.errnoName) fields.errnoName = meaning.errnoName;
  if (meaning.kind === 'remote-disconnected' && fields.errnoName === 'ECONNRESET' && r.errno === undefined) fields.errnoName = undefined;
  if (r.method) fields.method = r.method;
  addressesIn(`${r.url ?? ''} ${r.causeMessage ?? ''} ${r.message}`, fields);
  const excerpt = r.cause ? `${r.head} [cause]: ${r.cause}: ${r.causeMessage ?? ''}` : r.head;
  emit('node', meaning.kind, r.no, excerpt, r.clock, fields, `${r.head} ${r.causeMessage ?? ''}`);
  return true;
}
