import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConnectionEvent } from '../../src/model/event.js';
import { readException } from '../../src/parse/python-exception.js';
import { pytestFormat } from '../../src/parse/pytest.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { parseLines } from '../../src/parse/run-lines.js';

// requests / urllib3 (1.x and 2.x), http.client, httpx, aiohttp exception lines as printed, with
// what the event must carry: the same line is read as a pytest summary, where the test id joins it.
const LINES: { line: string; expect: Partial<ConnectionEvent>; origin: string }[] = [
  {
    line: "requests.exceptions.ProxyError: HTTPSConnectionPool(host='192.168.189.131', port=443): Max retries exceeded with url: /ecp/cmyz.js (Caused by ProxyError('Cannot connect to proxy.', NewConnectionError('<urllib3.connection.VerifiedHTTPSConnection object at 0x000001C39F5B9430>: Failed to establish a new connection: [WinError 10061] Unable to connect because the target computer actively refused。')))",
    expect: { kind: 'proxy-error', closedBy: 'proxy', errno: 10061, errnoName: 'ECONNREFUSED', host: '192.168.189.131', port: 443, path: '/ecp/cmyz.js' },
    origin: 'urllib3 1.x on Windows, mai-lang-chai/Middleware-Vulnerability-detection issue #8',
  },
  {
    line: "requests.exceptions.ProxyError: HTTPSConnectionPool(host='bugzilla.mozilla.org', port=443): Max retries exceeded with url: /rest/bug (Caused by ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: 403 Forbidden')))",
    expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, host: 'bugzilla.mozilla.org', path: '/rest/bug' },
    origin: 'urllib3 1.26 + http.client ("Tunnel connection failed: %d %s"), mozilla/bugbot issue #2002 (url path filled in)',
  },
  {
    line: "requests.exceptions.ProxyError: HTTPSConnectionPool(host='example.com', port=443): Max retries exceeded with url: /api (Caused by ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 407 Proxy Authentication Required')))",
    expect: { kind: 'proxy-error', closedBy: 'proxy', status: 407 },
    origin: 'urllib3 2.x connection.py _wrap_proxy_error ("Unable to connect to proxy"); cubewise-code/tm1py issue #531',
  },
  {
    line: "requests.exceptions.ProxyError: HTTPConnectionPool(host='proxy.corp', port=3128): Max retries exceeded with url: http://api.example.com/v1/items?page=2 (Caused by ProxyError('Unable to connect to proxy', NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f2c1a2b3c40>: Failed to establish a new connection: [Errno 111] Connection refused')))",
    expect: { kind: 'proxy-error', closedBy: 'proxy', upstream: 'proxy.corp:3128', host: 'api.example.com', port: 80, path: '/v1/items', errnoName: 'ECONNREFUSED' },
    origin: 'urllib3 2.x ProxyManager for an http:// url: the pool is the proxy\'s and the url absolute (exceptions.py MaxRetryError)',
  },
  {
    line: "requests.exceptions.ProxyError: HTTPSConnectionPool(host='example.com', port=443): Max retries exceeded with url: / (Caused by ProxyError('Unable to connect to proxy', NameResolutionError(\"<urllib3.connection.HTTPSConnection object at 0x7f2c1a2b3c40>: Failed to resolve 'proxy.corp' ([Errno -2] Name or service not known)\")))",
    expect: { kind: 'proxy-error', closedBy: undefined, errnoName: 'EAI_NONAME' },
    origin: 'urllib3 2.x: the proxy\'s own name does not resolve (exceptions.py NameResolutionError "Failed to resolve \'%s\' (%s)")',
  },
  {
    line: "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='bunkr.ph', port=443): Max retries exceeded with url: /f/fdcdMibCOotjI (Caused by NameResolutionError(\"HTTPSConnection(host='bunkr.ph', port=443): Failed to resolve 'bunkr.ph' ([Errno 11001] getaddrinfo failed)\"))",
    expect: { kind: 'dns-failure', errno: 11001, errnoName: 'EAI_NONAME', host: 'bunkr.ph', path: '/f/fdcdMibCOotjI' },
    origin: 'urllib3 2.x on Windows (WSAHOST_NOT_FOUND), Lysagxra/BunkrDownloader issue #49',
  },
  {
    line: "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='raw.githubusercontent.com', port=443): Max retries exceeded with url: /jofpin/trape/master/version.txt (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0xb59a1450>: Failed to establish a new connection: [Errno -3] Temporary failure in name resolution',))",
    expect: { kind: 'dns-failure', errno: -3, errnoName: 'EAI_AGAIN', host: 'raw.githubusercontent.com' },
    origin: 'urllib3 1.x (Python 2 repr with trailing comma), jofpin/trape issue #254',
  },
  {
    line: "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='hc-ping.com', port=443): Max retries exceeded with url: /a3515c03 (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7fbe49001090>: Failed to establish a new connection: [Errno -2] Name or service not known'))",
    expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'hc-ping.com' },
    origin: 'urllib3 1.26, healthchecks/healthchecks issue #449 (path shortened)',
  },
  {
    line: "requests.exceptions.SSLError: HTTPSConnectionPool(host='download.pytorch.org', port=443): Max retries exceeded with url: /whl/torch_stable.html (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain (_ssl.c:1131)')))",
    expect: { kind: 'tls-error', cause: 'self signed certificate in certificate chain', errno: undefined, host: 'download.pytorch.org' },
    origin: 'pip behind an intercepting proxy (CPython 3.9 _ssl.c, OpenSSL 1.1 wording), as quoted in a public README',
  },
  {
    line: "requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded with url: /api/x?y=1 (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f0e2c1d3a90>: Failed to establish a new connection: [Errno 111] Connection refused'))",
    expect: { kind: 'refused', errno: 111, host: '127.0.0.1', port: 8080, path: '/api/x?y=1', cause: 'NewConnectionError' },
    origin: 'requests 2.x + urllib3 1.26/2.x against a closed loopback port (connection.py "Failed to establish a new connection: %s")',
  },
  {
    line: "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='127.0.0.1', port=8080): Read timed out. (read timeout=5)",
    expect: { kind: 'read-timeout', host: '127.0.0.1', port: 8080 },
    origin: 'urllib3 connectionpool.py ReadTimeoutError(self, url, f"Read timed out. (read timeout={timeout_value})")',
  },
  {
    line: "requests.exceptions.ConnectTimeout: HTTPConnectionPool(host='10.255.255.1', port=80): Max retries exceeded with url: / (Caused by ConnectTimeoutError(<urllib3.connection.HTTPConnection object at 0x7f>, 'Connection to 10.255.255.1 timed out. (connect timeout=1)'))",
    expect: { kind: 'connect-timeout', host: '10.255.255.1', cause: 'ConnectTimeoutError' },
    origin: 'urllib3 connection.py ConnectTimeoutError(self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})")',
  },
  {
    line: "requests.exceptions.ChunkedEncodingError: (\"Connection broken: InvalidChunkLength(got length b'', 0 bytes read)\", InvalidChunkLength(got length b'', 0 bytes read))",
    expect: { kind: 'incomplete-read', cause: 'InvalidChunkLength' },
    origin: 'urllib3 response.py ProtocolError(f"Connection broken: {e!r}", e) re-raised by requests as ChunkedEncodingError',
  },
  {
    line: "requests.exceptions.ChunkedEncodingError: ('Connection broken: IncompleteRead(0 bytes read, 512 more expected)', IncompleteRead(0 bytes read, 512 more expected))",
    expect: { kind: 'incomplete-read', cause: 'IncompleteRead' },
    origin: 'urllib3 1.26 response.py with http.client.IncompleteRead',
  },
  {
    line: "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(10054, 'An existing connection was forcibly closed by the remote host', None, 10054, None))",
    expect: { kind: 'reset', errno: 10054, errnoName: 'ECONNRESET' },
    origin: 'CPython on Windows (OSError repr with winerror), requests ConnectionError',
  },
  {
    line: "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionAbortedError(10053, 'An established connection was aborted by the software in your host machine', None, 10053, None))",
    expect: { kind: 'aborted', errno: 10053, errnoName: 'ECONNABORTED' },
    origin: 'CPython on Windows (WSAECONNABORTED)',
  },
  {
    line: "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.example.com', port=443): Max retries exceeded with url: /v1 (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x000001>: Failed to establish a new connection: [WinError 10060] A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond'))",
    expect: { kind: 'connect-timeout', errno: 10060, errnoName: 'ETIMEDOUT' },
    origin: 'CPython on Windows (WSAETIMEDOUT text)',
  },
  {
    line: "requests.exceptions.ConnectionError: ('Connection aborted.', BrokenPipeError(32, 'Broken pipe'))",
    expect: { kind: 'broken-pipe', errno: 32, errnoName: 'EPIPE', cause: 'BrokenPipeError' },
    origin: 'requests 2.x uploading to a peer that closed (urllib3 connectionpool.py ProtocolError("Connection aborted.", e))',
  },
  {
    line: "requests.exceptions.ConnectionError: ('Connection aborted.', error(104, 'Connection reset by peer'))",
    expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET' },
    origin: 'requests on Python 2 (socket.error repr), urllib3 1.x',
  },
  {
    line: 'requests.exceptions.HTTPError: 502 Server Error: Bad Gateway for url: http://127.0.0.1:8080/api/x?y=1',
    expect: { kind: 'http-error', status: 502, host: '127.0.0.1', port: 8080, path: '/api/x?y=1' },
    origin: 'requests models.py raise_for_status ("%s Server Error: %s for url: %s")',
  },
  {
    line: 'httpx.RemoteProtocolError: Server disconnected without sending a response.',
    expect: { kind: 'remote-disconnected' },
    origin: 'httpcore _sync/http11.py ("Server disconnected without sending a response.")',
  },
  {
    line: 'aiohttp.client_exceptions.ClientOSError: [Errno 104] Connection reset by peer',
    expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET' },
    origin: 'aiohttp 3.x ClientOSError from the transport',
  },
  {
    line: "aiohttp.client_exceptions.ClientHttpProxyError: 403, message='Forbidden', url=URL('http://pyproxy.comm:9293')",
    expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, upstream: 'pyproxy.comm:9293' },
    origin: 'Rapptz/discord.py issue #5223',
  },
  {
    line: 'aiohttp.client_exceptions.ClientProxyConnectionError: Cannot connect to host proxy.corp:3128 ssl:default [Connection refused]',
    expect: { kind: 'proxy-error', closedBy: 'proxy', upstream: 'proxy.corp:3128', host: undefined, port: undefined },
    origin: 'aiohttp client_exceptions.py ClientConnectorError.__str__ for the proxy connection',
  },
  {
    line: "pymysql.err.OperationalError: (2003, \"Can't connect to MySQL server on 'db' ([Errno 111] Connection refused)\")",
    expect: { kind: 'refused', errno: 111, host: 'db' },
    origin: 'PyMySQL connections.py CR_CONN_HOST_ERROR ("Can\'t connect to MySQL server on %r (%s)")',
  },
  {
    line: 'redis.exceptions.ConnectionError: Error 104 while writing to socket. Connection reset by peer.',
    expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET' },
    origin: 'redis-py connection.py, redis/redis-py issue #850',
  },
  {
    line: 'redis.exceptions.ConnectionError: Connection closed by server.',
    expect: { kind: 'remote-disconnected' },
    origin: 'redis-py connection.py SERVER_CLOSED_CONNECTION_ERROR',
  },
];

