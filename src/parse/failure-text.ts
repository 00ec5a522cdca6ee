/**
 * What a failure text means, shared by every client parser and the fallback: one table from the
 * words programs print ("Connection reset by peer", ECONNRESET, "socket hang up", "Empty reply
 * from server", `[WinError 10054]`, localised strerror texts) to an event kind and errno name.
 */
import { errnoName, errnoNameFromText, gaiName } from '../model/errno.js';
import type { ClosedBy, EventKind } from '../model/event.js';

export interface FailureMeaning {
  kind: EventKind;
  errnoName?: string;
}

/**
 * Ordered: the first match wins, so specific texts stand before general ones (a proxy's refusal
 * before "refused", "Read timed out" before "timed out"). Gaps are bounded (.{0,512}, not .*): a
 * line repeating the first words would otherwise be rescanned to its end from each of them.
 */
/** requests' "429 Client Error: Too Many Requests for url", a client's own "Received 429 Too Many Requests", a page's "429 Too many requests.". */
const TOO_MANY_REQUESTS = /\b429:? (?:Client Error: )?Too Many Requests\b/i;

const FAILURE_TABLE: ReadonlyArray<readonly [RegExp, EventKind, string?]> = [
  // Proxies: the client could not get through its proxy (http.client's "Tunnel connection failed: 403 Forbidden",
  // curl 7.x "Received HTTP code 403 from proxy after CONNECT" / 8.x "CONNECT tunnel failed, response 403",
  // HttpURLConnection "Unable to tunnel through proxy", okhttp "Unexpected response code for CONNECT",
  // Apache HttpClient TunnelRefusedException, aiohttp ClientProxyConnectionError / ClientHttpProxyError).
  [/ProxyError|Cannot connect to proxy|Unable to connect to proxy|Proxy CONNECT aborted|CONNECT tunnel failed|Received HTTP code \d+ from proxy|Could not resolve proxy|proxy handshake|Proxy Authentication Required|tunneling socket could not be established|proxyconnect tcp|Tunnel connection failed|Unable to tunnel through proxy|Unexpected response code for CONNECT|CONNECT refused by proxy|TunnelRefusedException|ClientProxyConnectionError|ClientHttpProxyError|\d over proxy \S+ after /i, 'proxy-error'],
  // A Cloudflare error page: Cloudflare (a proxy) answered that the origin failed; its words are not the client's.
  [/\b52[0-7]: (?:Web server is returning an unknown error|Web server is down|Connection timed out|Origin is unreachable|A timeout occurred|SSL handshake failed|Invalid SSL certificate)\b/, 'http-error'],
  // 429 with its reason phrase (RFC 6585 "Too Many Requests"): the server refused the client's rate, whoever printed it.
  [TOO_MANY_REQUESTS, 'http-error'],
  // TLS: named precisely; aiohttp's "ssl:default" is not a TLS error.
  [/SSLError|SSL_ERROR|SSL routines|SSL_connect|SSLHandshakeException|SSLEOFError|certificate verify failed|CERTIFICATE_VERIFY_FAILED|x509: |tls: |TLS handshake|wrong version number|EPROTO.{0,512}SSL|UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|ERR_TLS_|SEC_E_|schannel|SSL certificate problem|self[- ]signed certificate|unable to get local issuer certificate|PKIX path building failed|unable to find valid certification path|SSL connection could not be established|AuthenticationException/i, 'tls-error'],
  // Name resolution: EAI_AGAIN (resolver unreachable) apart from "no such name". c-ares words as curl prints them.
  // Go's resolver names the DNS server it could not reach ("lookup h on 127.0.1.1:53: read udp …: read: connection refused"); apt: "Temporary failure resolving 'h'".
  [/EAI_AGAIN|Temporary failure in name resolution|Temporary failure resolving|lookup \S{1,253} on \S{1,64}:53: .{0,256}(?:connection refused|no route to host|network is unreachable)|server misbehaving|try again later.{0,512}resol|lookup \S{1,253}(?: on \S{1,64})?: (?:.{1,128}: )?i\/o timeout|Timeout while contacting DNS servers|DNS server returned general failure|Could not contact DNS servers|\[Errno 11002\]|WSATRY_AGAIN/i, 'dns-failure', 'EAI_AGAIN'],
  [/ENOTFOUND|EAI_NONAME|Name or service not known|nodename nor servname|No address associated with hostname|no such host|getaddrinfo failed|NXDOMAIN|Name does not resolve|Domain name not found|\[Errno -2\]|\[Errno 8\]|\[Errno 11001\]|WSAHOST_NOT_FOUND/i, 'dns-failure', 'EAI_NONAME'],
  [/Could not resolve host|UnknownHostException|failed to lookup address|Failed to resolve|getaddrinfo|dns error|Resolving timed out/i, 'dns-failure'],
  // Body cut short after a response began.
  [/IncompleteRead|InvalidChunkLength|ChunkedEncodingError|transfer closed with|Response payload is not completed|ClientPayloadError|ERR_STREAM_PREMATURE_CLOSE|Premature close|unexpected EOF while reading|end of stream.{0,512}body|content-length mismatch|Content-Length.{0,512}mismatch|UND_ERR_RES_CONTENT_LENGTH_MISMATCH|Premature end of (?:Content-Length delimited message body|chunk coded message body)|ProtocolException: unexpected end of stream$|response ended prematurely, with at least/i, 'incomplete-read'],
  // Timeouts: connect phase before any other, then the read phase.
  // curl ≥ 7.82 words every failed connect alike ("… after T ms: Couldn't connect to server"): only an unanswered SYN takes 10 s or more.
  [/ConnectTimeout|connect timed out|connect timeout=|Connection timed out after|Failed to connect to .{1,512} after \d{5,} ms: Couldn't connect to server|connect ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|Connect Timeout|Connection timeout to host|dial tcp[^:]{0,64}:.{0,512}i\/o timeout|Failed to connect .{0,512}Timeout was reached|connection timed out|ETIMEDOUT|\[Errno 110\]|\[Errno 60\]|10060|连接超时/i, 'connect-timeout', 'ETIMEDOUT'],
  [/ReadTimeout|Read timed out|SocketTimeoutException|HttpTimeoutException|timeout exceeded while awaiting headers|Client\.Timeout exceeded|HttpClient\.Timeout|Operation timed out|ESOCKETTIMEDOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT|Headers Timeout Error|Body Timeout Error|ServerTimeoutError|Timeout on reading data from socket|context deadline exceeded|\btimed out\b|TimeoutError|timeout of \d+ms exceeded|ECONNABORTED.{0,512}timeout|: i\/o timeout/i, 'read-timeout'],
  // A server's own log of its client going away (PostgreSQL pqcomm.c): not what a client saw.
  [/could not (?:receive data from|send data to) client/, 'client-closed'],
  // The OS-level conditions.
  [/reset by peer|Connection reset|ConnectionResetError|ECONNRESET|WSAECONNRESET|forcibly closed by the remote host|10054|连接被对方重设|Verbindung durch Peer zurückgesetzt|connexion réinitialisée|ré-initialisée par le correspondant|远程主机强迫关闭了一个现有的连接|os error 104\b|errno 104\b|Errno 54\b/i, 'reset', 'ECONNRESET'],
  [/connection refused|ConnectionRefusedError|ECONNREFUSED|actively refused|10061|连接被拒绝|Verbindungsaufbau abgelehnt|Connexion refusée|目标计算机积极拒绝|os error 111\b/i, 'refused', 'ECONNREFUSED'],
  [/broken pipe|BrokenPipeError|EPIPE|断开的管道|Datenübergabe unterbrochen|Failed sending data to the peer/i, 'broken-pipe', 'EPIPE'],
  [/ConnectionAbortedError|ECONNABORTED|software caused connection abort|established connection was aborted|10053/i, 'aborted', 'ECONNABORTED'],
  // The peer closed without (a complete) response; database clients' words for the same.
  [/socket hang up|Empty reply from server|Remote end closed connection|RemoteDisconnected|Server disconnected|other side closed|UND_ERR_SOCKET|unexpected end of stream|Unexpected end of file from server|header parser received no bytes|IncompleteMessage|connection closed before message completed|server closed idle connection|closed the connection unexpectedly|ERR_EMPTY_RESPONSE|NoHttpResponseException|failed to respond|EOFException|: EOF\b|\bunexpected EOF\b|response ended prematurely|Lost connection to MySQL server|MySQL server has gone away|Connection closed by server/i, 'remote-disconnected'],
  // Unreachable: the strerror text or the code's own name (Node "connect ENETUNREACH 10.0.0.9:443", Windows WSAE… names).
  [/no route to host|EHOSTUNREACH/i, 'connection-error', 'EHOSTUNREACH'],
  [/network is unreachable|ENETUNREACH/i, 'connection-error', 'ENETUNREACH'],
  [/network is down|ENETDOWN/i, 'connection-error', 'ENETDOWN'],
  [/EADDRNOTAVAIL|Cannot assign requested address|Connect call failed/i, 'connection-error'],
  // curl's words for any failed connect (a refusal, no route, a timeout): which one, it does not say.
  [/Couldn't connect to server|Failed to connect to/i, 'connection-error'],
];

/**
 * A cheap test run first: a line that passes none of these words names no failure. Lower-cased
 * words cover the case-insensitive table; it saves the table's dozen regexes on ordinary lines.
 */
const HINT =
  /Too Many Requests|reset|refused|resol|tunnel|gone away|Lost connection|PKIX|certification path|Domain name|DNS|Connect call failed|Web server is|Origin is unreachable|A timeout occurred|pipe|timed out|timeout|hang up|EOF|closed|disconnect|resolve|not known|NOTFOUND|EAI_|no such host|getaddrinfo|lookup|SSL|TLS|x509|certificate|proxy|Empty reply|IncompleteRead|IncompleteMessage|Incomplete|Chunked|payload|premature|transfer closed|end of stream|end of file|header parser|abort|unreachable|route to host|network is down|ECONN|ETIMEDOUT|EPIPE|EHOST|ENET|EADDR|UND_ERR|WinError|10054|10053|10060|10061|Couldn't connect|Failed to connect|failed to respond|NXDOMAIN|UnknownHost|misbehaving|deadline|连接|Verbindung|Datenübergabe|connexion|Connexion/i;

/** The kind and errno name a failure text tells, or undefined when it names no failure. */
export function classifyFailure(text: string): FailureMeaning | undefined {
  if (!HINT.test(text)) return undefined;
  for (const [pattern, kind, name] of FAILURE_TABLE) {
    if (!pattern.test(text)) continue;
    // A stated getaddrinfo code outranks the words ("[Errno 11002] getaddrinfo failed" is EAI_AGAIN).
    const stated = kind === 'dns-failure' ? errnoInText(text)?.errnoName : undefined;
    return { kind, errnoName: stated?.startsWith('EAI_') ? stated : name ?? errnoNameFromText(text) };
  }
  return undefined;
}

/** Whether a text may name a failure (the table's prefilter): for callers that fold records. */
export function mayNameFailure(text: string): boolean {
  return HINT.test(text);
}

/**
 * The errno a text states: `[Errno 104]`, `(os error 104)`, `errno: -104`, `[WinError 10054]`,
 * `error 10054`, .NET `SocketException (10054)`, redis-py `Error 104 while writing to socket`,
 * PyMySQL `Can't connect to MySQL server on 'h' (111)`.
 */
export function errnoInText(text: string): { errno: number; errnoName?: string } | undefined {
  const m = /\[(?:Errno|WinError) (-?\d+)\]|\(os error (\d+)\)|errno: (-\d+)|WSAE\w+ \((\d+)\)|\berror (100\d\d)\b|SocketException:? \((\d+)\)|\bError (-?\d+) (?:while|connecting to)\b|MySQL server on '[^']*' \((\d+)\)/.exec(text);
  if (!m) return undefined;
  const errno = Number(m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? m[7] ?? m[8]);
  // Negative numbers: getaddrinfo codes in Python, negated errnos in Node (-104).
  if (errno < 0) {
    if (m[3] !== undefined) return { errno: -errno, errnoName: errnoName(-errno) };
    return { errno, errnoName: gaiName(errno) };
  }
  // Windows and macOS number getaddrinfo's codes apart from errnos ([Errno 11001] getaddrinfo failed, [Errno 8] nodename …).
  return { errno, errnoName: errnoName(errno) ?? (DNS_CONTEXT.test(text) ? gaiName(errno) : undefined) };
}

const DNS_CONTEXT = /getaddrinfo|nodename nor servname|Name or service not known|gaierror|NameResolutionError|resolve/i;

/**
 * The kind an HTTP status tells when a server or proxy answered with it, else 'request'. 504 is a
 * gateway's upstream that did not answer in time (RFC 9110 15.6.5), whoever logs it; 444 and 499
 * are nginx's own codes (closed without a response, client gone). Not 1xx-5xx: no kind.
 */
export function kindOfStatus(status: number | undefined): EventKind {
  if (status === undefined) return 'request';
  return KIND_BY_STATUS[status] ?? (status >= 500 && status <= 599 ? 'server-error' : 'request');
}

const KIND_BY_STATUS: Readonly<Record<number, EventKind>> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'unauthorized',
  408: 'client-timeout',
  413: 'body-too-large',
  429: 'rate-limited',
  444: 'server-closed',
  499: 'client-closed',
  504: 'upstream-timeout',
};

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

