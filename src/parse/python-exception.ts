/**
 * Reads what a Python exception chain says about a connection failure. Shared by the pytest and
 * the client-log parsers, so a traceback means the same thing wherever it was printed.
 */
import type { ClosedBy, EventKind } from '../model/event.js';
import { errnoName, errnoNameFromText, gaiName } from '../model/errno.js';
import { addHopFacts, addressesIn } from './failure-text.js';

export interface ExceptionReading {
  kind: EventKind;
  /** Qualified class of the decisive exception line (requests.exceptions.ConnectionError). */
  exception: string;
  /** The innermost OS-level or library cause named anywhere in the chain (ConnectionResetError). */
  cause?: string;
  errno?: number;
  errnoName?: string;
  host?: string;
  port?: number;
  path?: string;
  status?: number;
  /** Set where the text names the hop at fault (a proxy that refused or failed the CONNECT). */
  closedBy?: ClosedBy;
  /** The proxy (`host:port`) the request went through, where the text names it. */
  upstream?: string;
  proxyCode?: string;
}

// "pkg.mod.Class: message" or a bare "Class" at column 0: a traceback's final line.
const EXCEPTION_LINE = /^((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*)(?::(?: .*)?)?$/;
// The name must say it is an exception, so "PASSED" or "Traceback" are not taken for one.
const EXCEPTION_NAME = /(?:Error|Exception|Exit|Interrupt|gaierror|timeout|Disconnected|IncompleteRead|InvalidChunkLength|Timeout)$/;

/** The class named by a traceback's exception line, or undefined for any other line. */
export function exceptionClass(line: string): string | undefined {
  const m = EXCEPTION_LINE.exec(line);
  return m && EXCEPTION_NAME.test(m[1]!) ? m[1]! : undefined;
}

const HTTP_LIBRARY = /^(?:requests|urllib3|httpx|aiohttp|http\.client)\./;

// Most specific kind first: a ProxyError wrapping a reset is the proxy's failure, a
// ChunkedEncodingError wrapping one is a body cut short. Within a kind, the lower-level name first:
// the one found becomes the event's `cause`.
const CAUSES: ReadonlyArray<readonly [EventKind, readonly RegExp[]]> = [
  ['proxy-error', [/\b(ProxyError|ProxyConnectionError|ProxySchemeUnknown|ClientProxyConnectionError|ClientHttpProxyError)\b/, /(Tunnel connection failed): \d{3}/]],
  ['tls-error', [/\b(SSLCertVerificationError|SSLEOFError|SSLZeroReturnError|ClientConnectorCertificateError|ClientConnectorSSLError)\b/, /\b(SSLError)\b/, /\[SSL: ([A-Z_]+)\]/]],
  ['dns-failure', [/\b(gaierror)\b/, /\b(NameResolutionError|ClientConnectorDNSError)\b/]],
  ['connect-timeout', [/\b(ConnectTimeoutError|ConnectionTimeoutError)\b/, /\b(ConnectTimeout)\b/]],
  ['read-timeout', [/\b(ReadTimeoutError|SocketTimeoutError)\b/, /\b(ReadTimeout)\b/]],
  // httpx/httpcore (h11): "peer closed connection without sending complete message body (incomplete chunked read)".
  ['incomplete-read', [/\b(InvalidChunkLength|IncompleteRead)\b/, /\b(ChunkedEncodingError|ClientPayloadError)\b/, /(peer closed connection without sending complete message body)/]],
  ['refused', [/\b(ConnectionRefusedError)\b/]],
  ['reset', [/\b(ConnectionResetError|ClientConnectionResetError)\b/]],
  // Database and cache clients' words for a server that went away (PyMySQL/mysqlclient 2013/2006, libpq, redis-py).
  ['remote-disconnected', [/\b(RemoteDisconnected|ServerDisconnectedError)\b/, /(Server disconnected) without sending a response/, /(Lost connection to MySQL server|MySQL server has gone away|server closed the connection unexpectedly|Connection closed by server)/]],
  ['broken-pipe', [/\b(BrokenPipeError)\b/]],
  ['aborted', [/\b(ConnectionAbortedError)\b/]],
];

// When no class names the cause, the OS error does ("OSError: [Errno 104] ...", "[WinError 10054]").
const KIND_BY_ERRNO: Readonly<Record<string, EventKind>> = {
  ECONNRESET: 'reset',
  ECONNREFUSED: 'refused',
  EPIPE: 'broken-pipe',
  ECONNABORTED: 'aborted',
  ETIMEDOUT: 'connect-timeout',
  EAI_AGAIN: 'dns-failure',
  EAI_NONAME: 'dns-failure',
  EAI_FAIL: 'dns-failure',
  EAI_NODATA: 'dns-failure',
};

const CONNECTION_CLASS = /\b(?:ConnectionError|ProtocolError|MaxRetryError|NewConnectionError|ConnectError|RemoteProtocolError|NetworkError|ClientConnectorError|ServerDisconnectedError)\b/;
// "[Errno 104]", "ConnectionResetError(104, …", Python 2's "error(104, …", redis-py's "Error 104 while writing to socket".
const ERRNO = /(?:\[(?:Errno|WinError) |Error\(|\berror\()(-?\d+)[\],]|\bError (-?\d+) (?:while|connecting to)\b/;
const HOST_PORT = /host='([^']+)', port=(\d+)/;
const RETRY_URL = /with url: (\S+) \(Caused by/;
const FOR_URL = /for url: (\S+)/;
// requests: "504 Server Error: …" (also when cut short, "504 Serv..."); httpx: "Server error '504 Gateway Time-out' for url …".
const HTTP_ERROR = /^(?:(?:Client|Server) error '|Redirect response ')?(\d{3}) /;

/**
 * Reads an exception chain, given its exception lines in the order printed (innermost first, as
 * Python prints chained tracebacks). Returns undefined when no line is an exception line.
 * `decisive` is the index of the line the event points at: the outermost HTTP-library exception,
 * else the outermost that names a connection failure, else the last.
 */
export function readExceptionChain(lines: readonly string[]): { reading: ExceptionReading; decisive: number } | undefined {
  const classes = lines.map(exceptionClass);
  let decisive = -1;
  for (let i = lines.length - 1; i >= 0 && decisive < 0; i--) if (classes[i] && HTTP_LIBRARY.test(classes[i]!)) decisive = i;
  for (let i = lines.length - 1; i >= 0 && decisive < 0; i--) if (classes[i] && classify(lines[i]!).kind !== 'other') decisive = i;
  for (let i = lines.length - 1; i >= 0 && decisive < 0; i--) if (classes[i]) decisive = i;
  if (decisive < 0) return undefined;
  // The decisive line first: its own words about host, url and cause win over inner lines'.
  const text = [lines[decisive]!, ...lines.filter((_, i) => i !== decisive && classes[i]).reverse()].join('\n');
  return { reading: Object.assign(classify(text), { exception: classes[decisive]! }), decisive };
}

// The classes a client failure is raised as; to complete a name cut off by the terminal width.
const CLIENT_CLASSES = [
  'requests.exceptions.ConnectionError',
  'requests.exceptions.ConnectTimeout',
  'requests.exceptions.ReadTimeout',
  'requests.exceptions.HTTPError',
  'requests.exceptions.ChunkedEncodingError',
  'requests.exceptions.ProxyError',
  'requests.exceptions.SSLError',
  'urllib3.exceptions.ProtocolError',
  'urllib3.exceptions.MaxRetryError',
  'urllib3.exceptions.ReadTimeoutError',
  'urllib3.exceptions.NewConnectionError',
  'urllib3.exceptions.NameResolutionError',
];
const CLASS_KIND: Readonly<Record<string, EventKind>> = {
  'requests.exceptions.ConnectTimeout': 'connect-timeout',
  'requests.exceptions.ReadTimeout': 'read-timeout',
  'requests.exceptions.ChunkedEncodingError': 'incomplete-read',
  'requests.exceptions.ProxyError': 'proxy-error',
  'requests.exceptions.SSLError': 'tls-error',
  'urllib3.exceptions.ReadTimeoutError': 'read-timeout',
  'urllib3.exceptions.NameResolutionError': 'dns-failure',
};

/**
 * Reads one exception line. pytest's short summary cuts lines to the terminal width
 * ("requests.exceptions.ConnectionE..."): a cut class name is completed when only one fits.
 */
export function readException(line: string): ExceptionReading | undefined {
  const exception = exceptionClass(line);
  if (exception !== undefined) return Object.assign(classify(line), { exception });
  if (!line.endsWith('...') || line.includes(' ')) return undefined;
  const stem = line.slice(0, -3);
  const fits = CLIENT_CLASSES.filter((name) => name.startsWith(stem));
  if (fits.length !== 1) return undefined;
  const completed = fits[0]!;
  const kind = classify(line).kind;
  return { kind: kind !== 'other' ? kind : CLASS_KIND[completed] ?? 'connection-error', exception: completed };
}

/** What the text says happened, without the exception class (which the caller knows). */
export function classify(text: string): Omit<ExceptionReading, 'exception'> {
  const found: Omit<ExceptionReading, 'exception'> = { kind: 'other' };
  const errnoMatch = ERRNO.exec(text);
  const dns = /\b(?:gaierror|NameResolutionError|getaddrinfo)\b/.test(text);
  // ssl's SSLError(1, …) numbers an OpenSSL error, not an OS one.
  if (errnoMatch && !/SSL\w*Error\($/.test(text.slice(Math.max(0, errnoMatch.index - 40), errnoMatch.index + 6))) {
    found.errno = Number(errnoMatch[1] ?? errnoMatch[2]);
    const name = dns ? gaiName(found.errno) : errnoName(found.errno);
    if (name) found.errnoName = name;
  }
  found.errnoName ??= errnoNameFromText(text);
  if (found.errnoName === undefined) delete found.errnoName;
  readLocation(text, found);

  const firstLine = text.split('\n', 1)[0]!;
  const colon = firstLine.indexOf(': ');
  const status = HTTP_ERROR.exec(colon < 0 ? '' : firstLine.slice(colon + 2));
  if (status && /HTTPError|HTTPStatusError/.test(firstLine.slice(0, colon))) {
    found.kind = 'http-error';
    found.status = Number(status[1]);
    return found;
  }
  for (const [kind, patterns] of CAUSES) {
    for (const pattern of patterns) {
      const m = pattern.exec(text);
      if (m) {
        found.kind = kind;
        found.cause = m[1]!;
        addHopFacts(found.kind, text, found);
        return found;
      }
    }
  }
  const byErrno = found.errnoName && KIND_BY_ERRNO[found.errnoName];
  if (byErrno) {
    found.kind = byErrno;
    const wrapper = /\b(NewConnectionError|ConnectError|ClientConnectorError)\b/.exec(text);
    if (wrapper) found.cause = wrapper[1]!;
  } else if (CONNECTION_CLASS.test(text)) found.kind = 'connection-error';
  return found;
}

function readLocation(text: string, into: Omit<ExceptionReading, 'exception'>): void {
  const hostPort = HOST_PORT.exec(text);
  if (hostPort) {
    into.host = hostPort[1]!;
    into.port = Number(hostPort[2]);
  }
  const retryUrl = RETRY_URL.exec(text);
  if (retryUrl) into.path = retryUrl[1]!;
  // An absolute url: the request went through an HTTP proxy, and the pool named is the proxy's.
  if (retryUrl && retryUrl[1]!.includes('://')) {
    const target: { host?: string; port?: number; path?: string; upstream?: string } = {};
    addressesIn(text.slice(retryUrl.index), target);
    if (into.host !== undefined) into.upstream = `${into.host}:${into.port}`;
    into.host = target.host;
    into.port = target.port;
    into.path = target.path;
  }
  const forUrl = FOR_URL.exec(text);
  if (forUrl) {
    try {
      const url = new URL(forUrl[1]!);
      into.host ??= url.hostname;
      into.port ??= url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
      into.path ??= url.pathname + url.search;
    } catch {
      // A cut-off paste: the url is not whole, keep what the other patterns found.
    }
  }
  // Other clients' words: aiohttp "Cannot connect to host h:p", urllib3 "Failed to resolve 'h'", redis-py, PyMySQL, libpq.
  if (into.host === undefined) addressesIn(text, into);
}
