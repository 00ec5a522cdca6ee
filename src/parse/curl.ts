/** curl's error lines (`curl: (56) Recv failure: …`) and `-v` traces; parsed by client-failures.ts. */
import { createClientParser } from './client-failures.js';
import type { FormatParser } from './parser.js';
import { countScore } from './detect-score.js';

const CURL_LINE = /^curl: \(\d+\) |^\* (?:Connected to|\s*Trying|Recv failure|Closing connection|Failed to connect|connect to .* failed)|^> [A-Z]{3,10} \S+ HTTP\/|^\s+% Total\s+% Received/;

export const CURL_FORMAT: FormatParser = {
  source: 'curl',
  title: 'curl output (errors and -v traces)',
  detect(firstLines, fileName) {
    return countScore(firstLines, (line) => CURL_LINE.test(line), fileName, /curl/i, { base: 0.5, step: 0.1, cap: 0.8 });
  },
  create: (ctx) => createClientParser(ctx, { generic: true }),
  examples: [
    {
      lines: ['curl: (56) Recv failure: Connection reset by peer'],
      expect: { source: 'curl', kind: 'reset', errnoName: 'ECONNRESET', exception: 'curl (56)' },
      origin: 'curl 7.88.1 (Debian 12) against a backend that resets after the request (lab run, 127.0.0.1)',
    },
    {
      lines: ['curl: (52) Empty reply from server'],
      expect: { kind: 'remote-disconnected' },
      origin: 'curl 7.88.1, backend closes without a response (lab run)',
    },
    {
      lines: ["curl: (7) Failed to connect to 127.0.0.1 port 9106 after 0 ms: Couldn't connect to server"],
      expect: { kind: 'refused', host: '127.0.0.1', port: 9106, errnoName: 'ECONNREFUSED' },
      origin: 'curl 7.88.1, closed port (lab run)',
    },
    {
      lines: ['curl: (28) Operation timed out after 1000 milliseconds with 0 bytes received'],
      expect: { kind: 'read-timeout' },
      origin: 'curl 7.88.1 -m 1 against a slow backend (lab run)',
    },
    {
      lines: ['curl: (6) Could not resolve host: x.invalid'],
      expect: { kind: 'dns-failure', host: 'x.invalid' },
      origin: 'curl 7.88.1 (lab run)',
    },
    {
      lines: ['curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to 127.0.0.1:9101 '],
      expect: { kind: 'tls-error', host: '127.0.0.1', port: 9101 },
      origin: 'curl 7.88.1 https:// to a plain-HTTP port (lab run)',
    },
    {
      lines: ['curl: (56) Proxy CONNECT aborted'],
      expect: { kind: 'proxy-error' },
      origin: 'curl 7.88.1 -x to a proxy that closes the CONNECT (lab run)',
    },
    {
      lines: ['curl: (18) transfer closed with 99000 bytes remaining to read'],
      expect: { kind: 'incomplete-read' },
      origin: 'curl 7.88.1, backend stalls mid-body behind HAProxy (lab run)',
    },
    {
      lines: [
        '  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current',
        '                                 Dload  Upload   Total   Spent    Left  Speed',
        '\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0*   Trying 127.0.0.1:9103...',
        '* Connected to 127.0.0.1 (127.0.0.1) port 9103 (#0)',
        '> GET /api/x HTTP/1.1',
        '> Host: 127.0.0.1:9103',
        '> User-Agent: curl/7.88.1',
        '> Accept: */*',
        '> ',
        '* Recv failure: Connection reset by peer',
        '  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0',
        '* Closing connection 0',
        'curl: (56) Recv failure: Connection reset by peer',
      ],
      expect: { kind: 'reset', method: 'GET', path: '/api/x', host: '127.0.0.1', port: 9103, line: 13 },
      origin: 'curl 7.88.1 -v, backend RST (lab run, stderr as a CI log keeps it)',
    },
    {
      lines: ['* Connected to 127.0.0.1 (127.0.0.1) port 9103 (#0)', '> POST /api/report HTTP/1.1', '* Empty reply from server', '* Closing connection 0'],
      expect: { kind: 'remote-disconnected', method: 'POST', path: '/api/report', line: 3 },
      origin: 'curl -sv (errors silenced, the trace kept): the trace alone is the evidence',
    },
    {
      lines: ['curl: (56) Received HTTP code 403 from proxy after CONNECT'],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, exception: 'curl (56)' },
      origin: 'curl 7.64-7.69, chobits/ngx_http_proxy_connect_module issues #173 and #190 (lib/http_proxy.c at curl-7_81_0)',
    },
    {
      lines: ['curl: (56) CONNECT tunnel failed, response 407'],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 407 },
      origin: 'curl 8.5 lib/cf-h1-proxy.c failf("CONNECT tunnel failed, response %d") with CURLE_RECV_ERROR',
    },
    {
      lines: ['curl: (7) CONNECT tunnel failed, response 403'],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403 },
      origin: 'curl 8.22 lib/cf-h1-proxy.c: the same text now returns CURLE_COULDNT_CONNECT',
    },
    {
      lines: ["curl: (7) Failed to connect to example.com:443 over proxy proxy.corp after 2 ms: Couldn't connect to server"],
      expect: { kind: 'proxy-error', closedBy: 'proxy', upstream: 'proxy.corp', host: 'example.com', port: 443 },
      origin: 'curl 8.22 lib/cf-ip-happy.c failf("Failed to connect to %s:%u%s %s%s%safter …") through a proxy',
    },
    {
      lines: ['curl: (5) Could not resolve proxy: proxy.corp'],
      expect: { kind: 'proxy-error', upstream: 'proxy.corp', closedBy: undefined },
      origin: 'curl lib/hostip.c failf("Could not resolve %s: %s", "proxy", …): the client settings name a proxy that does not resolve',
    },
    {
      lines: ['curl: (6) Could not resolve host: x.invalid (Domain name not found)'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_NONAME', host: 'x.invalid' },
      origin: 'curl 8.22 lib/vdns/asyn-base.c Curl_async_failed() with the c-ares detail (ares_strerror ARES_ENOTFOUND)',
    },
    {
      lines: ['curl: (6) Could not resolve host: api.internal (Timeout while contacting DNS servers)'],
      expect: { kind: 'dns-failure', errnoName: 'EAI_AGAIN', host: 'api.internal' },
      origin: 'curl 8.22 lib/vdns/asyn-base.c with the c-ares detail (ares_strerror ARES_ETIMEOUT)',
    },
    {
      lines: ['curl: (6) Could not resolve host: x.invalid'],
      expect: { kind: 'dns-failure', errnoName: undefined, host: 'x.invalid' },
      origin: 'curl threaded resolver (lib/vdns/asyn-thrdd.c): the same words for EAI_NONAME and EAI_AGAIN, so no errno name',
    },
    {
      lines: ['curl: (28) Connection timeout after 10001 ms'],
      expect: { kind: 'connect-timeout', errnoName: 'ETIMEDOUT' },
      origin: 'curl 8.5 lib/connect.c failf("Connection timeout after %" … " ms")',
    },
    {
      lines: ['curl: (28) Failed to connect to 10.255.255.1 port 80 after 130881 ms: Connection timed out'],
      expect: { kind: 'connect-timeout', host: '10.255.255.1', port: 80 },
      origin: 'curl 7.81 lib/connect.c failf("Failed to connect to %s port %u after …: %s") with ETIMEDOUT (CURLE_OPERATION_TIMEDOUT)',
    },
    {
      lines: ['curl: (60) SSL certificate problem: self-signed certificate in certificate chain'],
      expect: { kind: 'tls-error', cause: 'self-signed certificate in certificate chain' },
      origin: 'curl lib/vtls/openssl.c failf("SSL certificate problem: %s") with OpenSSL 3 X509_verify_cert_error_string (an intercepting proxy\'s CA)',
    },
    {
      lines: ['curl: (60) SSL certificate problem: unable to get local issuer certificate'],
      expect: { kind: 'tls-error', cause: 'unable to get local issuer certificate' },
      origin: 'curl lib/vtls/openssl.c with OpenSSL X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    },
    {
      lines: ['curl: (92) HTTP/2 stream 1 was not closed cleanly: INTERNAL_ERROR (err 2)'],
      expect: { kind: 'connection-error' },
      origin: 'curl lib/http2.c failf("HTTP/2 stream %u was not closed cleanly: %s (err %u)") (CURLE_HTTP2_STREAM)',
    },
    {
      lines: ['curl: (95) HTTP/3 stream 0 reset by server'],
      expect: { kind: 'connection-error', exception: 'curl (95)' },
      origin: 'curl 8.5 lib/vquic/curl_ngtcp2.c ("HTTP/3 stream %" PRId64 " reset by server", CURLE_HTTP3)',
    },
    {
      lines: ["curl: (97) Can't complete SOCKS5 connection to example.com. (4)"],
      expect: { kind: 'proxy-error', closedBy: 'proxy' },
      origin: 'curl 8.5 lib/socks.c ("Can\'t complete SOCKS5 connection to %s. (%d)", CURLE_PROXY): the SOCKS proxy answered "host unreachable"',
    },
    {
      lines: [
        '* Establish HTTP proxy tunnel to google.de:443',
        '> CONNECT google.de:443 HTTP/1.1',
        '> Host: google.de:443',
        '< HTTP/1.1 403 Forbidden',
        '* Received HTTP code 403 from proxy after CONNECT',
        '* CONNECT phase completed!',
        '* Closing connection 0',
        'curl: (56) Received HTTP code 403 from proxy after CONNECT',
      ],
      expect: { kind: 'proxy-error', closedBy: 'proxy', status: 403, line: 8 },
      origin: 'curl 7.69.1 -v, chobits/ngx_http_proxy_connect_module issue #173',
    },
    {
      lines: ['* Connected to example.com (93.184.216.34) port 80 (#0)', '> GET / HTTP/1.1', '< HTTP/1.1 200 OK'],
      expect: null,
      origin: 'an ordinary curl -v trace',
    },
  ],
};