/** What a client's own text says about the hop at fault: fields a rule can decide from alone. */
export interface HopFacts {
  closedBy?: ClosedBy;
  /** The status the proxy answered the CONNECT with, Cloudflare's 52x, or a 429 named with its reason. */
  status?: number;
  /** The proxy's `host:port` (or host) when the failure is the proxy's; the client's next hop. */
  upstream?: string;
  /** The certificate check's reason (an intercepting proxy's signature), or Cloudflare's words. */
  cause?: string;
  proxyCode?: string;
  host?: string;
}

// The status a proxy answered a CONNECT with, in each client's words (see FAILURE_TABLE's proxy row).
const PROXY_STATUS =
  /Received HTTP code (\d{3}) from proxy after CONNECT|CONNECT tunnel failed, response (\d{3})|Tunnel connection failed: (\d{3})|ClientHttpProxyError: (\d{3})|Proxy returns "HTTP\/[\d.]+ (\d{3})|Unexpected response code for CONNECT: (\d{3})|CONNECT refused by proxy: HTTP\/[\d.]+ (\d{3})|tunneling socket could not be established, statusCode=(\d{3})/;
// Where the proxy's address is printed: curl, Go, aiohttp (its host is the proxy's), Node's tunnel-agent.
const PROXY_ADDRESS =
  /Could not resolve proxy: ([^\s(]+)|\d over proxy (\S+) after |proxyconnect tcp: dial tcp (\[[^\]]+\]:\d+|[^\s:]+:\d+)|ClientProxyConnectionError: Cannot connect to host (\S+) ssl|tunneling socket could not be established, cause=\w+ E[A-Z]+ (\S+)/;
