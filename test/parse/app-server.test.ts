import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bestFormat } from '../../src/discover/detect.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { appServerFormat, startsRecord } from '../../src/parse/app-server.js';
import { FORMATS } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const parse = (lines: string[]) => parseLines(appServerFormat, lines, 'app/server.log').events;
const detected = (lines: string[], name = 'output.log') => bestFormat(lines, name, FORMATS)?.format.source;

// gunicorn 23 with --access-logfile - --error-logfile - into one stream, as a CI job captures it.
const GUNICORN = [
  '[2026-11-24 23:03:11 +0000] [41] [INFO] Starting gunicorn 23.0.0',
  '[2026-11-24 23:03:11 +0000] [41] [INFO] Listening at: http://127.0.0.1:8000 (41)',
  '[2026-11-24 23:03:11 +0000] [41] [INFO] Using worker: sync',
  '[2026-11-24 23:03:11 +0000] [42] [INFO] Booting worker with pid: 42',
  '127.0.0.1 - - [24/Nov/2026:23:03:12 +0000] "GET /api/items?page=2 HTTP/1.1" 200 17 "-" "python-requests/2.32.3"',
  '[2026-11-24 23:03:43 +0000] [41] [CRITICAL] WORKER TIMEOUT (pid:42)',
  '[2026-11-24 23:03:43 +0000] [41] [ERROR] Worker (pid:42) was sent SIGKILL! Perhaps out of memory?',
  '[2026-11-24 23:03:43 +0000] [77] [INFO] Booting worker with pid: 77',
  '[2026-11-24 23:04:00 +0000] [41] [INFO] Handling signal: term',
  '[2026-11-24 23:04:00 +0000] [77] [INFO] Worker exiting (pid: 77)',
  '[2026-11-24 23:04:00 +0000] [41] [INFO] Worker (pid:77) was sent SIGTERM!',
  '[2026-11-24 23:04:00 +0000] [41] [INFO] Shutting down: Master',
];

// uvicorn 0.35 defaults (no time), with an exception the app raised after it began to answer.
const UVICORN = [
  'INFO:     Started server process [2301]',
  'INFO:     Waiting for application startup.',
  'INFO:     Application startup complete.',
  'INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)',
  'INFO:     127.0.0.1:51234 - "POST /api/report HTTP/1.1" 200 OK',
  'ERROR:    Exception in ASGI application',
  'Traceback (most recent call last):',
  '  File "/app/.venv/lib/python3.12/site-packages/uvicorn/protocols/http/h11_impl.py", line 403, in run_asgi',
  '    result = await app(  # type: ignore[func-returns-value]',
  '  File "/app/main.py", line 12, in report',
  '    raise RuntimeError("disk full")',
  'RuntimeError: disk full',
  'ERROR:    ASGI callable returned without completing response.',
  'WARNING:  Invalid HTTP request received.',
  'INFO:     Shutting down',
];

