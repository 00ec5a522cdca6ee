import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { EvidenceCollector, type CollectorPartial } from '../../src/correlate/collect.js';
import type { LogFile } from '../../src/discover/discover.js';
import type { InputProblem } from '../../src/model/problem.js';
import { nginxAccessFormat, appAccessFormat } from '../../src/parse/access-log.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import type { FormatParser } from '../../src/parse/parser.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { pytestFormat } from '../../src/parse/pytest.js';
import { READ_BYTES } from '../../src/read/lines.js';
import { scanFile, type FastPaths } from '../../src/run/scan.js';
import { BUILT_IN_SIDES, FORMATS } from '../../src/parse/formats.js';
import { REPO, tempDir } from '../helpers.js';
import { access, accessLines, CI_PREFIXES, clientLines, done, errorLines, FAILURE, record, second } from './bulk-lines.js';

/**
 * The byte path (a parser reading a plain line from bytes before it is decoded, LineParser.bytes)
 * must leave the collector as the string path leaves it: same kept events, seconds of activity,
 * presence of failed paths, requests kept for joins, problems. Each file is read twice through the
 * same parser, once with its byte path and once without, and must also be read mostly by bytes
 * where it can be (else the comparison would hold for a byte path that declines everything).
 */

const INCIDENT = Date.UTC(2026, 10, 24, 21, 58, 50);
// With a failed path longer than a page of the compiled reader's memory (a generated URL): its table must hold it.
const FAILED = ['/api/fail', '/api/untimed', `/api/${'long'.repeat(40_000)}`];

/** The format without its parsers' byte path: every line goes the string way. */
function stringOnly(format: FormatParser): FormatParser {
  return {
    ...format,
    create(ctx) {
      const parser = format.create(ctx);
      return { line: (text, no, prefixTime) => parser.line(text, no, prefixTime), end: () => parser.end() };
    },
  };
}

/** The format as it is, counting the lines its byte path takes. */
function counting(format: FormatParser, count: { taken: number }): FormatParser {
  return {
    ...format,
    create(ctx) {
      const parser = format.create(ctx);
      const bytes = parser.bytes?.bind(parser);
      return {
        line: (text, no, prefixTime) => parser.line(text, no, prefixTime),
        end: () => parser.end(),
        bytes: bytes && ((buffer, start, end, no) => bytes(buffer, start, end, no) && ++count.taken > 0),
        releaseBytes: parser.releaseBytes?.bind(parser),
      };
    },
  };
}

/** The format as it is, counting the lines its runs (LineParser.run) take: all but the lines they stop at. */
function countingRuns(format: FormatParser, count: { taken: number }): FormatParser {
  return {
    ...format,
    create(ctx) {
      const parser = format.create(ctx);
      const run = parser.run?.bind(parser);
      return {
        line: (text, no, prefixTime) => parser.line(text, no, prefixTime),
        end: () => parser.end(),
        bytes: parser.bytes?.bind(parser),
        releaseBytes: parser.releaseBytes?.bind(parser),
        run:
          run &&
          ((buffer, end, limit, ascii, lineRun) => {
            const before = lineRun.no;
            run(buffer, end, limit, ascii, lineRun);
            count.taken += lineRun.no - before;
          }),
      };
    },
  };
}

/** What the fast paths took, in order (the path decoded, for the byte way's): the byte path must tell them the same. */
function telling(fast: FastPaths, told: unknown[]): FastPaths {
  return {
    ordinary: (line) => fast.ordinary!(line) && told.push(['request', line.source, line.time, line.zoneless, line.utcOffset, line.path, line.status]) > 0,
    ordinaryBytes: (line) => fast.ordinaryBytes!(line) && told.push(['request', line.source, line.time, line.zoneless, line.utcOffset, line.bytes.toString('latin1', line.pathStart, line.pathEnd), line.status]) > 0,
    unremarkable: (line) => fast.unremarkable!(line) && told.push(['unremarkable', line.source, line.kind, line.level, line.closedBy, line.time, line.zoneless]) > 0,
  };
}

