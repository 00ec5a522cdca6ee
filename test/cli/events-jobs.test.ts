import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { discover } from '../../src/discover/discover.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { FORMATS } from '../../src/parse/formats.js';
import { scanFiles } from '../../src/run/scan.js';
import { csvRow } from '../../src/report/csv.js';
import { EVENT_CSV_COLUMNS, eventCsvCells, eventRecord } from '../../src/report/event-record.js';
import { SCHEMA_VERSION } from '../../src/report/schema-version.js';
import { CLI, REPO, runCli, tempDir, type CliResult } from '../helpers.js';

const FORMATS_STREAMED = ['ndjson', 'csv', 'json'] as const;

/** The CLI with extra environment (the split threshold). */
async function runWithEnv(args: string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** What `events` wrote before it was parallel: every event read in the main thread, one JSON.stringify or csvRow each. */
async function reference(dir: string, format: (typeof FORMATS_STREAMED)[number]): Promise<string> {
  const found = await discover(dir, { include: [], exclude: [] }, FORMATS);
  const events: ConnectionEvent[] = [];
  await scanFiles(found.files, { onEvent: (event) => events.push(event), onProblem: () => {}, formats: FORMATS });
  if (format === 'ndjson') return events.map((event) => JSON.stringify(eventRecord(event)) + '\n').join('');
  if (format === 'csv') return csvRow(EVENT_CSV_COLUMNS) + events.map((event) => csvRow(eventCsvCells(event, undefined))).join('');
  return `{"schemaVersion":"${SCHEMA_VERSION}","events":[` + events.map((event) => '\n' + JSON.stringify(eventRecord(event))).join(',') + '\n]}\n';
}

/** `--jobs` changes who reads which file, never what comes out: stdout, stderr and exit code. */
async function assertSameWithJobs(dir: string, extra: string[] = [], env?: Record<string, string>, formats: readonly string[] = FORMATS_STREAMED): Promise<void> {
  for (const format of formats) {
    const args = ['events', dir, '--format', format, ...extra];
    const one = await runCli([...args, '--jobs', '1']);
    // Workers even for a small directory (a job this small is otherwise read in this thread alone).
    const four = await runWithEnv([...args, '--jobs', '4'], { WHORESET_PARALLEL_MIN_BYTES: '1', ...env });
    assert.equal(one.code, 0, one.stderr);
    assert.ok(one.stdout.length > 100, `${dir} ${format}: some events`);
    assert.equal(four.code, one.code);
    assert.equal(four.stderr, one.stderr, `${dir} ${format}: stderr of --jobs 4 differs`);
    assert.ok(four.stdout === one.stdout, `${dir} ${format} ${extra.join(' ')}: --jobs 4 differs from --jobs 1`);
  }
}

describe('whoreset events --jobs', () => {
  let generated = '';
  before(async () => {
    generated = await tempDir();
    await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), generated, '5']);
    // Invalid UTF-8 in two places of the access log: one warning for the file, summed over its ranges.
    const access = path.join(generated, 'nginx/access.log');
    const text = await readFile(access);
    const bad = Buffer.from('10.0.0.9 - - [24/Nov/2026:06:00:01 +0000] "GET /caf\xff HTTP/1.1" 200 1 "-" "-" 0.001 0.001 200\n', 'latin1');
    const middle = text.indexOf(10, text.length >> 1) + 1;
    await writeFile(access, Buffer.concat([text.subarray(0, text.indexOf(10) + 1), bad, text.subarray(text.indexOf(10) + 1, middle), bad, text.subarray(middle)]));
  });
  after(async () => {
    await rm(generated, { recursive: true, force: true });
  });

  for (const sample of ['19-tz-shanghai', '20-gha-prefix', '04-worker-crash']) {
    it(`writes the same ndjson, CSV and JSON with 1 and 4 jobs, and as before: samples/${sample}`, async () => {
      const dir = path.join(REPO, 'samples', sample);
      await assertSameWithJobs(dir);
      for (const format of FORMATS_STREAMED) assert.equal((await runCli(['events', dir, '--format', format, '--jobs', '4'])).stdout, await reference(dir, format), format);
    });
  }

  it('writes the same with 1 and 4 jobs, and as before: a generated 5 MiB directory', async () => {
    await assertSameWithJobs(generated);
    for (const format of FORMATS_STREAMED) assert.equal((await runCli(['events', generated, '--format', format, '--jobs', '4'])).stdout, await reference(generated, format), format);
  });

  it('writes the same when the access log is read in byte ranges: lines numbered as in the file, invalid UTF-8 summed', async () => {
    // Ranges of about 128 KiB: the 2.6 MB access log is some twenty pieces.
    const env = { WHORESET_SPLIT_MIN_BYTES: String(128 * 1024) };
    await assertSameWithJobs(generated, [], env);
    const four = await runWithEnv(['events', generated, '--format', 'ndjson', '--jobs', '4'], env);
    assert.equal(four.stdout, await reference(generated, 'ndjson'));
    assert.match(four.stderr, /nginx\/access\.log:2: 2 line\(s\) with invalid UTF-8, first at line 2/);
    const ids = four.stdout.trim().split('\n').map((line) => JSON.parse(line) as { id: string; file: string; line: number });
    assert.ok(ids.every((e) => e.id === `${e.file}:${e.line}`));
  });

  it('gives each event its incident id whatever the jobs (--incidents)', async () => {
    await assertSameWithJobs(path.join(REPO, 'samples/19-tz-shanghai'), ['--incidents'], undefined, ['ndjson']);
    await assertSameWithJobs(generated, ['--incidents'], { WHORESET_SPLIT_MIN_BYTES: String(128 * 1024) }, ['csv']);
    const events = (await runCli(['events', generated, '--incidents', '--format', 'ndjson', '--jobs', '4'])).stdout.trim().split('\n');
    assert.ok(events.some((line) => line.startsWith('{"incident":"I')));
  });

  it('writes a JSON document with no events as before', async () => {
    const none = await runCli(['events', REPO + '/samples/21-seed-only', '--format', 'json', '--include', 'nothing-matches']);
    assert.equal(none.stdout, `{"schemaVersion":"${SCHEMA_VERSION}","events":[\n]}\n`);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^whoreset: .*21-seed-only: no readable log files$/m);
    const some = await runCli(['events', REPO + '/samples/21-seed-only', '--format', 'json', '--jobs', '4']);
    assert.doesNotThrow(() => JSON.parse(some.stdout));
  });

  it('refuses a --jobs that is not a whole number of at least 1', async () => {
    const result = await runCli(['events', path.join(REPO, 'samples/02-body-too-large'), '--jobs', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--jobs/);
  });
});