// aiohttp's ClientHttpProxyError names the proxy's URL: "url=URL('http://proxy:3128')" (3.8), "url='http://proxy:3128'" (3.9+).
const AIOHTTP_PROXY_URL = /ClientHttpProxyError: \d{3}, message=.{0,200}?url=(?:URL\()?'([^']+)'/;
// The proxy's own name did not resolve: the client's settings, not the proxy, are at fault.
const PROXY_NAME_FAILED = /Could not resolve proxy|NameResolutionError|gaierror|getaddrinfo|Name or service not known|nodename nor servname|no such host|ENOTFOUND|EAI_AGAIN|Temporary failure in name resolution|ProxySchemeUnknown|Proxy URL had no scheme|Not supported proxy scheme/;
// A certificate check's reason, as OpenSSL (1.1 and 3), Go, Java, Node and .NET print it.
const TLS_REASON =
  /self[- ]signed certificate in certificate chain|self[- ]signed certificate|unable to get local issuer certificate|unable to verify the first certificate|certificate signed by unknown authority|unable to find valid certification path to requested target|certificate has expired|certificate is not yet valid|Hostname mismatch|certificate is valid for|certificate is not valid for any names|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID|UntrustedRoot|RemoteCertificateNameMismatch|RemoteCertificateChainErrors|wrong version number/i;