/**
 * What a far-side collector (failed paths known, windows set, as analyze() reads the far side) keeps of one file;
 * with `clientSide`, what a collector of the client side keeps (no windows: the clocks' traffic sampled).
 */
async function collect(absolute: string, format: FormatParser, gzip = false, clientSide = false, { runs = false, failedPaths = true } = {}): Promise<{ partial: CollectorPartial; problems: InputProblem[]; told: unknown[] }> {
  const collector = new EvidenceCollector(BUILT_IN_SIDES);
  // On the client side too, the failed paths' presence shows which path a request line was read with
  // (without, as analyze() reads the client side, its runs take request lines too).
  if (clientSide) {
    if (failedPaths) collector.useFailedPaths(FAILED);
  } else {
    collector.useFailedPaths(FAILED);
    collector.useWindows({ windowMs: 10_000, clocks: [], incidents: [{ path: '/api/fail', time: INCIDENT }, { path: '/api/untimed', time: null }, { path: undefined, time: INCIDENT + 5000 }] });
  }
  const problems: InputProblem[] = [];
  const file: LogFile = { relative: path.basename(absolute), absolute, gzip, format };
  const told: unknown[] = [];
  // Runs tell the collector a run's lines at once: only what it kept is compared.
  const fast = runs ? collector.fastPaths() : telling(collector.fastPaths(), told);
  await scanFile(file, { onEvent: (event) => collector.add(event), onProblem: (problem) => problems.push(problem), fast, formats: FORMATS });
  return { partial: collector.partial(), problems, told };
}

/** Reads the file both ways; returns how many lines the byte path took. */
async function assertSameBothWays(absolute: string, format: FormatParser, gzip = false, clientSide = false): Promise<number> {
  const count = { taken: 0 };
  const byBytes = await collect(absolute, counting(format, count), gzip, clientSide);
  const byText = await collect(absolute, stringOnly(format), gzip, clientSide);
  assert.ok(byText.partial.sources.length > 0, `${absolute}: nothing collected`);
  assert.deepStrictEqual(byBytes, byText);
  return count.taken;
}

/** Reads the file with runs and with the string path only; returns how many lines the runs took. */
async function assertSameWithRuns(absolute: string, format: FormatParser, gzip: boolean, clientSide: boolean, failedPaths: boolean): Promise<number> {
  const count = { taken: 0 };
  const byRuns = await collect(absolute, countingRuns(format, count), gzip, clientSide, { runs: true, failedPaths });
  const byText = await collect(absolute, stringOnly(format), gzip, clientSide, { runs: true, failedPaths });
  assert.ok(byText.partial.sources.length > 0, `${absolute}: nothing collected`);
  assert.deepStrictEqual(byRuns, byText);
  return count.taken;
}


/**
 * The format's examples, and its sections with a frame's arguments naming another request
 * (requests' `method = …, url = …`, httpx's `<Request(…)>`): line() takes it before the test's call.
 */
function pytestSections(): string[] {
  const examples = pytestFormat.examples.flatMap((example) => example.lines);
  const section = pytestFormat.examples.find((example) => example.lines[0]!.includes('test_direct_reset'))!.lines;
  const withArgument = (argument: string) => [...section.slice(0, 3), argument, ...section.slice(3)];
  // A line before the test's own location: one line() counts as a location leaves the test's call unread (it reads it after the first location only).
  const counted = (line: string, k: number) => [
    `________________________________ test_counted_${k} ________________________________`,
    line,
    `tests/test_api.py:12: in test_counted_${k}`,
    `    requests.get('http://127.0.0.1:8080/api/counted/${k}')`,
    'E   requests.exceptions.ConnectionError: boom',
  ];
  return [
    ...examples,
    ...PYTEST_ODD.flatMap(counted),
    // urllib3's frame names the path only; line() reads any url in httpx's too.
    ...withArgument("    self = <urllib3.connectionpool.HTTPConnectionPool object at 0x7f3a>, method = 'POST', url = '/api/y'"),
    ...withArgument("    request = <Request('PUT', '/api/z')>"),
  ];
}

