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
  ],
};
