/**
 * Java (java.net, okhttp, Apache HttpClient, java.net.http) and .NET (HttpClient) exceptions, folded
 * with their frames and causes (`Caused by:`, ` ---> `): the innermost cause names the failure.
 */
import { addressesIn, classifyFailure, type FailureMeaning } from '../failure-text.js';
import { errnoFields, leadingTime, type Clock, type Emit, type Fields } from './common.js';

const JAVA_HEAD = /^(?:Exception in thread "[^"]*" )?((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Exception|Error))(?:: (.*))?$/;
const JAVA_CAUSE = /^\s*Caused by: ((?:[a-z_$][\w$]*\.)+[A-Z][\w$]*)(?:: (.*))?$/;
// .NET: "System.Net.Http.HttpRequestException: …", xUnit's "System.Net.Http.HttpRequestException : …"; inner
// exceptions follow as " ---> System.Net.Sockets.SocketException (104): …" (xUnit: "---- System.…").
const DOTNET_HEAD = /^(System(?:\.[A-Z]\w*)+Exception)(?: \(\d+\))?(?: ?: (.*))?$/;
const DOTNET_CAUSE = /^\s*(?:--->|----) ((?:[A-Z]\w*\.)+[A-Z]\w*Exception)( \(\d+\))?(?: ?: (.*))?$/;

/** Where a .NET exception starts in a line: at its start, or after a logger's prefix. */
function dotnetHead(text: string): RegExpExecArray | null {
  const at = text.indexOf('System.');
  if (at < 0 || (at > 0 && text.charCodeAt(at - 1) !== 32) || text.indexOf('Exception', at) < 0) return null;
  return DOTNET_HEAD.exec(text.slice(at));
}

export interface JavaRecord {
  no: number;
  head: string;
  clock: Clock;
  exception: string;
  message: string;
  cause?: string;
  causeMessage?: string;
  lines: number;
}

const PYTHON_PACKAGES = /^(?:httpx|httpcore|aiohttp|requests|urllib3)\./;

/** A Java or .NET exception head, or undefined. */
export function startJvm(text: string, no: number, prefixTime: number | undefined): JavaRecord | undefined {
  const first = text.charCodeAt(0);
  const m = (text.indexOf('System.') !== -1 ? dotnetHead(text) : null) ?? ((first >= 97 && first <= 122) || first === 69 ? JAVA_HEAD.exec(text) : null);
  // Python's dotted exception names look the same: those are the Python clients' to read.
  if (!m || PYTHON_PACKAGES.test(text)) return undefined;
  return { no, head: text, clock: leadingTime(text, prefixTime), exception: m[1]!, message: m[2] ?? '', lines: 1 };
}

/** Whether the line continues the record (frames, causes); a cause is kept. */
export function continueJvm(r: JavaRecord, text: string): boolean {
  const c = text.charCodeAt(0);
  if (!(c === 9 || c === 32 || c === 67 || c === 45)) return false;
  const cause = JAVA_CAUSE.exec(text);
  const inner = cause ? null : DOTNET_CAUSE.exec(text);
  if (cause || inner) {
    r.cause = cause ? cause[1] : inner![1];
    r.causeMessage = cause ? cause[2] : inner![2] ? `${inner![2].trim()}: ${inner![3] ?? ''}` : inner![3];
    r.lines++;
    return true;
  }
  if (c !== 67 && /^\s+(?:at |\.\.\. \d+|Suppressed: |Caused by: |--- End of )/.test(text)) {
    r.lines++;
    return true;
  }
  return false;
}

/** The record's failure, emitted; false when it is no JVM/.NET failure (its head is then read as one line). */
export function flushJvm(r: JavaRecord, emit: Emit): boolean {
  const dotnet = r.exception.startsWith('System.');
  // .NET on Linux words EAI_AGAIN as EAGAIN's text (SocketError.TryAgain): "Resource temporarily unavailable (host:443)".
  const dotnetResolver = dotnet && r.exception === 'System.Net.Http.HttpRequestException' && /^Resource temporarily unavailable\b/.test(r.message);
  let meaning: FailureMeaning | undefined = dotnetResolver ? { kind: 'dns-failure', errnoName: 'EAI_AGAIN' } : undefined;
  for (const t of [r.cause ? `${r.cause}: ${r.causeMessage ?? ''}` : undefined, `${r.exception}: ${r.message}`]) {
    if (meaning) break;
    if (t !== undefined) meaning = classifyFailure(t);
  }
  // Without frames or a JVM (.NET) package it is some other language's exception (Python's urllib3.…).
  if (!meaning || (r.lines === 1 && !/^(?:java|javax|jdk|okhttp3|okio|org\.apache|io\.netty|reactor|feign|retrofit2|com\.squareup|System\.Net|System\.IO|System\.Security|System\.Threading)\./.test(r.exception))) {
    return false;
  }
  if (/ConnectException/.test(r.exception + (r.cause ?? '')) && meaning.kind === 'read-timeout') meaning = { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' };
  const fields: Fields = { exception: r.exception, cause: r.cause };
  const said = `${r.exception}: ${r.message} ${r.cause ?? ''}: ${r.causeMessage ?? ''}`;
  errnoFields(said, meaning, fields);
  // Its errno (11) is the socket's EAGAIN, standing for the resolver's EAI_AGAIN.
  if (dotnetResolver) Object.assign(fields, { errno: undefined, errnoName: 'EAI_AGAIN' });
  addressesIn(said, fields);
  // okhttp: "Connection{host:443, proxy=DIRECT …}"; .NET appends the endpoint: "Connection refused (localhost:5000)".
  const endpoint = /Connection\{([\w.-]+):(\d+),/.exec(r.message) ?? (dotnet ? /\(([\w.-]+|\[[\w:.]+\]):(\d{1,5})\)\.?$/.exec(r.message) : null);
  if (endpoint && fields.host === undefined) Object.assign(fields, { host: endpoint[1]!.replace(/^\[|\]$/g, ''), port: Number(endpoint[2]) });
  emit(dotnet ? 'other' : 'java', meaning.kind, r.no, r.head, r.clock, fields, said);
  return true;
}
