/**
 * The bulk of an access log and of an nginx error log, for the tests that read them two ways and
 * compare (byte-path, record-runs): busy seconds of ordinary lines, with the lines a fast path must
 * read exactly or leave alone among them; and CI prefixes to put before lines.
 */
import { nginxAccessFormat } from '../../src/parse/access-log.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';

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