/** Every sample's pytest console, one session after another, as a CI job with several runs prints them. */
async function pytestConsoles(): Promise<string[]> {
  const samples = path.join(REPO, 'samples');
  const lines: string[] = [];
  for (const sample of (await readdir(samples)).sort()) {
    const file = path.join(samples, sample, 'pytest.log');
    if (existsSync(file)) lines.push(...(await readFile(file, 'utf8')).split('\n'));
  }
  return lines;
}

/** Lines a pytest byte path must leave to line(), or may pass over, placed outside and inside a failure's section. */
const PYTEST_ODD = [
  'tests/test_api.py::test_drop FAILED                                      [ 40%]',
  'tests/test_api.py::test_setup ERROR                                      [ 60%]',
  'tests/test_api.py::test_x\tFAILED',
  'tests/test_api.py::test_x[a FAILED b] PASSED',
  'tests/test_api.py::test_x FAILEDX',
  'tests/test_api.py::test_x ERRORS',
  'INTERNALERROR> ConnectionResetError: [Errno 104] Connection reset by peer',
  'tests/test_api.py::test_y PASSED',
  'INTERNALERROR> urllib3.exceptions.ProtocolError: one block or two',
  'curl: (56) Recv failure: Connection reset by peer',
  'curly',
  '2026-11-24 21:58:47 [    INFO] live log record',
  'INTERNALERROR> ConnectionResetError: [Errno 104] Connection reset by peer',
  '',
  'FAILED tests/test_api.py::test_drop - requests.exceptions.ConnectionError: boom',
  'ERROR tests/test_api.py::test_setup - requests.exceptions.ConnectionError: boom',
  '    r = requests.get(url, timeout=5)',
  "    self = <requests.adapters.HTTPAdapter object at 0x7f>, method = 'GET', url = 'http://127.0.0.1:8080/api/fail'",
  "    request = <Request('GET', 'http://127.0.0.1:8080/api/fail')>",
  "    requests.get('http://127.0.0.1:8080/api/fail')",
  '>       requests.get("http://127.0.0.1:8080/api/fail")',
  'DEBUG    urllib3.connectionpool:connectionpool.py:546 http://127.0.0.1:8080 "GET /api/fail HTTP/1.1" 200 17',
  'INFO     httpx:_client.py:1025 HTTP Request: GET http://127.0.0.1:8080/api/fail "HTTP/1.1 200 OK"',
  'E   requests.exceptions.ConnectionError: boom',
  'requests.exceptions.ConnectionError: boom',
  '-------------------------------- Captured log call --------------------------------',
  '_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _',
  // --tb=short's locations of library code, and what only looks like one (LOCATION: /^(\S+?\.py):\d+: ?(.*)$/).
  '/opt/hostedtoolcache/Python/3.11.7/x64/lib/python3.11/site-packages/urllib3/connectionpool.py:788: in urlopen',
  '/usr/lib/python3/x.py:12:in f',
  '/usr/lib/python3/x.py:12: requests.exceptions.ConnectionError: boom',
  '/usr/lib/python3/x.py:12: inner',
  '/x.pyz/a.py:1: in f',
  '/a.py:x/b.py:12: in f',
  '/a b.py:1: in f',
  '/a.py:: in f',
  '/a.py:12',
  '/a.py:12:',
  '/no/location/here',
  '/usr/lib/python3/x.py:12: in f\tg',
  // Python's chaining sentences, and column-0 lines that are (or may be) an exception's.
  'Traceback (most recent call last):',
  'During handling of the above exception, another exception occurred:',
  'The above exception was the direct cause of the following exception:',
  'assert 1 == 2',
  'AssertionError',
  'socket.timeout: timed out',
  'ConnectionResetError: [Errno 104] Connection reset by peer',
  'urllib3.exceptions.ProtocolError: Connection aborted.',
  'See http://127.0.0.1:8080/api/fail for more',
  "x url = '/api/fail'",
  'Abc\tdef',
  '>       raise ConnectionError(e, request=request)',
];

