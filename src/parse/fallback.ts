/**
 * The fallback: a file no format claims is still read, and a line that names a connection failure
 * becomes an event (source 'other', kind from the failure-text table; time where a leading stamp is
 * recognised). Client shapes (curl, Node, Go, Java, …) keep their own source. Ordinary lines yield
 * nothing. `detect` is a constant far below any real format, so it never claims a file.
 */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';

export const FALLBACK: FormatParser = {
  source: 'other',
  title: 'any text (lines naming a connection failure)',
  detect: () => 0.01,
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: ['bash: github.com: Temporary failure in name resolution'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN' },
      origin: "glibc's gai_strerror(EAI_AGAIN) through bash's /dev/tcp in a container whose resolver is unreachable: moby/moby issue, test/realworld/docker-container-dns-127-0-0-53-unreachable",
    },
    {
      lines: ['2026-11-24T06:40:01.123Z worker-3 upload failed: Connection reset by peer'],
      expect: { source: 'other', kind: 'reset', errnoName: 'ECONNRESET', time: Date.UTC(2026, 10, 24, 6, 40, 1, 123), timeQuality: 'exact' },
      origin: 'hand-written edge case: an application log line with an ISO stamp',
    },
    {
      lines: ['2026/11/24 06:40:01 sync: write: broken pipe'],
      expect: { kind: 'broken-pipe', errnoName: 'EPIPE', zoneless: true, timeQuality: 'inferred', time: Date.UTC(2026, 10, 24, 6, 40, 1) },
      origin: 'hand-written edge case: Go log package stamp',
    },
    {
      lines: ['ConnectionResetError: [WinError 10054] An existing connection was forcibly closed by the remote host'],
      expect: { kind: 'reset', errno: 10054, errnoName: 'ECONNRESET', exception: 'ConnectionResetError' },
      origin: 'CPython on Windows (WSAECONNRESET text)',
    },
    {
      lines: ['ConnectionResetError: [Errno 104] 连接被对方重设'],
      expect: { kind: 'reset', errnoName: 'ECONNRESET' },
      origin: 'CPython under zh_CN.UTF-8 glibc strerror',
    },
    {
      lines: ['OSError: [Errno 104] Verbindung durch Peer zurückgesetzt'],
      expect: { kind: 'reset', errnoName: 'ECONNRESET' },
      origin: 'CPython under de_DE.UTF-8 glibc strerror',
    },
    {
      lines: [
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3.11/http/client.py", line 286, in _read_status',
        '    raise RemoteDisconnected("Remote end closed connection without"',
        'http.client.RemoteDisconnected: Remote end closed connection without response',
        '',
        'During handling of the above exception, another exception occurred:',
        '',
        'Traceback (most recent call last):',
        "urllib3.exceptions.ProtocolError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
      ],
      expect: { kind: 'remote-disconnected', line: 4 },
      origin: 'CPython 3.11 + urllib3 2 chained traceback (one failure: one event)',
    },
    {
      lines: ["requests.exceptions.ConnectionError: HTTPConnectionPool(host='10.200.7.1', port=27240): Max retries exceeded with url: /api/blocked (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))"],
      expect: { kind: 'reset', host: '10.200.7.1', port: 27240, path: '/api/blocked', exception: 'requests.exceptions.ConnectionError' },
      origin: 'requests 2.32 (samples/12-firewall-reset shape)',
    },
    {
      lines: ['Nov 24 06:40:01 ci-runner app[311]: upstream timed out, retrying'],
      expect: { kind: 'read-timeout', time: null, timeQuality: 'none' },
      origin: 'hand-written: a syslog line without a year and without a CI prefix',
    },
    {
      lines: ['Downloading artifacts... done', 'All 42 tests passed', 'Connection: keep-alive'],
      expect: null,
      origin: 'ordinary lines',
    },
    {
      lines: [
        '[v4.7.5.7809] System.Net.Http.HttpRequestException: Resource temporarily unavailable (api.radarr.video:443)',
        ' ---> System.Net.Sockets.SocketException (11): Resource temporarily unavailable',
        '   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)',
        '   --- End of inner exception stack trace ---',
      ],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN', host: 'api.radarr.video', port: 443, exception: 'System.Net.Http.HttpRequestException' },
      origin: 'Radarr/Radarr issue #9105 (.NET on Linux: getaddrinfo EAI_AGAIN surfaces as SocketError.TryAgain with EAGAIN\'s text)',
    },
    {
      lines: [
        '      System.Net.Http.HttpRequestException: An error occurred while sending the request.',
        '       ---> System.IO.IOException: Unable to write data to the transport connection: Connection reset by peer.',
        '       ---> System.Net.Sockets.SocketException (104): Connection reset by peer',
        '         at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.CreateException(SocketError error, Boolean forAsyncThrow)',
      ],
      expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET', cause: 'System.Net.Sockets.SocketException' },
      origin: 'angelobreuer/localtunnel.net issue #16 (.NET 6 on Linux, ASP.NET Core console log indentation)',
    },
    {
      lines: [
        'System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.',
        ' ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot',
      ],
      expect: { kind: 'tls-error', cause: 'UntrustedRoot' },
      origin: '.NET 5+ SslStream (SR.net_ssl_io_cert_chain_validation: "… errors in the certificate chain: {0}")',
    },
    {
      lines: ['System.Net.Http.HttpRequestException: Connection refused (localhost:5000)', ' ---> System.Net.Sockets.SocketException (111): Connection refused'],
      expect: { kind: 'refused', errno: 111, host: 'localhost', port: 5000 },
      origin: '.NET 5+ ConnectHelper appends "(host:port)" to the socket error (dotnet/runtime ConnectHelper.CreateWrappedException)',
    },
    {
      lines: [
        'System.Threading.Tasks.TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing.',
        ' ---> System.TimeoutException: The operation was canceled.',
      ],
      expect: { kind: 'read-timeout', exception: 'System.Threading.Tasks.TaskCanceledException' },
      origin: '.NET 5+ HttpClient (SR.net_http_request_timedout, default Timeout 100 s)',
    },
    {
      lines: ['System.Net.Http.HttpIOException: The response ended prematurely. (ResponseEnded)'],
      expect: { kind: 'remote-disconnected' },
      origin: '.NET 8 HttpConnection (SR.net_http_invalid_response_premature_eof, HttpRequestError.ResponseEnded)',
    },
    {
      lines: [
        'psycopg2.OperationalError: server closed the connection unexpectedly',
        '        This probably means the server terminated abnormally',
        '        before or while processing the request.',
      ],
      expect: { kind: 'remote-disconnected', exception: 'psycopg2.OperationalError' },
      origin: '101t/jasmin-web-panel issue #20 (libpq fe-misc.c wording via psycopg2)',
    },
    {
      lines: ['psycopg2.OperationalError: SSL SYSCALL error: EOF detected'],
      expect: { kind: 'remote-disconnected' },
      origin: 'libpq fe-secure-openssl.c ("SSL SYSCALL error: EOF detected") via psycopg2',
    },
    {
      lines: ["pymysql.err.OperationalError: (2013, 'Lost connection to MySQL server during query')"],
      expect: { kind: 'remote-disconnected' },
      origin: 'PyMySQL connections.py CR_SERVER_LOST (2013)',
    },
    {
      lines: ["MySQLdb.OperationalError: (2006, 'MySQL server has gone away')"],
      expect: { kind: 'remote-disconnected' },
      origin: 'mysqlclient / libmysqlclient CR_SERVER_GONE_ERROR (2006)',
    },
    {
      lines: ['redis.exceptions.ConnectionError: Error 104 while writing to socket. Connection reset by peer.'],
      expect: { kind: 'reset', errno: 104, errnoName: 'ECONNRESET' },
      origin: 'redis-py connection.py ("Error %s while writing to socket. %s."), redis/redis-py issue #850',
    },
    {
      lines: ['redis.exceptions.ConnectionError: Error 111 connecting to localhost:6379. Connection refused.'],
      expect: { kind: 'refused', errno: 111, host: 'localhost', port: 6379 },
      origin: 'redis-py connection.py _error_message ("Error {errno} connecting to {host}:{port}. {strerror}.")',
    },
    {
      lines: ['<head><title>supabase.co | 522: Connection timed out</title></head>'],
      expect: { kind: 'http-error', status: 522, proxyCode: 'cloudflare 522', cause: 'Connection timed out', host: 'supabase.co' },
      origin: 'a Cloudflare error page printed by a client (title as quoted in public test fixtures); Cloudflare, not the client, timed out',
    },
    {
      lines: ['requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: https://huggingface.co/bert-base-cased/resolve/main/config.json'],
      expect: { kind: 'http-error', status: 429, host: 'huggingface.co', path: '/bert-base-cased/resolve/main/config.json' },
      origin: 'requests models.py raise_for_status ("%s Client Error: %s for url: %s"), as a public pytest report quotes it',
    },
    {
      lines: ['<html><head><title>429 Too Many Requests</title></head>'],
      expect: { kind: 'http-error', status: 429 },
      origin: 'nginx src/http/ngx_http_special_response.c ngx_http_error_429_page, the page limit_req answers with (limit_req_status 429) when a client prints the body',
    },
    {
      lines: ['<title>example.com | 521: Web server is down</title>'],
      expect: { kind: 'http-error', status: 521, proxyCode: 'cloudflare 521' },
      origin: 'Cloudflare 521 page title (e.g. the strings a crawler checks for, public source)',
    },
    {
      lines: ['2026-11-24 06:40:01.123 UTC [4242] LOG:  could not receive data from client: Connection reset by peer'],
      expect: { kind: 'client-closed', errnoName: 'ECONNRESET' },
      origin: 'PostgreSQL server log, src/backend/libpq/pqcomm.c ("could not receive data from client: %m"): the server saw its client go, it is no client failure',
    },
    {
      lines: [
        'System.Net.Http.HttpRequestException: An error occurred while sending the request.',
        ' ---> System.IO.IOException: Unable to read data from the transport connection: An existing connection was forcibly closed by the remote host..',
        ' ---> System.Net.Sockets.SocketException (10054): An existing connection was forcibly closed by the remote host.',
        '   at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)',
        '   --- End of inner exception stack trace ---',
      ],
      expect: { kind: 'reset', errno: 10054, errnoName: 'ECONNRESET', exception: 'System.Net.Http.HttpRequestException' },
      origin: '.NET on Windows (SocketException.ToString "SocketException (10054): …", SR.net_io_readfailure), as in genexuslabs/DotNetClasses PR #87',
    },
    {
      lines: ['ConnectionResetError: [WinError 10054] 远程主机强迫关闭了一个现有的连接。'],
      expect: { kind: 'reset', errno: 10054, errnoName: 'ECONNRESET' },
      origin: 'CPython on zh-CN Windows, redis/redis-py issue #1796',
    },
    {
      lines: ['kombu.exceptions.OperationalError: [WinError 10061] 由于目标计算机积极拒绝，无法连接。'],
      expect: { kind: 'refused', errno: 10061, errnoName: 'ECONNREFUSED' },
      origin: 'CPython on zh-CN Windows (WSAECONNREFUSED text), as quoted in public notes on kombu/Celery',
    },
  ],
};
