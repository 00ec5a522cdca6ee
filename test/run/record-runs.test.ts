import assert from 'node:assert/strict';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { LogFile } from '../../src/discover/discover.js';
import type { InputProblem } from '../../src/model/problem.js';
import { appAccessFormat, nginxAccessFormat } from '../../src/parse/access-log.js';
import { nginxErrorFormat } from '../../src/parse/nginx-error.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { FORMATS } from '../../src/parse/formats.js';
import type { FormatParser, RecordSink } from '../../src/parse/parser.js';
import { eventEncoder } from '../../src/report/event-writer.js';
import { ChunkBuffer } from '../../src/report/output.js';
import { scanFile } from '../../src/run/scan.js';
import { tempDir } from '../helpers.js';
import { access, accessLines, CI_PREFIXES, clientLines, done, errorLines, FAILURE, record, second } from './bulk-lines.js';

/*
 * `whoreset events` has the bulk lines' records of an access log, an nginx error log and a DEBUG
 * client log written from their bytes by the compiled readers (ParseContext.records, core/records.ts). Each file is written both ways, and the bytes must
 * be those of its events written one by one, problems alike.
 */

type Format = 'json' | 'ndjson' | 'csv';

/** The events' bytes of a file, through chunks of `chunkBytes`; `records`: with the records' way, counting the records it wrote. */
async function written(file: LogFile, format: Format, records: boolean, chunkBytes: number) {
  const chunks: Buffer[] = [];
  const out = new ChunkBuffer((chunk) => chunks.push(Buffer.from(chunk)), () => Buffer.alloc(chunkBytes));
  const encoder = eventEncoder(format, out);
  let taken = 0;
  const sink: RecordSink | undefined = records ? encoder.records : undefined;
  const counting: RecordSink | undefined = sink && {
    program: (exemplar, lineFields, timeSlot) => sink.program(exemplar, lineFields, timeSlot),
    write(bytes) {
      // One line end a record: an excerpt's are escaped.
      for (const byte of bytes) if (byte === 10) taken++;
      sink.write(bytes);
    },
  };
  const problems: InputProblem[] = [];
  await scanFile(file, { onEvent: encoder.event, onProblem: (problem) => problems.push(problem), fast: counting && { records: counting }, formats: FORMATS });
  out.flush();
  return { bytes: Buffer.concat(chunks), problems, taken };
}

/** Writes the file both ways, in each format records are written in; returns how many records the records' way wrote (NDJSON). */
async function assertSameBothWays(file: LogFile, chunkBytes = 256 * 1024): Promise<number> {
  let taken = 0;
  for (const format of ['ndjson', 'json', 'csv'] as const) {
    const byRecords = await written(file, format, true, chunkBytes);
    const byEvents = await written(file, format, false, chunkBytes);
    assert.ok(byEvents.bytes.length > 0, `${file.relative}: nothing written`);
    if (!byRecords.bytes.equals(byEvents.bytes)) {
      const got = byRecords.bytes.toString('utf8').split('\n');
      const want = byEvents.bytes.toString('utf8').split('\n');
      const at = want.findIndex((line, i) => got[i] !== line);
      assert.fail(`${file.relative} (${format}): first difference at record ${at + 1}\n  got:  ${got[at]}\n  want: ${want[at]}`);
    }
    assert.deepEqual(byRecords.problems, byEvents.problems);
    if (format === 'ndjson') taken = byRecords.taken;
  }
  return taken;
}

/** Every ASCII byte but the line end, in a path (no space) and in a user agent (any), as a hostile log may hold them. */
const EVERY_BYTE = Array.from({ length: 127 }, (_, i) => String.fromCharCode(i + 1)).filter((c) => c !== '\n');

