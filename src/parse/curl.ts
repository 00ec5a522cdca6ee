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
      lines: ['* Connected to example.com (93.184.216.34) port 80 (#0)', '> GET / HTTP/1.1', '< HTTP/1.1 200 OK'],
      expect: null,
      origin: 'an ordinary curl -v trace',
    },
  ],
};