/** A process's CPU seconds so far (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

describe('whoreset events and a slow or closed stdout', { skip: !existsSync('/proc/self/stat') && 'needs /proc' }, () => {
  let big = '';
  before(async () => {
    big = await tempDir();
    await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), big, '30']);
  });
  after(async () => {
    await rm(big, { recursive: true, force: true });
  });

  /** Runs the CLI with its stdout to a file. */
  async function runTo(file: string, args: string[]): Promise<void> {
    await promisify(execFile)('sh', ['-c', `"${process.execPath}" "${CLI}" "$@" > "${file}"`, 'sh', ...args]);
  }

  it('stops reading while nobody reads its output, and then writes it all', async () => {
    const wholeFile = path.join(big, 'whole.ndjson');
    await runTo(wholeFile, ['events', big, '--format', 'ndjson', '--jobs', '1', '--exclude', '*.ndjson']);
    const child = spawn(process.execPath, [CLI, 'events', big, '--format', 'ndjson', '--jobs', '2', '--exclude', '*.ndjson'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pause();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // Start-up (modules, workers) takes CPU of its own, longer on a busy machine: wait (10 s at most) until the child comes to rest.
    let paused = cpuSeconds(child.pid!);
    for (let waited = 0; waited < 10_000; waited += 250) {
      await sleep(250);
      const now = cpuSeconds(child.pid!);
      const resting = now - paused < 0.01;
      paused = now;
      if (resting) break;
    }
    await sleep(1000);
    // A second of nobody reading: the child waits (a few ms of CPU at most), it does not read on into memory.
    const more = cpuSeconds(child.pid!) - paused;
    // A child left paused would hold the test file open for ever.
    if (more >= 0.1) child.kill();
    assert.ok(more < 0.1, `the child went on working for ${more.toFixed(2)} s of CPU`);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(code, 0);
    const whole = await readFile(wholeFile);
    assert.ok(whole.length > 50 * 1024 * 1024, 'output far bigger than any buffer');
    assert.ok(Buffer.concat(chunks).equals(whole), 'the output is complete');
  });

  it('exits quietly, with status 2 (the rest of the output is lost), when the reader goes away (| head -1)', async () => {
    // Not timed (speed is the benchmark's business): that it stops reading is the test above.
    const { stdout, stderr } = await promisify(execFile)('sh', [
      '-c',
      `{ "${process.execPath}" "${CLI}" events "${big}" --format ndjson --jobs 2 --exclude '*.ndjson'; echo "status $?" >&2; } | head -1`,
    ]);
    assert.match(stdout, /^\{"id":"client\.log:1",[^\n]*\}\n$/);
    assert.equal(stderr, 'status 2\n');
  });
});