describe('Python client texts', () => {
  for (const { line, expect, origin } of LINES) {
    it(`${line.slice(0, 90)} (${origin.slice(0, 40)})`, () => {
      const reading = readException(line);
      assert.ok(reading, `not read: ${origin}`);
      for (const [key, value] of Object.entries(expect)) {
        assert.deepEqual(reading[key as keyof typeof reading], value, `${key} of ${JSON.stringify(reading)}`);
      }
      // The same line in pytest's short summary: the same fields, and the test id.
      const { events } = parseLines(pytestFormat, [`FAILED tests/test_api.py::test_x - ${line}`]);
      assert.equal(events.length, 1);
      assert.equal(events[0]!.test, 'tests/test_api.py::test_x');
      for (const [key, value] of Object.entries(expect)) assert.deepEqual(events[0]![key as keyof ConnectionEvent], value, `pytest ${key}`);
    });
  }

  it('a client log record carries the identity of the failing request and the proxy facts', () => {
    const { events } = parseLines(pythonLoggingFormat, [
      "2022-08-08 02:45:15,175 [ERROR] koji: SSLError: HTTPSConnectionPool(host='stapel667.red-soft.ru', port=443): Max retries exceeded with url: /kojihub/ssllogin (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self signed certificate in certificate chain (_ssl.c:1108)')))",
      "2026-11-24 06:40:01,100 WARNING urllib3.connectionpool: Retrying (Retry(total=2, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ProxyError('Unable to connect to proxy', OSError('Tunnel connection failed: 403 Forbidden'))': /api/x?y=1",
    ]);
    // koji's CLI log (Python 3.8, as quoted publicly); urllib3 2.x connectionpool.py "Retrying (%r) after connection broken by '%r': %s".
    assert.deepEqual(
      events.map((e) => [e.kind, e.host, e.port, e.path, e.cause, e.closedBy, e.status, e.retry]),
      [
        ['tls-error', 'stapel667.red-soft.ru', 443, '/kojihub/ssllogin', 'self signed certificate in certificate chain', undefined, undefined, undefined],
        ['proxy-error', undefined, undefined, '/api/x?y=1', 'ProxyError', 'proxy', 403, true],
      ],
    );
  });

  it('a refused connection names nothing about a proxy', () => {
    const reading = readException("requests.exceptions.ConnectionError: HTTPConnectionPool(host='localhost', port=8080): Max retries exceeded with url: / (Caused by NewConnectionError('<urllib3.connection.HTTPConnection object at 0x7f>: Failed to establish a new connection: [Errno 111] Connection refused'))");
    assert.equal(reading?.kind, 'refused');
    assert.equal(reading?.closedBy, undefined);
    assert.equal(reading?.upstream, undefined);
  });
});