// Cloudflare's error page title "example.com | 522: Connection timed out".
const CLOUDFLARE = /\b(52[0-7]): (Web server is returning an unknown error|Web server is down|Connection timed out|Origin is unreachable|A timeout occurred|SSL handshake failed|Invalid SSL certificate)\b/;
const CLOUDFLARE_SITE = /([\w.-]{1,253}) \| $/;

/** The hop a client text names, for the kinds where the client's words decide (proxy, TLS, Cloudflare). */
export function hopFacts(kind: EventKind, text: string): HopFacts {
  const facts: HopFacts = {};
  if (kind === 'proxy-error') {
    const status = PROXY_STATUS.exec(text);
    if (status) facts.status = Number(status.slice(1).find((s) => s !== undefined));
    const address = PROXY_ADDRESS.exec(text);
    const proxyUrl = address ? undefined : AIOHTTP_PROXY_URL.exec(text);
    if (address) facts.upstream = address.slice(1).find((s) => s !== undefined);
    else if (proxyUrl) {
      const url = urlIn(proxyUrl[1]!);
      if (url?.host) facts.upstream = `${url.host}:${url.port}`;
    }
    if (!PROXY_NAME_FAILED.test(text)) facts.closedBy = 'proxy';
  } else if (kind === 'tls-error') {
    const reason = TLS_REASON.exec(text);
    if (reason) facts.cause = reason[0];
  } else if (kind === 'http-error') {
    if (TOO_MANY_REQUESTS.test(text)) facts.status = 429;
    const page = CLOUDFLARE.exec(text);
    if (page) {
      facts.status = Number(page[1]);
      facts.cause = page[2];
      facts.proxyCode = `cloudflare ${page[1]}`;
      // The title names the site before the code: "example.com | 522: …" (looked for just before it: linear).
      const site = CLOUDFLARE_SITE.exec(text.slice(Math.max(0, page.index - 260), page.index));
      if (site) facts.host = site[1];
    }
  }
  return facts;
}