describe('the byte path', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const write = async (name: string, text: string | Buffer) => {
    const absolute = path.join(dir, name);
    await writeFile(absolute, text);
    return absolute;
  };

  it('collects from an access log what the string path collects, reading its bulk from bytes', async () => {
    const lines = accessLines();
    const taken = await assertSameBothWays(await write('access.log', lines.join('\n') + '\n'), nginxAccessFormat);
    assert.ok(taken > lines.length / 2, `the byte path took ${taken} of ${lines.length} lines`);
  });

  it('collects from an access log what the string path collects, reading its bulk in runs (compiled)', async () => {
    const lines = accessLines();
    const file = await write('access-runs.log', lines.join('\n') + '\n');
    // The far side: requests of failed paths near an incident kept for joins, the rest counted.
    const taken = await assertSameWithRuns(file, nginxAccessFormat, false, false, true);
    assert.ok(taken > lines.length / 2, `runs took ${taken} of ${lines.length} lines`);
    // The client side (the clocks' sample first), other line ends, gzipped, behind CI prefixes, http.server's zone-less stamps.
    await assertSameWithRuns(file, nginxAccessFormat, false, true, true);
    await assertSameWithRuns(await write('access-runs-crlf.log', lines.join('\r\n') + '\r\n'), nginxAccessFormat, false, false, true);
    assert.ok((await assertSameWithRuns(await write('access-runs.log.gz', gzipSync(lines.join('\n'))), nginxAccessFormat, true, false, true)) > lines.length / 2);
    for (const [name, prefix] of CI_PREFIXES) {
      const ci = lines.map((line, i) => prefix(i) + line);
      await assertSameWithRuns(await write(`access-runs-${name}.log`, ci.join('\n') + '\n'), nginxAccessFormat, false, false, true);
    }
    const zoneless = lines.map((line) => line.replace(/\[(\d\d\/\w{3}\/\d{4}):(\d\d:\d\d:\d\d) \+0000\]/, '[$1 $2]'));
    assert.ok((await assertSameWithRuns(await write('app-runs.log', zoneless.join('\n') + '\n'), appAccessFormat, false, false, true)) > lines.length / 2);
    // A failed path's requests far from its incident (a minute before): taken in runs too, the path's presence told.
    const early = Array.from({ length: 30 * 100 }, (_, i) => access(`24/Nov/2026:21:57:${String(Math.floor(i / 100)).padStart(2, '0')} +0000`, 'GET /api/fail HTTP/1.1', '200'));
    const far = await assertSameWithRuns(await write('access-runs-failed.log', early.join('\n') + '\n'), nginxAccessFormat, false, false, true);
    assert.ok(far > early.length * 0.9, `runs took ${far} of ${early.length} requests of a failed path`);
    // Then a few up to the incident's window and into it, from its first instant on, two a second (a
    // second's first line is read the JavaScript way, its stamp new): those in it are kept for the join.
    const edge = [...early, ...[38, 38, 39, 39, 40, 40, 41, 41].map((s) => access(`24/Nov/2026:21:58:${s} +0000`, 'GET /api/fail HTTP/1.1', '200'))];
    await assertSameWithRuns(await write('access-runs-edge.log', edge.join('\n') + '\n'), nginxAccessFormat, false, false, true);
    const { partial } = await collect(path.join(dir, 'access-runs-edge.log'), nginxAccessFormat, false, false, { runs: true });
    assert.deepEqual(
      partial.ordinary.map((event) => event.line),
      [3, 2, 1, 0].map((k) => edge.length - k),
    );
  });

  it('the same with CRLF line ends, gzip, no final newline, a line over the length limit', async () => {
    const lines = accessLines();
    assert.ok((await assertSameBothWays(await write('crlf.log', lines.join('\r\n') + '\r\n'), nginxAccessFormat)) > lines.length / 2);
    assert.ok((await assertSameBothWays(await write('access.log.gz', gzipSync(lines.join('\n'))), nginxAccessFormat, true)) > lines.length / 2);
    const long = [...lines.slice(0, 100), access(second(31), `GET /api/fail?q=${'y'.repeat(2 * 1024 * 1024)} HTTP/1.1`, '200'), ...lines.slice(100)];
    await assertSameBothWays(await write('long.log', long.join('\n')), nginxAccessFormat);
  });

  it('decodes a line beyond ASCII the string way, among lines read from bytes (invalid UTF-8 counted alike)', async () => {
    const lines = accessLines();
    const invalid = Buffer.from(access(second(50), 'GET /api/caf\xff HTTP/1.1', '200'), 'latin1');
    const text = Buffer.concat([Buffer.from(lines.slice(0, 3000).join('\n') + '\n'), invalid, Buffer.from('\n' + lines.slice(3000).join('\n') + '\n')]);
    const file = await write('invalid.log', text);
    assert.ok((await assertSameBothWays(file, nginxAccessFormat)) > lines.length / 2);
    assert.match((await collect(file, nginxAccessFormat)).problems.map((problem) => problem.message).join('\n'), /1 line\(s\) with invalid UTF-8/);
  });

  it('reads lines behind a CI prefix from bytes too, and leaves a docker compose prefix to the string path', async () => {
    const lines = accessLines();
    for (const [name, prefix] of CI_PREFIXES) {
      const ci = lines.map((line, i) => prefix(i) + line);
      assert.ok((await assertSameBothWays(await write(`${name}.log`, ci.join('\n') + '\n'), nginxAccessFormat)) > lines.length / 2, name);
    }
    const compose = lines.map((line, i) => (i % 2 === 0 ? `nginx-1  | ${line}` : line));
    await assertSameBothWays(await write('compose.log', compose.join('\n') + '\n'), nginxAccessFormat);
  });

  it("reads Python http.server's zone-less request log", async () => {
    const lines = accessLines().map((line) => line.replace(/\[(\d\d\/\w{3}\/\d{4}):(\d\d:\d\d:\d\d) \+0000\]/, '[$1 $2]'));
    assert.ok((await assertSameBothWays(await write('app.log', lines.join('\n') + '\n'), appAccessFormat)) > lines.length / 2);
  });

  it('collects from a DEBUG client log what the string path collects, reading its bulk from bytes once the clocks are sampled', async () => {
    const lines = clientLines();
    const file = await write('client.log', lines.join('\n') + '\n');
    const taken = await assertSameBothWays(file, pythonLoggingFormat, false, true);
    assert.ok(taken > lines.length / 2, `the byte path took ${taken} of ${lines.length} lines`);
    const { partial } = await collect(file, pythonLoggingFormat, false, true);
    assert.ok(partial.anchors.some((anchor) => anchor.pooled !== undefined), 'no failure on a pooled connection');
    assert.equal(partial.traffic.get('client')?.length, 20_000);
    // As the far side reads (a collector with windows samples nothing), and in other line ends.
    assert.ok((await assertSameBothWays(file, pythonLoggingFormat)) > lines.length / 2);
    assert.ok((await assertSameBothWays(await write('client-crlf.log', lines.join('\r\n')), pythonLoggingFormat, false, true)) > lines.length / 2);
    assert.ok((await assertSameBothWays(await write('client.log.gz', gzipSync(lines.join('\n'))), pythonLoggingFormat, true, true)) > lines.length / 2);
  });

  it('collects from a DEBUG client log what the string path collects, reading its bulk in runs (compiled) once the clocks are sampled', async () => {
    const lines = clientLines();
    const file = await write('client-runs.log', lines.join('\n') + '\n');
    // As analyze() reads the client side: no failed path known yet, so runs take request lines too.
    const taken = await assertSameWithRuns(file, pythonLoggingFormat, false, true, false);
    // Until the clocks' sample holds 20,000 requests, request lines are sampled the string way.
    let requests = 0;
    const sampled = lines.findIndex((line) => line.includes('"GET /api/items/') && ++requests === 20_000);
    const after = lines.length - sampled;
    assert.ok(taken > after * 0.9, `runs took ${taken} lines, of ${after} after the sample filled`);
    const { partial } = await collect(file, pythonLoggingFormat, false, true, { runs: true, failedPaths: false });
    assert.ok(partial.anchors.some((anchor) => anchor.pooled !== undefined), 'no failure on a pooled connection');
    // With failed paths known (runs then leave request lines to lineBytes), on the far side, in other line ends, gzipped.
    assert.ok((await assertSameWithRuns(file, pythonLoggingFormat, false, true, true)) > lines.length / 10);
    assert.ok((await assertSameWithRuns(file, pythonLoggingFormat, false, false, true)) > lines.length / 10);
    await assertSameWithRuns(await write('client-runs-crlf.log', lines.join('\r\n')), pythonLoggingFormat, false, true, false);
    assert.ok((await assertSameWithRuns(await write('client-runs.log.gz', gzipSync(lines.join('\n'))), pythonLoggingFormat, true, true, false)) > after * 0.9);
  });

  it("copies what it holds of a read before the next read overwrites it: a record continued there, a pool's last request", async () => {
    // A file is read READ_BYTES at a time into one buffer (read/lines.ts fileChunks).
    const size = (lines: string[]) => Buffer.byteLength(lines.join('\n') + '\n');
    // The clocks' sample first (20,000 requests, read the string way), then 127.0.0.1:9090's pool, whose last request is read before the failure that reports it.
    const lines: string[] = [];
    for (let k = 0; k < 20_000; k++) lines.push(record(1, 0, done(`GET /api/items/${k} HTTP/1.1`)));
    lines.push(record(1, 500, done('GET /api/other HTTP/1.1', '200', 'http://127.0.0.1:9090')));
    // A request record at the end of a read, its traceback at the start of the next: the record is held, as bytes, across the read.
    const held = record(2, 500, done('GET /api/fail HTTP/1.1', '200', 'http://127.0.0.1:7070'));
    const boundary = Math.ceil((size([...lines, held]) + 1000) / READ_BYTES) * READ_BYTES;
    for (let k = 0; size([...lines, held]) < boundary - 400; k++) lines.push(record(2, 0, done(`GET /api/items/${k} HTTP/1.1`)));
    const pad = record(2, 0, done('GET /api/items/ HTTP/1.1'));
    const room = boundary - size([...lines, held]) - 1;
    lines.push(pad.replace('/api/items/', `/api/items/${'x'.repeat(room - pad.length)}`), held);
    assert.equal(size(lines), boundary);
    lines.push(...FAILURE.slice(1), record(3, 0, 'request failed: POST http://127.0.0.1:9090/api/report', 'ERROR', 'tests.conftest'), ...FAILURE.slice(1));
    for (let k = 0; k < 5000; k++) lines.push(record(4, 0, done(`GET /api/items/${k} HTTP/1.1`)));
    const file = await write('client-reads.log', lines.join('\n') + '\n');
    // As the client side is read, by lineBytes and by runs, and as the far side is.
    const afterSample = lines.length - 20_000;
    assert.ok((await assertSameBothWays(file, pythonLoggingFormat, false, true)) > afterSample * 0.9);
    assert.ok((await assertSameWithRuns(file, pythonLoggingFormat, false, true, false)) > afterSample * 0.9);
    assert.ok((await assertSameBothWays(file, pythonLoggingFormat)) > lines.length / 2);
    const { partial } = await collect(file, pythonLoggingFormat, false, true, { runs: true, failedPaths: false });
    const heldNo = lines.indexOf(held) + 1;
    assert.ok(partial.anchors.some((anchor) => anchor.line > heldNo && anchor.line <= heldNo + 4 && anchor.port === 7070), 'the held record read whole');
    assert.ok(partial.anchors.some((anchor) => anchor.pooled?.since.excerpt.includes('127.0.0.1:9090 "GET /api/other') === true), "the pool's last request reported");
  });

  it('reads request lines from bytes on the client side once the clocks are sampled, a zone printed later sampled still', async () => {
    const zoneless = accessLines().map((line) => line.replace(/\[(\d\d\/\w{3}\/\d{4}):(\d\d:\d\d:\d\d) \+0000\]/, '[$1 $2]'));
    const lines = [...zoneless, ...zoneless, ...zoneless, ...zoneless, ...accessLines()];
    assert.ok((await assertSameBothWays(await write('app-client.log', lines.join('\n') + '\n'), appAccessFormat, false, true)) > lines.length / 10);
  });

  it("passes over a pytest console's progress lines and tracebacks from bytes, as the string path does, behind CI prefixes too", async () => {
    const sessions = await pytestConsoles();
    const section = sessions.findIndex((line) => line.startsWith('___'));
    const passed = Array.from({ length: 3000 }, (_, k) => `tests/test_items.py::test_get_item[${k}] PASSED${' '.repeat(28 - String(k).length)}[ ${String(Math.floor(k / 31)).padStart(2)}%]`);
    // The odd lines outside a section (among progress lines), in a section's traceback and in its captured output.
    const captured = sessions.findIndex((line) => line.startsWith('----') && line.includes('Captured'));
    assert.ok(section > 0 && captured > section, 'the samples hold a failure section with a captured log');
    const lines = [...passed.slice(0, 1500), ...PYTEST_ODD, ...passed.slice(1500), ...pytestSections(), ...sessions.slice(0, section + 2), ...PYTEST_ODD, ...sessions.slice(section + 2, captured + 1), ...PYTEST_ODD, ...sessions.slice(captured + 1), ...passed];
    for (const [name, prefix] of [['plain', () => ''] as const, ...CI_PREFIXES]) {
      const file = await write(`pytest-${name}.log`, lines.map((line, i) => prefix(i) + line).join('\n') + '\n');
      const taken = await assertSameBothWays(file, pytestFormat, false, true);
      assert.ok(taken > (name === 'mixed' ? lines.length / 3 : lines.length / 2), `${name}: the byte path took ${taken} of ${lines.length} lines`);
    }
    const { partial } = await collect(path.join(dir, 'pytest-github.log'), pytestFormat, false, true);
    assert.ok(partial.anchors.length > 10, `${partial.anchors.length} failures`);
  });

  it("passes over a pytest console's bulk in runs (compiled), as the string path does, behind every CI prefix", async () => {
    const sessions = await pytestConsoles();
    const passed = Array.from({ length: 3000 }, (_, k) => `tests/test_items.py::test_get_item[${k}] PASSED${' '.repeat(28 - String(k).length)}[ ${String(Math.floor(k / 31)).padStart(2)}%]`);
    const section = sessions.findIndex((line) => line.startsWith('___'));
    const captured = sessions.findIndex((line) => line.startsWith('----') && line.includes('Captured'));
    // Short lines and what only starts like a prefix, where prefixEnd reads past a line's end or declines.
    const short = ['A', 'Ab', 'Abc d', 'Abc 12345:x', 'ABC 1234567:', '2026', '2026-11-24T21:58:30', '[2026-11-24T21:58:30.1Z]x', 'x'];
    // A run must stop at lines only the string way reads whole: another step's curl error, a journald
    // prefix, colour codes (pytest --color=yes) before a failed test's outcome.
    // Their tests' summary lines follow: a progress line the run took would leave the failure untimed.
    const stops = [
      '2026-11-24 21:58:40 [    INFO] live log record',
      'curl: (7) Failed to connect to 127.0.0.1 port 8080 after 0 ms: Connection refused',
      'Nov 24 21:58:31 runner python[812]: tests/test_api.py::test_journal FAILED                 [ 40%]',
      'tests/test_api.py::test_colour \x1b[31mERROR\x1b[0m                               [ 60%]',
      ...passed.slice(0, 20),
      'FAILED tests/test_api.py::test_journal - requests.exceptions.ConnectionError: boom',
      'ERROR tests/test_api.py::test_colour - requests.exceptions.ConnectionError: boom',
    ];
    // A line longer than a read: its block, joined across reads, grows the reader's memory mid-file (its views are then new).
    const long = `tests/test_big.py::test_blob[${'x'.repeat(700_000)}] PASSED`;
    const lines = [...passed.slice(0, 1500), ...PYTEST_ODD, ...short, ...passed.slice(1500, 1600), ...stops, ...passed.slice(1600, 2000), long, ...passed.slice(2000), ...pytestSections(), ...sessions.slice(0, section + 2), ...PYTEST_ODD, ...short, ...sessions.slice(section + 2, captured + 1), ...PYTEST_ODD, ...short, ...sessions.slice(captured + 1), ...passed];
    for (const [name, prefix] of [['plain', () => ''] as const, ...CI_PREFIXES]) {
      const text = lines.map((line, i) => prefix(i) + line);
      const taken = await assertSameWithRuns(await write(`pytest-runs-${name}.log`, text.join('\n') + '\n'), pytestFormat, false, true, true);
      assert.ok(taken > (name === 'mixed' ? lines.length / 3 : lines.length / 2), `${name}: runs took ${taken} of ${lines.length} lines`);
      await assertSameWithRuns(await write(`pytest-runs-${name}-crlf.log`, text.join('\r\n')), pytestFormat, false, true, true);
    }
    assert.ok((await assertSameWithRuns(await write('pytest-runs.log.gz', gzipSync(lines.join('\n'))), pytestFormat, true, true, true)) > lines.length / 2);
  });

  it('collects from an nginx error log what the string path collects, reading its bulk from bytes', async () => {
    const lines = errorLines();
    const taken = await assertSameBothWays(await write('error.log', lines.join('\n') + '\n'), nginxErrorFormat);
    assert.ok(taken > lines.length / 2, `the byte path took ${taken} of ${lines.length} lines`);
    assert.ok((await assertSameBothWays(await write('error-crlf.log', lines.join('\r\n')), nginxErrorFormat)) > lines.length / 2);
  });

  it('collects from an nginx error log what the string path collects, reading its bulk in runs (compiled)', async () => {
    const lines = errorLines();
    const file = await write('error-runs.log', lines.join('\n') + '\n');
    // A second's first line, and a message's first in it, are read the JavaScript way: the rest in runs.
    for (const clientSide of [false, true]) {
      const taken = await assertSameWithRuns(file, nginxErrorFormat, false, clientSide, true);
      assert.ok(taken > lines.length * 0.9, `runs took ${taken} of ${lines.length} lines`);
    }
    await assertSameWithRuns(await write('error-runs-crlf.log', lines.join('\r\n')), nginxErrorFormat, false, false, true);
    assert.ok((await assertSameWithRuns(await write('error-runs.log.gz', gzipSync(lines.join('\n'))), nginxErrorFormat, true, false, true)) > lines.length * 0.9);
  });
});
