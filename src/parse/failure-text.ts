/**
 * What a failure text means, shared by every client parser and the fallback: one table from the
 * words programs print ("Connection reset by peer", ECONNRESET, "socket hang up", "Empty reply
 * from server", `[WinError 10054]`, localised strerror texts) to an event kind and errno name.
 */
import { errnoName, errnoNameFromText, gaiName } from '../model/errno.js';
import type { EventKind } from '../model/event.js';

export interface FailureMeaning {
  kind: EventKind;
  errnoName?: string;
}

/**
 * Ordered: the first match wins, so specific texts stand before general ones (a proxy's refusal
 * before "refused", "Read timed out" before "timed out"). Gaps are bounded (.{0,512}, not .*): a
 * line repeating the first words would otherwise be rescanned to its end from each of them.
 */
const FAILURE_TABLE: ReadonlyArray<readonly [RegExp, EventKind, string?]> = [
  // Proxies: the client could not get through its proxy.
  [/ProxyError|Cannot connect to proxy|Proxy CONNECT aborted|CONNECT tunnel failed|Received HTTP code \d+ from proxy|Could not resolve proxy|proxy handshake|Proxy Authentication Required|tunneling socket could not be established|proxyconnect tcp/i, 'proxy-error'],
  // TLS: named precisely; aiohttp's "ssl:default" is not a TLS error.
  [/SSLError|SSL_ERROR|SSL routines|SSL_connect|SSLHandshakeException|SSLEOFError|certificate verify failed|CERTIFICATE_VERIFY_FAILED|x509: |tls: |TLS handshake|wrong version number|EPROTO.{0,512}SSL|UNABLE_TO_VERIFY_LEAF_SIGNATURE|ERR_TLS_|SEC_E_|schannel/i, 'tls-error'],
  // Name resolution: EAI_AGAIN (resolver unreachable) apart from "no such name".
  [/EAI_AGAIN|Temporary failure in name resolution|server misbehaving|try again later.{0,512}resol|lookup \S{1,253}(?: on \S{1,64})?: (?:.{1,128}: )?i\/o timeout/i, 'dns-failure', 'EAI_AGAIN'],
  [/ENOTFOUND|EAI_NONAME|Name or service not known|nodename nor servname|No address associated with hostname|no such host|getaddrinfo failed|NXDOMAIN|Name does not resolve|\[Errno -2\]|\[Errno 8\]|\[Errno 11001\]/i, 'dns-failure', 'EAI_NONAME'],
  [/Could not resolve host|UnknownHostException|failed to lookup address|Failed to resolve|getaddrinfo|dns error|Resolving timed out/i, 'dns-failure'],
  // Body cut short after a response began.
  [/IncompleteRead|ChunkedEncodingError|transfer closed with|Response payload is not completed|ClientPayloadError|ERR_STREAM_PREMATURE_CLOSE|Premature close|unexpected EOF while reading|end of stream.{0,512}body|content-length mismatch|Content-Length.{0,512}mismatch|UND_ERR_RES_CONTENT_LENGTH_MISMATCH/i, 'incomplete-read'],
  // Timeouts: connect phase before any other, then the read phase.
  [/ConnectTimeout|connect timed out|connect timeout=|Connection timed out after|connect ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|Connect Timeout|dial tcp[^:]{0,64}:.{0,512}i\/o timeout|Failed to connect .{0,512}Timeout was reached|connection timed out|ETIMEDOUT|\[Errno 110\]|\[Errno 60\]|10060|连接超时/i, 'connect-timeout', 'ETIMEDOUT'],
  [/ReadTimeout|Read timed out|SocketTimeoutException|timeout exceeded while awaiting headers|Client\.Timeout exceeded|Operation timed out|ESOCKETTIMEDOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|ServerTimeoutError|context deadline exceeded|\btimed out\b|TimeoutError|timeout of \d+ms exceeded|ECONNABORTED.{0,512}timeout/i, 'read-timeout'],
  // The OS-level conditions.
  [/reset by peer|Connection reset|ConnectionResetError|ECONNRESET|WSAECONNRESET|forcibly closed by the remote host|10054|连接被对方重设|Verbindung durch Peer zurückgesetzt|connexion réinitialisée|os error 104\b|errno 104\b|Errno 54\b/i, 'reset', 'ECONNRESET'],
  [/connection refused|ConnectionRefusedError|ECONNREFUSED|actively refused|10061|Couldn't connect to server|Failed to connect to|连接被拒绝|Verbindungsaufbau abgelehnt|Connexion refusée|os error 111\b/i, 'refused', 'ECONNREFUSED'],
  [/broken pipe|BrokenPipeError|EPIPE|断开的管道|Datenübergabe unterbrochen|Failed sending data to the peer/i, 'broken-pipe', 'EPIPE'],
  [/ConnectionAbortedError|ECONNABORTED|software caused connection abort|established connection was aborted|10053/i, 'aborted', 'ECONNABORTED'],
  // The peer closed without (a complete) response.
  [/socket hang up|Empty reply from server|Remote end closed connection|RemoteDisconnected|Server disconnected|other side closed|UND_ERR_SOCKET|unexpected end of stream|Unexpected end of file from server|header parser received no bytes|IncompleteMessage|connection closed before message completed|server closed idle connection|closed the connection unexpectedly|ERR_EMPTY_RESPONSE|NoHttpResponseException|failed to respond|EOFException|: EOF\b|\bunexpected EOF\b/i, 'remote-disconnected'],
  [/no route to host|EHOSTUNREACH|network is unreachable|ENETUNREACH|ENETDOWN|EADDRNOTAVAIL|Cannot assign requested address/i, 'connection-error'],
];

/**
 * A cheap test run first: a line that passes none of these words names no failure. Lower-cased
 * words cover the case-insensitive table; it saves the table's dozen regexes on ordinary lines.
 */
const HINT =
  /reset|refused|pipe|timed out|timeout|hang up|EOF|closed|disconnect|resolve|not known|NOTFOUND|EAI_|no such host|getaddrinfo|lookup|SSL|TLS|x509|certificate|proxy|Empty reply|IncompleteRead|IncompleteMessage|Incomplete|Chunked|payload|premature|transfer closed|end of stream|end of file|header parser|abort|unreachable|route to host|ECONN|ETIMEDOUT|EPIPE|EHOST|ENET|EADDR|UND_ERR|WinError|10054|10053|10060|10061|Couldn't connect|Failed to connect|failed to respond|NXDOMAIN|UnknownHost|misbehaving|deadline|连接|Verbindung|Datenübergabe|connexion|Connexion/i;

/** The kind and errno name a failure text tells, or undefined when it names no failure. */
export function classifyFailure(text: string): FailureMeaning | undefined {
  if (!HINT.test(text)) return undefined;
  for (const [pattern, kind, name] of FAILURE_TABLE) {
    if (pattern.test(text)) return { kind, errnoName: name ?? errnoNameFromText(text) };
  }
  return undefined;
}

/** Whether a text may name a failure (the table's prefilter): for callers that fold records. */
export function mayNameFailure(text: string): boolean {
  return HINT.test(text);
}

/** The errno a text states: `[Errno 104]`, `(os error 104)`, `errno: -104`, `[WinError 10054]`, `error 10054`. */
export function errnoInText(text: string): { errno: number; errnoName?: string } | undefined {
  const m = /\[(?:Errno|WinError) (-?\d+)\]|\(os error (\d+)\)|errno: (-\d+)|WSAE\w+ \((\d+)\)|\berror (100\d\d)\b/.exec(text);
  if (!m) return undefined;
  const errno = Number(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5]);
  // Negative numbers: getaddrinfo codes in Python, negated errnos in Node (-104).
  if (errno < 0) {
    if (m[3] !== undefined) return { errno: -errno, errnoName: errnoName(-errno) };
    return { errno, errnoName: gaiName(errno) };
  }
  return { errno, errnoName: errnoName(errno) };
}

