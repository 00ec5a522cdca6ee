/**
 * The bulk of an access log, an nginx error log and a DEBUG client log, for the tests that read them two ways and
 * compare (byte-path, record-runs): busy seconds of ordinary lines, with the lines a fast path must
 * read exactly or leave alone among them; and CI prefixes to put before lines.
 */
import { nginxAccessFormat } from '../../src/parse/access-log.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';

export const second = (s: number) => `24/Nov/2026:21:58:${String(s % 60).padStart(2, '0')} +0000`;
/** nginx `combined` + `$request_time $upstream_response_time $upstream_status`, as the format's examples (LAB). */
export const access = (stamp: string, request: string, status: string, agent = 'python-requests/2.34.2', addr = '127.0.0.1') =>
  `${addr} - - [${stamp}] "${request}" ${status} 17 "-" "${agent}" 0.001 0.001 200`;

/** An access log's bulk, a busy second after another, with the lines a byte path must read exactly or leave alone among them. */
export function accessLines(): string[] {
  const odd = [
    ...nginxAccessFormat.examples.flatMap((example) => example.lines),
    access(second(50), 'GET /api/fail HTTP/1.1', '200'),
    access(second(50), 'GET /api/fail?page=2 HTTP/1.1', '200'),
    access(second(50), 'GET /api/untimed HTTP/1.1', '304'),
    access(second(50), 'GET /api/failure HTTP/1.1', '200'),
    access(second(50), 'GET /api/fai HTTP/1.1', '200'),
    access(second(50), 'GET /api/fail HTTP/1.1', '404'),
    access(second(50), 'GET /api/items HTTP/1.1', '499'),
    access(second(50), 'GET /api/items HTTP/1.1', '502'),
    access(second(50), 'GET /api/items HTTP/1.1', '444'),
    access(second(50), 'GET /api/items HTTP/1.1', '600'),
    access(second(50), 'GET /api/items HTTP/1.1', '2000'),
    access(second(50), 'GET /api/items HTTP/1.1', '20x'),
    access(second(50), 'GET /api/items HTTP/1.1', '-'),
    access(second(50), 'GET /api/fail b c HTTP/1.1', '200'),
    access(second(50), 'GET /api/fail', '200'),
    access(second(50), 'GET /api/"fail HTTP/1.1', '200'),
    access(second(50), 'GET" /api/fail HTTP/1.1', '200'),
    access(second(50), 'GET', '200'),
    access(second(50), '', '400'),
    access(second(50), 'GET  HTTP/1.1', '200'),
    access(second(50), `GET /api/items?q=${'x'.repeat(100_000)} HTTP/1.1`, '200'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', 'caf\u00e9-client/1.0'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', '\x1b[32mgreen\x1b[0m'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', 'nul\0byte'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', 'web-1  | not a prefix'),
    access(second(50), 'GET /api/fail HTTP/1.1\r', '200'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', 'bare CR\rhere'),
    access(second(50), 'GET /api/fail HTTP/1.1', '200', 'x', '::1'),
    access('24/Nov/2026:21:58:50 +0100', 'GET /api/fail HTTP/1.1', '200'),
    access('24/Nov/2026:21:58:50 -0530', 'GET /api/items HTTP/1.1', '200'),
    access('24/Nov/2026:21:58:50', 'GET /api/items HTTP/1.1', '200'),
    access('24/Xyz/2026:21:58:50 +0000', 'GET /api/items HTTP/1.1', '200'),
    access('24/Nov/2026:21:58:50 +9999', 'GET /api/items HTTP/1.1', '200'),
    access('24/Nov/2026:21:58:50 +0000] [x', 'GET /api/items HTTP/1.1', '200'),
    `127.0.0.1 - - [${second(50)}]`,
    `127.0.0.1 - - [${second(50)}] "GET /api/fail HTTP/1.1"`,
    `127.0.0.1 - - [${second(50)}] "GET /api/fail HTTP/1.1" 2`,
    `127.0.0.1 - - [${second(50)}] "GET /api/fail HTTP/1.1" 200`,
    `127.0.0.1 [${second(50)}] "GET /api/fail HTTP/1.1" 200`,
    `127.0.0.1 - - ${second(50)} "GET /api/fail HTTP/1.1" 200`,
    ` 127.0.0.1 - - [${second(50)}] "GET /api/fail HTTP/1.1" 200`,
    'not an access log line',
    '',
    '   ',
  ];
  const lines: string[] = [];
  for (let s = 0; s < 40; s++) {
    for (let k = 0; k < 150; k++) lines.push(access(second(30 + s), `GET /api/items/${k} HTTP/1.1`, k % 7 === 0 ? '304' : '200', 'k6/0.54.0 (https://k6.io/)', '10.1.0.23'));
    lines.push(access(second(30 + s), 'GET /api/fail HTTP/1.1', '200'), access(second(30 + s), 'GET /api/untimed?x=1 HTTP/1.1', '200'));
    if (s === 20) lines.push(...odd);
  }
  return lines;
}

const stampAt = (i: number) => `2026-11-24T21:58:${String(30 + (Math.floor(i / 160) % 30)).padStart(2, '0')}.${String(i % 10_000_000).padStart(7, '0')}Z`;
/** The prefixes CI systems put on a console's lines, for the `i`th line (ci-prefix.ts reads them), and what only looks like one. */
export const CI_PREFIXES: ReadonlyArray<readonly [string, (i: number) => string]> = [
  ['github', (i) => `${stampAt(i)} `],
  // GitLab with timestamps on: a stream marker after the stamp, '+' on a line continued.
  ['gitlab', (i) => `${stampAt(i)} ${(i % 256).toString(16).padStart(2, '0')}${i % 3 === 0 ? 'E' : 'O'}${i % 5 === 0 ? '+' : ''} `],
  ['jenkins', (i) => `[${stampAt(i).slice(0, 23)}${i % 2 === 0 ? 'Z' : '+01:00'}] `],
  ['mixed', (i) => [`${stampAt(i)} `, `${stampAt(i)} 00X `, `[${stampAt(i)}]`, `${stampAt(i).replace('T', ' ')} `, '', `${stampAt(i)} 0aO+`][i % 6]!],
];


/** An nginx error log's bulk (idle keep-alive closes at info level) with the lines a byte path must leave alone among them. */
export function errorLines(): string[] {
  const odd = [
    ...nginxErrorFormat.examples.flatMap((example) => example.lines),
    '2026/11/24 21:59:10 [notice] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [info] 3425#3425: client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [info] 3425#3425: *9',
    '2026/11/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection, client: 127.0.0.1, server: localhost, request: "GET /api/fail HTTP/1.1"',
    '2026/11/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection, or so',
    '2026/11/24 21:59:10 [inf] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [info] 3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [info] 3425#3425 *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10.123 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/13/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [debug] 3425#3425: *9 set http keepalive handler',
    '2026/11/24 21:59:10 [debug] 3425#3425: *9 close http connection: 12',
    '2026/11/24 21:59:10 [warn] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    '2026/11/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection \u00e9',
    '2026/11/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection\r',
    '2026-11-24T21:59:10.1234567Z 2026/11/24 21:59:10 [info] 3425#3425: *9 client 127.0.0.1 closed keepalive connection',
    // A failure naming no request, twice: its consumer keeps each, so no run may take the second.
    '2026/11/24 21:59:10 [error] 3425#3425: *10 recv() failed (104: Connection reset by peer)',
    '2026/11/24 21:59:10 [error] 3425#3425: *11 recv() failed (104: Connection reset by peer)',
    '2026/11/24 21:59:10 [info] 3425#3425: *12 client 127.0.0.1 closed keepalive connection',
    // The same message at another level of as many letters: counted at info, kept at warn.
    '2026/11/24 21:59:10 [info] 3425#3425: signal process started',
    '2026/11/24 21:59:10 [info] 3425#3425: signal process started',
    '2026/11/24 21:59:10 [warn] 3425#3425: signal process started',
    // A stamp out of the clock's range (before 1970): each line is read the string way.
    '1969/12/31 23:59:59 [info] 3425#3425: *13 client 127.0.0.1 closed keepalive connection',
    '1969/12/31 23:59:59 [info] 3425#3425: *14 client 127.0.0.1 closed keepalive connection',
    '1969/12/31 23:59:59 [info] 3425#3425: *15 client 127.0.0.1 closed keepalive connection',
    '',
  ];
  const lines: string[] = [];
  for (let s = 0; s < 40; s++) {
    for (let k = 0; k < 60; k++) lines.push(`2026/11/24 21:59:${String(s).padStart(2, '0')} [info] 3425#3425: *${s * 60 + k} client ${k % 3 === 0 ? '10.1.0.23' : '127.0.0.1'} closed keepalive connection`);
    if (s === 20) lines.push(...odd);
  }
  return lines;
}

/** A Python logging record (`%(asctime)s %(levelname)s %(name)s: %(message)s`, the format's example) `s` seconds and `ms` past 21:58:00. */
export const record = (s: number, ms: number, message: string, level = 'DEBUG', logger = 'urllib3.connectionpool') =>
  `${new Date(Date.UTC(2026, 10, 24, 21, 58, s)).toISOString().slice(0, 19).replace('T', ' ')},${String(ms).padStart(3, '0')} ${level} ${logger}: ${message}`;
/** urllib3 2.x's `_make_request` line (connectionpool.py): `http://127.0.0.1:8080 "GET /x HTTP/1.1" 200 17`. */
export const done = (request: string, status = '200', authority = 'http://127.0.0.1:8080', size = ' 17') => `${authority} "${request}" ${status}${size}`;
export const OPENED = 'Starting new HTTP connection (1): 127.0.0.1:8080';
/** A request that got no response, logged with its traceback (the format's example): it reports the pooled connection it reused. */
export const FAILURE = [
  'request failed: POST http://127.0.0.1:8080/api/report',
  'Traceback (most recent call last):',
  '  File "/usr/lib/python3.11/site-packages/requests/adapters.py", line 667, in send',
  '    resp = conn.urlopen(',
  "requests.exceptions.ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
];

/**
 * Odd records among a client log's bulk, at second `s`. Most are put between a line that leaves
 * 127.0.0.1:8080's pool opened (or reused) and a failure that reports its pooled connection, so that
 * what they did to the pool shows in the failure's `pooled`.
 */
export function oddRecords(s: number): string[] {
  const between = (before: string, message: string, level?: string, logger?: string) => [record(s, 0, before), record(s, 1, message, level, logger), record(s, 2, FAILURE[0]!, 'ERROR', 'tests.conftest'), ...FAILURE.slice(1)];
  const afterOpened = (message: string, level?: string, logger?: string) => between(OPENED, message, level, logger);
  const afterRequest = (message: string, level?: string, logger?: string) => between(done('GET /api/fail HTTP/1.1'), message, level, logger);
  return [
    ...pythonLoggingFormat.examples.flatMap((example) => example.lines),
    ...afterOpened(done('GET /api/fail HTTP/1.1')),
    ...afterOpened(done('POST /api/fail?x=1 HTTP/1.0', '503', 'https://127.0.0.1:8080', ' None')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '301', 'xhttp://127.0.0.1:8080', ' 0')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'ftp://127.0.0.1:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1:None')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://[::1]:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://[x:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1/x:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127"0:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1 x:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://:8080')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1:')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1:80x')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1:8080/x')),
    ...afterOpened(done('GET /api/fail HTTP/1.1').replace(':8080 "', ':8080x"')),
    ...afterOpened(done('GET /api/fail HTTP/1.1').replace(':8080 "', ':8080 x')),
    // No quote after the authority: what follows the line end must not be read as its request.
    ...afterOpened('http://127.0.0.1:8080'),
    'xx HTTP/1.1" 200 17',
    ...afterOpened(done('get /api/fail HTTP/1.1')),
    ...afterOpened(done('GET1 /api/fail HTTP/1.1')),
    ...afterOpened(done('GETx/api/fail HTTP/1.1')),
    ...afterOpened(done(' /api/fail HTTP/1.1')),
    ...afterOpened(done('GET  HTTP/1.1')),
    ...afterOpened(done('GET /api/\tfail HTTP/1.1')),
    ...afterOpened(done('GET /api/"fail HTTP/1.1')),
    ...afterOpened(done('GET /api/fail')),
    ...afterOpened(done('GET /api/fail HTTP/')),
    ...afterOpened(done('GET /api/fail HTTP/x')),
    ...afterOpened(done('GET /api/fail XTTP/1.1')),
    ...afterOpened(done('GET /api/fail HTTP/1.1').replace('" 200', '"x200')),
    ...afterOpened(done('GET /api/fail HTTP/1.1 x')),
    ...afterOpened(done('GET /api/fail HTTP/1.1').replace('1.1"', '1.1;')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '2:0')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '20')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200x')),
    ...afterOpened(done('GET /api/fail HTTP/1.1', '200', undefined, '')),
    ...afterOpened(`${done('GET /api/fail HTTP/1.1')} http://127.0.0.1:9090 "GET /x HTTP/1.1" 500 0`),
    ...afterOpened(`see http://docs "x" then ${done('GET /api/fail HTTP/1.1')}`),
    ...afterOpened(done('GET /api/fail HTTP/1.1'), 'DEBUG', 'Thread-1 (worker) urllib3.connectionpool'),
    ...afterOpened(done('GET /api/fail HTTP/1.1'), 'DEBUG', 'MainThread urllib3.connectionpool'),
    ...afterOpened(done('GET /api/caf\u00e9 HTTP/1.1')),
    ...afterOpened(done('GET /api/fail HTTP/1.1'), 'DEBUG\x1b[0m'),
    ...afterRequest(OPENED),
    ...afterRequest('Starting new HTTPS connection (2): 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTP connection (1): 127.0.0.1:8081'),
    ...afterRequest(`${OPENED} `),
    ...afterRequest('Starting new HTTP connection (1): ::1:8080'),
    ...afterRequest('Starting new HTTP connection (1): 127.0.0.1\tx:8080'),
    ...afterRequest('Starting new HTTP connection (1): :8080'),
    ...afterRequest('Starting new HTTP connection (x): 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTP connection (): 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTP connection (1): 127.0.0.1:'),
    ...afterRequest('Starting new HTTP connection (1): 127.0.0.1:80x'),
    ...afterRequest('Starting new HTTP connection (1) 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTP connection (1]: 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTP connections (1): 127.0.0.1:8080'),
    ...afterRequest('Starting new HTTPxconnection (1): 127.0.0.1:8080'),
    ...afterRequest(`"quoted" ${OPENED}`),
    ...afterRequest(`after connection broken by nothing; ${OPENED}`),
    ...afterRequest(`Starting new HTTP then ${OPENED}`),
    ...afterRequest('Resetting dropped connection: 127.0.0.1'),
    ...afterRequest(OPENED, 'WARNING'),
    ...afterRequest(OPENED, 'INFO', 'WARN.urllib3'),
    ...afterRequest(OPENED, 'LOG', 'DEBUGGER'),
    ...afterRequest(OPENED, 'LOG', 'xINFO'),
    ...afterRequest(OPENED, 'LOG', '_INFO'),
    ...afterRequest(OPENED, 'FATAL', 'x_ERROR'),
    ...afterRequest(OPENED, 'MainThread'),
    ...between('Starting new HTTP connection (1): 127.0.0.1:80', done('GET /api/fail HTTP/1.1')),
    // A connection opened after a request of its pool, then one of another pool, before a failure of the first: it reused none.
    record(s, 0, done('GET /api/fail HTTP/1.1')),
    record(s, 1, OPENED),
    record(s, 1, 'Starting new HTTP connection (1): 127.0.0.1:8081'),
    record(s, 2, FAILURE[0]!, 'ERROR', 'tests.conftest'),
    ...FAILURE.slice(1),
    // A traceback under a request or a connection opened: the record is read whole.
    record(s, 2, done('GET /api/fail HTTP/1.1')),
    'requests.exceptions.ConnectionError: a traceback under a request',
    record(s, 2, OPENED),
    'requests.exceptions.ConnectionError: a traceback under a connection opened',
    // Stamps: the second of the line before (read from bytes), and others.
    record(s, 3, OPENED),
    record(s, 4, OPENED).replace(',004', ''),
    record(s, 5, OPENED).replace(',005', ' 123'),
    record(s, 6, OPENED).replace(',006', '.047123'),
    record(s, 7, OPENED).replace(',007', ',4'),
    record(s, 8, OPENED).replace('2026-11-24 ', '2026-11-24T'),
    record(s, 9, OPENED).replace('2026-11-24', '2026-13-24'),
    record(s, 10, OPENED).replace('2026-11-24', '2026/11/24'),
    'requests.exceptions.ConnectionError: a traceback under a record',
    ' an indented line',
    '',
    'Traceback (most recent call last):',
    `[${record(s, 11, done('GET /api/items HTTP/1.1')).replace(',011', ',011]')}`,
    `DEBUG:urllib3.connectionpool:${done('GET /api/items HTTP/1.1')}`,
  ];
}

/**
 * A DEBUG client log's bulk (requests on a pooled connection, new connections) past the clocks'
 * sample (20,000 requests), with odd records before the sample is full and after.
 */
export function clientLines(): string[] {
  const lines = [' a line before the first record', '', ...oddRecords(0)];
  for (let s = 1; s < 170; s++) {
    for (let k = 0; k < 150; k++) {
      if (k % 5 === 0) lines.push(record(s, k * 6, OPENED));
      lines.push(record(s, k * 6 + 3, done(`GET /api/items/${k} HTTP/1.1`, k % 7 === 0 ? '304' : '200')));
    }
    if (s % 40 === 0) lines.push(...oddRecords(s));
  }
  // Times out of order within a second (threads, processes), past every other (the examples' 23:03:42): the latest is the client log's last record.
  const late = [100, 900, 200, 150, 120].map((ms) => record(4000, ms, done('GET /api/items HTTP/1.1')));
  return lines.concat(oddRecords(170), record(171, 0, done('GET /api/items HTTP/1.1')), late);
}