describe('application server log: detection', () => {
  it('claims the logs of server processes by what they print, whatever the file is called', () => {
    assert.equal(detected(GUNICORN, 'output.txt'), 'app');
    assert.equal(detected(UVICORN, 'stderr'), 'app');
    assert.equal(detected(['WARNING:waitress.queue:Task queue depth is 1', 'INFO:waitress:Serving on http://0.0.0.0:8080'], 'run.log'), 'app');
    assert.equal(detected(['2022/04/13 10:19:11 http: TLS handshake error from 10.244.0.1:13219: EOF'], 'x.log'), 'app');
    assert.equal(
      detected(['Error: aborted', '    at connResetException (node:internal/errors:720:14)', '    at abortIncoming (node:_http_server:754:17)', "  code: 'ECONNRESET'", '}']),
      'app',
    );
  });

  it('leaves every bundled client log to the client parser', async () => {
    const samples = path.join(REPO, 'samples');
    const dirs = (await readdir(samples, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    let checked = 0;
    for (const dir of dirs) {
      const file = path.join(samples, dir, 'client.log');
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const lines = text.split('\n').filter((l) => l.trim() !== '').slice(0, 100);
      assert.equal(appServerFormat.detect(lines, 'client.log'), 0, `${dir}/client.log`);
      assert.equal(detected(lines, 'client.log'), 'client', `${dir}/client.log`);
      checked++;
    }
    assert.ok(checked >= 10, `only ${checked} client logs found`);
  });

  it('does not claim a marker it cannot read (a syslog line around uvicorn)', () => {
    assert.equal(appServerFormat.detect(['Jun 03 14:17:32 host python3[10366]: INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)'], 'syslog'), 0);
  });
});

describe('application server log: events', () => {
  it('reads gunicorn: the killed worker by its pid, the access line, the stop as a reload', () => {
    const events = parse(GUNICORN).filter((e) => e.kind !== 'other');
    assert.deepEqual(
      events.map((e) => [e.line, e.kind, e.pid, e.closedBy]),
      [
        [5, 'request', undefined, undefined],
        [6, 'worker-crash', 42, 'server'],
        [7, 'worker-crash', 42, 'server'],
        [9, 'reload', 41, 'server'],
        [12, 'reload', 41, 'server'],
      ],
    );
    const request = events[0]!;
    assert.deepEqual([request.method, request.path, request.status, request.clientAddr, request.time, request.timeQuality], ['GET', '/api/items', 200, '127.0.0.1', Date.UTC(2026, 10, 24, 23, 3, 12), 'exact']);
    assert.equal(events[1]!.utcOffset, 0);
  });

  it('folds a traceback into the record above it, and reads uvicorn without stamps', () => {
    const events = parse(UVICORN).filter((e) => e.kind !== 'other');
    assert.deepEqual(
      events.map((e) => [e.line, e.kind, e.exception, e.closedBy]),
      [
        [5, 'request', undefined, undefined],
        [6, 'server-error', 'RuntimeError', undefined],
        [13, 'server-closed', undefined, 'server'],
        [14, 'bad-request', undefined, undefined],
        [15, 'reload', undefined, 'server'],
      ],
    );
    assert.deepEqual([events[0]!.clientAddr, events[0]!.clientPort, events[0]!.time], ['127.0.0.1', 51234, null]);
  });

  it('tells a client that left from an outbound call of the app that failed', () => {
    const [left, outbound] = parse([
      '[2026-11-24 23:03:43 +0000] [42] [ERROR] Error handling request /api/export',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.11/site-packages/gunicorn/workers/sync.py", line 178, in handle_request',
      '    resp.write(item)',
      '  File "/usr/lib/python3.11/site-packages/gunicorn/http/wsgi.py", line 346, in write',
      '    util.write(self.sock, arg, self.chunked)',
      'BrokenPipeError: [Errno 32] Broken pipe',
      '[2026-11-24 23:03:44 +0000] [42] [ERROR] Error handling request POST /api/report',
      'Traceback (most recent call last):',
      '  File "/usr/lib/python3.11/site-packages/urllib3/connectionpool.py", line 793, in urlopen',
      '    response = self._make_request(',
      "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
    ]);
    assert.deepEqual([left!.kind, left!.closedBy, left!.errno, left!.errnoName, left!.path, left!.exception, left!.pid], ['client-closed', 'client', 32, 'EPIPE', '/api/export', 'BrokenPipeError', 42]);
    assert.deepEqual([outbound!.kind, outbound!.method, outbound!.path, outbound!.closedBy], ['server-error', 'POST', '/api/report', undefined]);
  });

  it('reads werkzeug through logging, Go write errors and a Node crash printed whole', () => {
    const events: ConnectionEvent[] = parse([
      'INFO:werkzeug:127.0.0.1 - - [24/Nov/2026 06:40:01] "POST /api/report HTTP/1.1" 500 -',
      '2026/11/24 06:40:02 write tcp 127.0.0.1:8080->127.0.0.1:51234: write: broken pipe',
      '2026/11/24 06:40:03 http: Accept error: accept tcp [::]:8080: accept4: too many open files; retrying in 5ms',
    ]);
    // Node prints an uncaught error with no stamp: a record of its own (folded under no header).
    events.push(...parse([
      'node:internal/errors:642',
      '  const ex = new Error(msg);',
      '             ^',
      '',
      'Error: aborted',
      '    at connResetException (node:internal/errors:642:14)',
      '    at abortIncoming (node:_http_server:597:25)',
      "  code: 'ECONNRESET'",
      '}',
      'Node.js v20.20.2',
    ]));
    assert.deepEqual(
      events.map((e) => [e.kind, e.clientAddr, e.clientPort, e.errnoName, e.zoneless]),
      [
        ['server-error', '127.0.0.1', undefined, undefined, true],
        ['client-closed', '127.0.0.1', 51234, 'EPIPE', true],
        ['fd-exhausted', undefined, undefined, 'EMFILE', true],
        ['client-closed', undefined, undefined, 'ECONNRESET', undefined],
      ],
    );
    assert.equal(events[0]!.time, Date.UTC(2026, 10, 24, 6, 40, 1));
    assert.equal(events[3]!.excerpt, 'Error: aborted');
  });

  it('offers request lines to the fast path, and gives the same events cut at any record start', () => {
    const taken: string[] = [];
    const parser = appServerFormat.create({
      file: 'x',
      emit: () => {},
      problem: () => {},
      ordinary: ({ source, zoneless, utcOffset, method, path: p, status }) => {
        taken.push(`${source} ${zoneless} ${utcOffset} ${method} ${p} ${status}`);
        return true;
      },
    });
    GUNICORN.forEach((line, i) => parser.line(line, i + 1, undefined));
    parser.end();
    assert.deepEqual(taken, ['app false undefined GET /api/items 200']);

    const lines = [...GUNICORN, ...UVICORN];
    const whole = parse(lines);
    const cuts = lines.map((l, i) => (i > 0 && startsRecord(l) ? i : -1)).filter((i) => i > 0);
    assert.ok(cuts.length > 10);
    for (const cut of cuts) {
      const head = parseLines(appServerFormat, lines.slice(0, cut), 'app/server.log').events;
      const tail = parseLines(appServerFormat, lines.slice(cut), 'app/server.log').events.map((e) => ({ ...e, line: e.line + cut, id: `app/server.log:${e.line + cut}` }));
      assert.deepEqual(strip([...head, ...tail]), strip(whole), `cut before line ${cut + 1}`);
    }
  });
});

function strip(events: ConnectionEvent[]): unknown[] {
  return events.map(({ id, kind, line, time }) => ({ id, kind, line, time }));
}

describe('application server log: end to end', () => {
  it('joins the app log\'s worker kill to the client\'s reset of POST /api/report', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'app'));
    await writeFile(
      path.join(dir, 'pytest.log'),
      [
        '============================= test session starts ==============================',
        'collected 3 items',
        '',
        'tests/test_report.py ..F                                                 [100%]',
        '',
        '=================================== FAILURES ===================================',
        '______________________________ test_post_report ________________________________',
        '',
        '    def test_post_report(api):',
        '>       r = api.post(BASE + "/api/report", json={"ok": True}, timeout=10)',
        '',
        "E       requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
        '',
        '/usr/lib/python3.11/site-packages/requests/adapters.py:682: ConnectionError',
        '=========================== short test summary info ============================',
        "FAILED tests/test_report.py::test_post_report - requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
        '========================= 1 failed, 2 passed in 31.20s =========================',
        '',
      ].join('\n'),
    );
    await writeFile(
      path.join(dir, 'client.log'),
      [
        '2026-11-24 23:03:12,105 DEBUG urllib3.connectionpool: http://127.0.0.1:8000 "GET /api/items HTTP/1.1" 200 17',
        '2026-11-24 23:03:43,402 ERROR tests.conftest: request failed: POST http://127.0.0.1:8000/api/report',
        'Traceback (most recent call last):',
        '  File "/usr/lib/python3.11/site-packages/requests/adapters.py", line 667, in send',
        "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
        '',
      ].join('\n'),
    );
    await writeFile(path.join(dir, 'app', 'stderr.txt'), GUNICORN.join('\n') + '\n');
    const result = await runCli([dir, '--format', 'json']);
    assert.ok(result.code === 0 || result.code === 1, result.stderr);
    const out = JSON.parse(result.stdout) as {
      incidents: Array<{ method: string | null; evidence: Array<{ file: string; source: string; kind: string }> }>;
      files: Array<{ file: string; format: string }>;
    };
    assert.deepEqual(out.files.find((f) => f.file === 'app/stderr.txt'), { file: 'app/stderr.txt', format: 'app' });
    const incident = out.incidents.find((i) => i.method === 'POST');
    assert.ok(incident, JSON.stringify(out.incidents));
    const fromApp = incident.evidence.filter((e) => e.source === 'app').map((e) => `${e.file} ${e.kind}`);
    assert.ok(fromApp.includes('app/stderr.txt worker-crash'), JSON.stringify(incident.evidence));
  });
});