/** The kind an HTTP status tells when a server or proxy answered with it (4xx/5xx), else 'request'. */
export function kindOfStatus(status: number | undefined): 'request' | 'bad-request' | 'unauthorized' | 'client-timeout' | 'body-too-large' | 'rate-limited' | 'server-error' {
  if (status === undefined || status < 400) return 'request';
  if (status === 400) return 'bad-request';
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 408) return 'client-timeout';
  if (status === 413) return 'body-too-large';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  return 'request';
}

export interface UrlParts {
  host?: string;
  port?: number;
  path?: string;
}

/** Host, port and path of the first http(s) URL in a text; tolerant of masked or cut URLs. */
export function urlIn(text: string): UrlParts | undefined {
  const at = text.indexOf('://');
  if (at < 4) return undefined;
  const scheme = text.slice(Math.max(0, at - 5), at).toLowerCase();
  const https = scheme.endsWith('https') || scheme.endsWith('wss');
  if (!https && !scheme.endsWith('http') && !scheme.endsWith('ws')) return undefined;
  const m = /^([^\s/"'<>()?#]+)([^\s"'<>)]*)/.exec(text.slice(at + 3));
  if (!m) return undefined;
  let hostPort = m[1]!;
  const userAt = hostPort.lastIndexOf('@');
  if (userAt !== -1) hostPort = hostPort.slice(userAt + 1);
  let host = hostPort;
  let port: number | undefined;
  const bracket = hostPort.startsWith('[') ? hostPort.indexOf(']') : -1;
  const colon = hostPort.lastIndexOf(':');
  if (colon > bracket && /^\d+$/.test(hostPort.slice(colon + 1))) {
    host = hostPort.slice(0, colon);
    port = Number(hostPort.slice(colon + 1));
  } else {
    port = https ? 443 : 80;
  }
  if (bracket !== -1) host = host.slice(1, bracket);
  let path = m[2]!.replace(/[.,:;]+$/, '');
  const q = path.indexOf('?');
  if (q !== -1) path = path.slice(0, q);
  return { host: host || undefined, port, path: path || '/' };
}

/** `host:port` (IPv4, bracketed IPv6, name) split, or undefined. */
export function splitHostPort(text: string): { host: string; port?: number } | undefined {
  const colon = text.lastIndexOf(':');
  if (colon <= 0) return text ? { host: text } : undefined;
  const portText = text.slice(colon + 1);
  const host = text.slice(0, colon).replace(/^\[|\]$/g, '');
  return /^\d+$/.test(portText) ? { host, port: Number(portText) } : { host };
}