export interface AddressFields {
  host?: string;
  port?: number;
  path?: string;
  clientAddr?: string;
  clientPort?: number;
  upstream?: string;
}

const ARROW = /([^\s>]+):(\d+)->(\S+?):(\d+)\b/;
const POOL = /host='([^']*)', port=(\d+)\)(?:.{0,40}?url: (\S+))?/;
// "Failed to connect to H port N" (curl 7/8), "Could not resolve host: H" (curl; no port).
const HOST_PORT_WORDS = /(?:connect to|Could not resolve host:|resolve host) \[?([\w.:-]+?)\]? port (\d+)/;
// aiohttp, Node, Go dial, curl TLS, Apache HttpClient, redis-py: "… H:N".
const HOST_COLON_PORT = /(?:Cannot connect to host|Failed to connect to|connect E[A-Z]+|dial tcp|in connection to|Connect to|NoHttpResponseException:|connecting to|attempted address:) \[?([\w.:-]+)\]?:(\d+)\b/;
const HOST_ONLY = /(?:Could not resolve host:?|getaddrinfo E[A-Z_]+|lookup|UnknownHostException:|Failed to resolve) '?([\w.-]+)/;
// PostgreSQL libpq 14+: 'connection to server at "db" (10.0.0.5), port 5432 failed'; PyMySQL: "MySQL server on 'db'".
const DB_SERVER = /server at "([^"]+)"(?: \([^)]*\))?, port (\d+)|MySQL server on '([^':]+)(?::(\d+))?'/;

/**
 * Fills host/port/path from a URL and the address pairs a failure text states, where not yet set.
 * urllib3 names the pool it used: with an absolute url (a request sent through an HTTP proxy) that
 * pool is the proxy's, so it becomes `upstream`.
 */
export function addressesIn(text: string, fields: AddressFields): void {
  const url = urlIn(text);
  if (url) {
    if (fields.host === undefined && url.host) fields.host = url.host;
    if (fields.port === undefined && url.port !== undefined) fields.port = url.port;
    if (fields.path === undefined && url.path) fields.path = url.path;
  }
  const lookup = text.indexOf('lookup ') !== -1;
  // Go: "read tcp 127.0.0.1:51234->127.0.0.1:8080"; a lookup's arrow points at the DNS server instead.
  const arrow = lookup ? -1 : text.indexOf('->');
  if (arrow !== -1) {
    // Read around the first arrow only: a long token holding one must not cost its square.
    const m = ARROW.exec(text.slice(Math.max(0, arrow - 64), arrow + 66));
    if (m) {
      fields.clientAddr = m[1]!.replace(/^\[|\]$/g, '');
      fields.clientPort = Number(m[2]);
      if (!url) {
        fields.host = m[3]!.replace(/^\[|\]$/g, '');
        fields.port = Number(m[4]);
      }
    }
  }
  const pool = text.indexOf("host='") === -1 ? null : POOL.exec(text);
  if (pool && pool[3]?.includes('://')) {
    fields.upstream ??= `${pool[1]}:${pool[2]}`;
    return;
  }
  if (fields.host !== undefined) return;
  if (pool) {
    fields.host = pool[1];
    fields.port = Number(pool[2]);
    if (pool[3]) fields.path = pool[3];
    return;
  }
  const m = HOST_PORT_WORDS.exec(text) ?? HOST_COLON_PORT.exec(text) ?? DB_SERVER.exec(text) ?? HOST_ONLY.exec(text);
  if (m) {
    const found = m.slice(1).filter((s) => s !== undefined);
    fields.host = found[0];
    if (found[1] !== undefined) fields.port = Number(found[1]);
  }
}

/** Adds what hopFacts finds to a record's fields: its own words win, except a certificate's reason, which is the cause a rule reads. */
export function addHopFacts(kind: EventKind, text: string, into: HopFacts & { port?: number }): void {
  const hop = hopFacts(kind, text);
  if (hop.cause !== undefined) into.cause = hop.cause;
  into.closedBy ??= hop.closedBy;
  into.status ??= hop.status;
  into.upstream ??= hop.upstream;
  into.proxyCode ??= hop.proxyCode;
  into.host ??= hop.host;
  // aiohttp's "Cannot connect to host proxy:3128" names the proxy, not the request's host.
  if (into.host !== undefined && into.upstream === (into.port === undefined ? into.host : `${into.host}:${into.port}`)) {
    delete into.host;
    delete into.port;
  }
}
