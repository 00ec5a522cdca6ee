/**
 * Rust reqwest/hyper and Python httpx/aiohttp client errors outside pytest output and Python
 * logging (those formats have their own parsers); parsed by client-failures.ts.
 */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';

const RUST_LINE = /error sending request for url|reqwest::Error|hyper::Error|hyper_util::|\(os error \d+\)|^\s+Running |^test result: /;
const PY_CLIENT_LINE = /^(?:httpx|httpcore)\.\w+: |^aiohttp\.client_exceptions\.\w+: /;

export const OTHER_CLIENTS_FORMAT: FormatParser = {
  source: 'rust',
  title: 'Rust reqwest/hyper and Python httpx/aiohttp client errors',
  detect(firstLines) {
    let rust = 0;
    let py = 0;
    for (const line of firstLines) {
      if (RUST_LINE.test(line)) rust++;
      else if (PY_CLIENT_LINE.test(line)) py++;
    }
    // Python clients' lines more often sit in pytest output or logging files: a weak claim only.
    if (rust > 0) return Math.min(0.65, 0.4 + rust * 0.05);
    return py > 0 ? 0.3 : 0;
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: ['error sending request for url (http://127.0.0.1:8080/api/x): connection error: Connection reset by peer (os error 104)'],
      expect: { source: 'rust', kind: 'reset', errno: 104, errnoName: 'ECONNRESET', host: '127.0.0.1', port: 8080, path: '/api/x' },
      origin: 'reqwest 0.10/0.11 Display text, seanmonstar/reqwest issue #1069 (URL filled in)',
    },
    {
      lines: ['ERROR - Downloading feed failed: https://www.webtoons.com/en/sf/city-of-blank/rss?title_no=1895 - error sending request for url (https://www.webtoons.com/en/sf/city-of-blank/rss?title_no=1895): error trying to connect: Connexion ré-initialisée par le correspondant (os error 104) (news_flash::feed_api_implementations::local:100)'],
      expect: { kind: 'reset', errnoName: 'ECONNRESET', host: 'www.webtoons.com', port: 443 },
      origin: 'seanmonstar/reqwest issue #1614 (French strerror)',
    },
    {
      lines: ['Error: reqwest::Error { kind: Request, url: "http://localhost:1729/", source: hyper_util::client::legacy::Error(SendRequest, hyper::Error(Io, Os { code: 54, kind: ConnectionReset, message: "Connection reset by peer" })) }'],
      expect: { kind: 'reset', errno: 54, errnoName: 'ECONNRESET', host: 'localhost', port: 1729 },
      origin: 'lambdaclass/ethrex issue #2117 (macOS errno 54)',
    },
    {
      lines: ['error sending request for url (http://127.0.0.1:8080/api/x): connection closed before message completed'],
      expect: { kind: 'remote-disconnected' },
      origin: 'hyper 0.14 IncompleteMessage Display text via reqwest',
    },
    {
      lines: ['httpx.ReadError: [Errno 104] Connection reset by peer'],
      expect: { source: 'client', kind: 'reset', exception: 'httpx.ReadError', errno: 104 },
      origin: 'httpx 0.27 exception line (httpcore maps OSError to ReadError)',
    },
    {
      lines: ['httpx.RemoteProtocolError: Server disconnected without sending a response.'],
      expect: { kind: 'remote-disconnected', exception: 'httpx.RemoteProtocolError' },
      origin: 'httpx/httpcore wording for a closed kept-alive connection',
    },
    {
      lines: ['httpx.ConnectError: [Errno -2] Name or service not known'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', errno: -2 },
      origin: 'httpx on Linux glibc, unknown host',
    },
    {
      lines: ['aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host 0.0.0.0:7000 ssl:default [Name or service not known]'],
      expect: { kind: 'dns-failure', host: '0.0.0.0', port: 7000, exception: 'aiohttp.client_exceptions.ClientConnectorError' },
      origin: 'aio-libs/aiohttp issue #5155',
    },
    {
      lines: ['aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host 127.0.0.1:9106 ssl:default [Connection refused]'],
      expect: { kind: 'refused', port: 9106 },
      origin: 'aiohttp 3.x, closed port (aiohttp wording, cf. issue #3171)',
    },
    {
      lines: ['aiohttp.client_exceptions.ServerDisconnectedError: Server disconnected'],
      expect: { kind: 'remote-disconnected' },
      origin: 'aiohttp 3.x wording',
    },
    {
      lines: ['aiohttp.client_exceptions.ClientOSError: [Errno 104] Connection reset by peer'],
      expect: { kind: 'reset', errno: 104 },
      origin: 'aiohttp 3.x wording',
    },
    {
      lines: ['error sending request for url (https://x.invalid/): error trying to connect: dns error: failed to lookup address information: Name or service not known'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'x.invalid' },
      origin: 'reqwest 0.11 + hyper 0.14 GaiResolver (std getaddrinfo error text on Linux glibc)',
    },
    {
      lines: ['error sending request for url (http://10.0.0.9:8080/api/x): operation timed out'],
      expect: { kind: 'read-timeout', host: '10.0.0.9', port: 8080, path: '/api/x' },
      origin: 'reqwest 0.11 TimedOut Display text ("operation timed out")',
    },
    {
      lines: ["aiohttp.client_exceptions.ClientHttpProxyError: 403, message='Forbidden', url=URL('http://pyproxy.comm:9293')"],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, upstream: 'pyproxy.comm:9293' },
      origin: 'Rapptz/discord.py issue #5223 (aiohttp 3.6; url is the proxy\'s)',
    },
    {
      lines: ['aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host proxy.corp:3128 ssl:default [Connection refused]'],
      expect: { kind: 'proxy-error', closedBy: 'proxy', upstream: 'proxy.corp:3128', host: undefined, errnoName: 'ECONNREFUSED' },
      origin: 'aiohttp client_exceptions.py ClientConnectorError.__str__ ("Cannot connect to host {host}:{port} ssl:{ssl} [{strerror}]") for the proxy connection',
    },
    {
      lines: ['aiohttp.client_exceptions.ClientConnectorError: Cannot connect to host 127.0.0.1:8080 ssl:default [Connect call failed (\'127.0.0.1\', 8080)]'],
      expect: { kind: 'connection-error', host: '127.0.0.1', port: 8080 },
      origin: 'aiohttp over asyncio selector_events ("Connect call failed {address}" for any connect errno: the text does not say which)',
    },
    {
      lines: ['httpx.ProxyError: 403 Forbidden'],
      expect: { kind: 'proxy-error', exception: 'httpx.ProxyError' },
      origin: 'httpcore _sync/http_proxy.py raises ProxyError(f"{status_code} {reason_phrase}") for a refused CONNECT; encode/httpx issue #957',
    },
    {
      lines: ['httpx.ConnectTimeout: timed out'],
      expect: { kind: 'connect-timeout' },
      origin: 'httpcore maps socket.timeout during connect to ConnectTimeout ("timed out")',
    },
    {
      lines: ['    Running `target/debug/app`'],
      expect: null,
      origin: 'ordinary cargo output',
    },
  ],
};