describe('records written from bytes (events)', () => {
  let dir: string;
  before(async () => {
    dir = await tempDir();
  });
  after(() => rm(dir, { recursive: true, force: true }));

  const file = async (name: string, text: string | Buffer, format: FormatParser = nginxAccessFormat, relative = name): Promise<LogFile> => {
    const absolute = path.join(dir, name);
    await writeFile(absolute, text);
    return { relative, absolute, gzip: name.endsWith('.gz'), format };
  };

  /** A log's bulk written both ways as it is, gzipped, with CRLF line ends and in small chunks: records of over half its lines, but CRLF's. */
  const assertBulkBothWays = async (name: string, lines: readonly string[], format: FormatParser) => {
    const text = lines.join('\n') + '\n';
    for (const taken of [await assertSameBothWays(await file(`${name}.log`, text, format)), await assertSameBothWays(await file(`${name}.log.gz`, gzipSync(text), format))]) {
      assert.ok(taken > lines.length / 2, `${name}: records of ${taken} of ${lines.length} lines`);
    }
    // A CR stops a run (LineRunHandler's limit): a CRLF log's lines all go the usual way.
    await assertSameBothWays(await file(`${name}-crlf.log`, lines.join('\r\n'), format));
    await assertSameBothWays(await file(`${name}-small-chunks.log`, text, format), 1000);
  };

  it('writes the bytes of the events of an access log, its bulk from bytes', async () => {
    await assertBulkBothWays('access', accessLines(), nginxAccessFormat);
  });

  it('the same behind CI prefixes and with zone-less stamps', async () => {
    const lines = accessLines();
    for (const [name, prefix] of CI_PREFIXES) await assertSameBothWays(await file(`ci-${name}.log`, lines.map((line, i) => prefix(i) + line).join('\n') + '\n'));
    const zoneless = lines.map((line) => line.replace(/\[(\d\d\/\w{3}\/\d{4}):(\d\d:\d\d:\d\d) \+0000\]/, '[$1 $2]'));
    assert.ok((await assertSameBothWays(await file('app.log', zoneless.join('\n') + '\n', appAccessFormat))) > lines.length / 2);
  });

  it('escapes every ASCII byte as JSON.stringify does, in the path, the user agent and the file name', async () => {
    const path = `/x?${EVERY_BYTE.filter((c) => c !== ' ' && c !== '"').join('')}`;
    const agent = EVERY_BYTE.join('');
    const lines = Array.from({ length: 50 }, (_, k) => (k % 2 === 0 ? access(second(31), `GET ${path}${k} HTTP/1.1`, '200') : access(second(31), `GET /${k} HTTP/1.1`, '200', agent)));
    const first = access(second(31), 'GET / HTTP/1.1', '200');
    const name = 'logs/"quoted" \\ caf\u00e9 \t\u2028 \ud83d\ude00.log';
    // A line holding a CR or an ESC goes the usual way; the others are records, but a stamp's first line.
    assert.equal(await assertSameBothWays(await file('bytes.log', [first, ...lines].join('\n') + '\n', nginxAccessFormat, name)), 0);
    const clean = lines.map((line) => line.replace(/[\r\x1b]/g, ''));
    assert.ok(clean.every((line) => line.length <= 300));
    assert.equal(await assertSameBothWays(await file('clean-bytes.log', [first, ...clean].join('\n') + '\n', nginxAccessFormat, name)), 50);
  });

  it('leaves a line to the usual way where its record is not the line whole: over 300 chars, space at an end', async () => {
    const at = (length: number) => {
      const line = access(second(32), 'GET /p HTTP/1.1', '200');
      return line.replace('"python-requests/2.34.2"', `"${'a'.repeat(length - line.length + 22)}"`);
    };
    const lines = [access(second(32), 'GET / HTTP/1.1', '200'), at(299), at(300), at(301), at(400), `${at(120)} `, `${at(120)}\t`, `${at(120)}\x0b`, at(120)];
    assert.deepEqual(lines.slice(1, 4).map((line) => line.length), [299, 300, 301]);
    assert.equal(await assertSameBothWays(await file('lengths.log', lines.join('\n') + '\n')), 3);
  });

  it('writes a busy second whose records fill the room of one call many times over', async () => {
    const lines = Array.from({ length: 3000 }, (_, k) => access(second(33), `GET /api/items/${k}?q=${'"\\'.repeat(20)} HTTP/1.1`, '200'));
    assert.equal(await assertSameBothWays(await file('busy.log', lines.join('\n') + '\n')), lines.length - 1);
  });

  it('writes the bytes of the events of an nginx error log, its bulk from bytes', async () => {
    await assertBulkBothWays('error', errorLines(), nginxErrorFormat);
  });

  it("writes an error log's failures, escapes and lines without a connection as their events", async () => {
    const at = (s: number, rest: string) => `2026/11/24 21:59:${String(s).padStart(2, '0')} ${rest}`;
    const lines = [
      // An errno, its name and a phase from the message; the second and third of a second are records.
      ...[1, 2, 3].map((k) => at(1, `[error] 3425#3425: *${k} recv() failed (104: Connection reset by peer) while reading response header from upstream`)),
      ...[4, 5, 6].map((k) => at(1, `[alert] 3425#3425: *${k} 1024 worker_connections are not enough`)),
      ...[1, 2, 3].map(() => at(2, '[notice] 3425#3425: signal process started')),
      ...[7, 8, 9].map((k) => at(2, `[info] 3425#3425: *${k} odd "quoted" \\ back\ttab\x01 message`)),
      ...[10, 11].map((k) => at(2, `[info] 3425#3425: *${k} odd "quoted" \\ back\ttab\x01 message `)),
      ...['*', '*12', '*13', '* x', '*14 ', '*15 '].map((conn) => at(3, `[info] 3425#3425: ${conn}`)),
    ];
    const taken = await assertSameBothWays(await file('error-odd.log', lines.join('\n') + '\n', nginxErrorFormat, 'logs/"e" caf\u00e9.log'));
    assert.ok(taken >= 8, `records of ${taken} lines`);
  });

  it('writes the bytes of the events of a DEBUG client log, its bulk from bytes', async () => {
    const lines = clientLines();
    await assertBulkBothWays('client', lines, pythonLoggingFormat);
    for (const [name, prefix] of CI_PREFIXES) await assertSameBothWays(await file(`client-ci-${name}.log`, lines.map((line, i) => prefix(i) + line).join('\n') + '\n', pythonLoggingFormat));
  });

  it("writes a client log's records of every level, odd ports, times and escapes, and those a traceback follows, as their events", async () => {
    const lines: string[] = [];
    for (let s = 1; s < 4; s++) {
      for (const level of ['DEBUG', 'INFO', 'WARNING', 'ERROR']) {
        for (let k = 0; k < 3; k++) lines.push(record(s, k * 7, done(`GET /p/${k}?q="a\\b"\tc HTTP/1.1`, String(100 + 100 * k)), level));
        lines.push(record(s, 30, 'Starting new HTTP connection (1): 127.0.0.1:8080', level), record(s, 31, 'Starting new HTTP connection (1): 127.0.0.1:8080', level));
      }
      for (const authority of ['http://h:0', 'http://h:08080', 'http://h:65535', 'http://h:65536', 'http://h:123456', 'https://h:None', 'http://[::1]:80']) {
        lines.push(record(s, 40, done('GET /a HTTP/1.1', '200', authority)), record(s, 41, done('GET /a HTTP/1.1', '200', authority)));
      }
      lines.push(record(s, 50, done('GET /a HTTP/1.1', '099')), record(s, 51, done('GET /a HTTP/1.1', '000')), record(s, 52, done('GET /a HTTP/1.1', '503')));
      // A record a traceback follows, among those the run writes.
      lines.push(record(s, 60, done('GET /api/fail HTTP/1.1')), ...FAILURE.slice(1), record(s, 61, done('GET /a HTTP/1.1')));
    }
    // Milliseconds of one and two digits, a dot, six digits, none: the run writes only three digits' times.
    const stamp = '2026-11-24 21:58:05';
    for (const fraction of [',5', ',05', '.005', ',005123', '', ',005', ',006']) lines.push(`${stamp}${fraction} DEBUG urllib3.connectionpool: ${done('GET /t HTTP/1.1')}`);
    const taken = await assertSameBothWays(await file('client-odd.log', lines.join('\n') + '\n', pythonLoggingFormat, 'logs/"c" caf\u00e9.log'));
    // Each kind and level learns its program from its first record, which the usual way writes.
    assert.ok(taken > lines.length / 8, `records of ${taken} of ${lines.length} lines`);
  });

  it('writes CSV cells as csvCell does: formula starts quoted away, commas and quotes in quotes', async () => {
    const lines = [access(second(34), 'GET / HTTP/1.1', '200')];
    for (const addr of ['=1+1', '+x', '-x', '@x', 'a,b', 'a"b', '1.2.3.4']) lines.push(access(second(34), 'GET /p,q HTTP/1.1', '200', '=cmd', addr));
    for (const request of ['GET /a,"b" HTTP/1.1', '-X /p HTTP/1.1', '=X /p HTTP/1.1', 'GET -p HTTP/1.1']) lines.push(access(second(34), request, '200'));
    assert.ok((await assertSameBothWays(await file('csv.log', lines.join('\n') + '\n', nginxAccessFormat, '=logs/a,b "c".log'))) > 8);
    const client = ['http://=h:80', 'http://-h:80', 'http://h,i:80', 'http://h:80'].flatMap((authority, k) => [1, 2].map((n) => record(5, k * 10 + n, done(`GET /a,"b"${n} HTTP/1.1`, '200', authority))));
    assert.ok((await assertSameBothWays(await file('csv-client.log', client.join('\n') + '\n', pythonLoggingFormat, '-client.log'))) > 2);
  });
});
