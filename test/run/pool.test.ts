import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { discover, type LogFile } from '../../src/discover/discover.js';
import { FORMATS, runFormats } from '../../src/parse/formats.js';
import type { InputProblem } from '../../src/model/problem.js';
import { formatProblem } from '../../src/report/problem.js';
import { REPO, tempDir } from '../helpers.js';

// Ranges of about 128 KiB, and workers for small inputs: set before the pool (and ranges.ts, which reads it) is loaded.
process.env.WHORESET_SPLIT_MIN_BYTES = String(128 * 1024);
process.env.WHORESET_PARALLEL_MIN_BYTES = '1';
const { eventPlan, streamEvents, wholeFirst } = await import('../../src/run/event-stream.js');
const { WorkerPool } = await import('../../src/run/pool.js');
const { runTask, taskRunner } = await import('../../src/run/task.js');
type EventSink = import('../../src/run/event-stream.js').EventSink;
type RunnerMessage = import('../../src/run/task.js').RunnerMessage;
type StreamFormat = import('../../src/report/event-writer.js').StreamFormat;

/** The tasks of `events` in order. */
const eventTasks = (files: readonly LogFile[], runners: number, format: StreamFormat = 'ndjson') => eventPlan(files, format, runners).tasks;
/** Writes the events on a pool of `runners` (1: this thread alone). */
const streamOn = (runners: number, files: readonly LogFile[], format: StreamFormat, sink: EventSink) => streamEvents(files, format, undefined, runners, sink);

/** A sink that keeps what it is given; some chunks make it congested for a moment (a slow pipe). */
function collector(slow: boolean): EventSink & { bytes(): Buffer; problems: string[] } {
  const chunks: Buffer[] = [];
  const problems: string[] = [];
  let n = 0;
  return {
    chunk(bytes, written) {
      chunks.push(Buffer.from(bytes));
      written?.();
      return slow && n++ % 3 === 0 ? new Promise((resolve) => setTimeout(resolve, n % 2)) : undefined;
    },
    problem: (problem: InputProblem) => problems.push(formatProblem(problem)),
    bytes: () => Buffer.concat(chunks),
    problems,
  };
}

/** A slow sink: each chunk is written on a later turn. */
function laterTurnSink(): EventSink & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  return {
    chunk(bytes, written) {
      chunks.push(Buffer.from(bytes));
      written?.();
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
    problem: () => {},
    bytes: () => Buffer.concat(chunks),
  };
}

// One generated job for both suites, with a bad byte and a line the parser reports in later ranges of the access log.
let dir = '';
let files: LogFile[] = [];
before(async () => {
  dir = await tempDir();
  await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), dir, '5']);
  const access = path.join(dir, 'nginx/access.log');
  const text = await readFile(access);
  const bad = Buffer.from('10.0.0.9 - - [24/Nov/2026:06:00:01 +0000] "GET /caf\xff HTTP/1.1" 200 1 "-" "-" 0.001 0.001 200\n', 'latin1');
  const cut = text.indexOf(10, Math.floor(text.length * 0.7)) + 1;
  // And a line the parser reports, in a later range: its line number is the file's.
  const strange = Buffer.from('not an access line at all\n');
  const later = text.indexOf(10, Math.floor(text.length * 0.9)) + 1;
  // And NUL bytes (left out, summed into one problem a file) in an early range and the last, after the bad byte there.
  const nul = Buffer.from('10.0.0.9 - - [24/Nov/2026:06:00:01 +0000] "GET /nul\0 HTTP/1.1" 200 1 "-" "-" 0.001 0.001 200\n', 'latin1');
  const early = text.indexOf(10, Math.floor(text.length * 0.1)) + 1;
  await writeFile(access, Buffer.concat([text.subarray(0, early), nul, text.subarray(early, cut), bad, text.subarray(cut, later), strange, text.subarray(later), bad, nul]));
  files = (await discover(dir, { include: [], exclude: [] }, FORMATS)).files;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the events pool', () => {
  it('cuts a big splittable file into ranges at line starts, only with several jobs', async () => {
    const access = files.findIndex((f) => f.relative === 'nginx/access.log');
    const ranges = eventTasks(files, 4).filter((t) => t.relative === 'nginx/access.log');
    assert.ok(ranges.length > 10, `${ranges.length} ranges`);
    const size = (await stat(files[access]!.absolute)).size;
    const bytes = await readFile(files[access]!.absolute);
    ranges.forEach((t, i) => {
      assert.equal(t.range!.start, i === 0 ? 0 : ranges[i - 1]!.range!.end);
      if (i > 0) assert.equal(bytes[t.range!.start - 1], 10, 'cut after a newline');
      assert.equal(t.lastRange === true, i === ranges.length - 1);
    });
    assert.equal(ranges.at(-1)!.range!.end, size);
    assert.ok(eventTasks(files, 1).every((t) => t.range === undefined));
  });

  it('cuts a big nginx error log into ranges too, unless a line of it may depend on lines before it', async () => {
    const errorLog = files.find((f) => f.relative === 'nginx/error.log')!;
    const ranges = eventTasks(files, 4).filter((t) => t.relative === 'nginx/error.log');
    assert.ok(ranges.length > 2, `${ranges.length} ranges`);
    assert.equal(ranges.at(-1)!.range!.end, (await stat(errorLog.absolute)).size);
    const text = await readFile(errorLog.absolute);
    const middle = text.indexOf(10, text.length >> 1) + 1;
    const stateful = [
      // The parser's idle keep-alive connections: a later close of *7 is read by what this line left.
      '2026/11/24 14:00:01 [debug] 2741#2741: *7 set http keepalive handler\n',
      // A docker compose prefix, which only a file read whole looks for.
      'nginx-1  | 2026/11/24 14:00:01 [info] 2741#2741: *7 client closed connection\n',
    ];
    const copy = path.join(dir, 'stateful-error.log');
    for (const line of stateful) {
      await writeFile(copy, Buffer.concat([text.subarray(0, middle), Buffer.from(line), text.subarray(middle)]));
      const tasks = eventTasks([{ ...errorLog, absolute: copy }], 4);
      assert.equal(tasks.length, 1, line);
      assert.equal(tasks[0]!.range, undefined);
    }
    await rm(copy);
  });

  for (const format of ['ndjson', 'csv', 'json'] as const) {
    it(`writes, with four runners and a slow sink, the bytes and problems of one (${format})`, async () => {
      const one = collector(false);
      await streamOn(1, files, format, one);
      const four = collector(true);
      await streamOn(4, files, format, four);
      assert.ok(one.bytes().length > 1024 * 1024);
      assert.ok(four.bytes().equals(one.bytes()), 'same bytes');
      assert.deepEqual(four.problems, one.problems);
      assert.ok(one.problems.some((p) => /access\.log:\d+: 2 line\(s\) with invalid UTF-8/.test(p)), one.problems.join('\n'));
      assert.ok(one.problems.some((p) => /access\.log:\d+: 2 line\(s\) with NUL bytes/.test(p)), one.problems.join('\n'));
      assert.ok(one.problems.some((p) => /access\.log:\d+: not an access log line/.test(p)), one.problems.join('\n'));
    });
  }

  it('holds little of what comes while nothing is written, and writes it all once the output drains', async () => {
    const one = collector(false);
    await streamOn(1, files, 'ndjson', one);
    const chunks: Buffer[] = [];
    let drained: () => void = () => {};
    const blocked = new Promise<void>((resolve) => (drained = resolve));
    const sink: EventSink = {
      chunk(bytes, written) {
        chunks.push(Buffer.from(bytes));
        written?.();
        return blocked;
      },
      problem: () => {},
    };
    const pool = new WorkerPool(3);
    try {
      const done = pool.run(eventPlan(files, 'ndjson', 3), sink, { bufferBytes: 64 * 1024 });
      // Until the first chunk is in (workers start slowly on a busy machine), then a while more.
      for (let waited = 0; chunks.length === 0 && waited < 10_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 600));
      // The output is stuck after its first chunk: each runner waits with a few chunks sent, none starts more.
      assert.equal(chunks.length, 1);
      assert.ok(pool.heldBytes <= 3 * 8 * 256 * 1024, `${pool.heldBytes} bytes held`);
      assert.ok(one.bytes().length > 4 * pool.heldBytes);
      drained();
      await done;
    } finally {
      await pool.close();
    }
    assert.ok(Buffer.concat(chunks).equals(one.bytes()));
  });

  it('biggest first with a full buffer still starts the task being handed on (it used to wait forever)', { timeout: 120_000 }, async () => {
    const one = collector(false);
    await streamOn(1, files, 'ndjson', one);
    // The buffer fills while the biggest tasks run.
    const sink = laterTurnSink();
    const pool = new WorkerPool(3);
    try {
      await pool.run(eventPlan(files, 'ndjson', 3), sink, { biggestFirst: true, bufferBytes: 64 * 1024 });
    } finally {
      await pool.close();
    }
    assert.ok(sink.bytes().equals(one.bytes()));
  });

  it('starts a big file read whole before the ranges, at most one per runner but one, and writes the same bytes', { timeout: 120_000 }, async () => {
    const one = collector(false);
    await streamOn(1, files, 'ndjson', one);
    const plan = eventPlan(files, 'ndjson', 2);
    const first = wholeFirst(plan, 2);
    assert.deepEqual(
      first.map((i) => plan.tasks[i]!.relative),
      ['pytest.log'],
    );
    assert.ok(first[0]! > 0, 'not first in order');
    assert.deepEqual(wholeFirst(plan, 1), []);
    // A small buffer: the whole file's runner waits for its turn while the other goes on in order.
    const sink = laterTurnSink();
    const pool = new WorkerPool(2);
    try {
      await pool.run(plan, sink, { startFirst: first, bufferBytes: 64 * 1024 });
    } finally {
      await pool.close();
    }
    assert.ok(sink.bytes().equals(one.bytes()));
  });

  it('a runner stops reading while its chunks are not taken, and goes on as they are', async () => {
    const task = eventTasks(files, 1).find((t) => t.relative === 'nginx/access.log')!;
    const chunks: Uint8Array[] = [];
    await runTask(task, { formats: runFormats() }, (bytes) => chunks.push(bytes), () => {});
    assert.ok(chunks.length > 20, `${chunks.length} chunks`);
    const posted: RunnerMessage[] = [];
    const handle = taskRunner({ formats: runFormats() }, (message) => posted.push(message));
    handle({ kind: 'task', task });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sent = posted.filter((m) => m.kind === 'chunk').length;
    assert.ok(sent >= 1 && sent <= 6, `${sent} chunks sent before any was taken`);
    assert.ok(!posted.some((m) => m.kind === 'done'));
    // Taken one at a time, each as it comes, until the task is done.
    let acked = 0;
    while (!posted.some((m) => m.kind === 'done')) {
      if (acked < posted.filter((m) => m.kind === 'chunk').length) handle({ kind: 'ack', task: task.index }), acked++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const bytes = Buffer.concat(posted.flatMap((m) => (m.kind === 'chunk' ? [m.bytes] : [])));
    assert.ok(bytes.equals(Buffer.concat(chunks)));
  });
});

describe('the analysis on the pool', () => {

  /** The lines and ids of what the partials kept, and the problems, read on a pool of `size` runners. */
  async function read(size: number): Promise<{ events: string[]; problems: string[]; ranges: number }> {
    const { readPartials } = await import('../../src/run/partials.js');
    const { plan } = await import('../../src/run/pool.js');
    const pool = new WorkerPool(size);
    const events: string[] = [];
    const problems: string[] = [];
    try {
      await readPartials(pool, files, [], undefined, {
        partial: (partial) => events.push(...[...partial.anchors, ...partial.notable, ...partial.ordinary].map((e) => `${e.id} ${e.file}:${e.line} ${e.excerpt}`)),
        problem: (problem) => problems.push(formatProblem(problem)),
      });
    } finally {
      await pool.close();
    }
    return { events, problems, ranges: plan(files, { kind: 'partial', failedPaths: [] }, FORMATS, size > 1 ? 128 * 1024 : undefined).tasks.filter((t) => t.range).length };
  }

  it('numbers the lines of a range as the whole file does, from the start: no renumbering', async () => {
    const whole = await read(1);
    const split = await read(3);
    assert.equal(whole.ranges, 0);
    assert.ok(split.ranges > 4, `${split.ranges} ranges`);
    assert.ok(whole.events.length > 100, `${whole.events.length} events kept`);
    assert.deepEqual(split.events, whole.events);
    assert.deepEqual(split.problems, whole.problems);
    assert.ok(whole.problems.some((p) => /access\.log:\d+: not an access log line/.test(p)), whole.problems.join('\n'));
  });

  it('starts its workers again after release(), and reads as before', async () => {
    const { readPartials } = await import('../../src/run/partials.js');
    const pool = new WorkerPool(3);
    const readOnce = async () => {
      const events: string[] = [];
      await readPartials(pool, files, [], undefined, { partial: (partial) => events.push(...partial.anchors.map((e) => e.id), ...partial.notable.map((e) => e.id)), problem: () => {} });
      return events;
    };
    try {
      const first = await readOnce();
      await pool.release();
      assert.ok(first.length > 100, `${first.length} events kept`);
      assert.deepEqual(await readOnce(), first);
    } finally {
      await pool.close();
    }
  });

  it('gives each range the first line the whole file gives it', async () => {
    const { tasks, lines } = eventPlan(files, 'ndjson', 3);
    const ranged = tasks.filter((t) => t.range);
    assert.ok(ranged.length > 4);
    for (const task of ranged) {
      const bytes = await readFile(task.absolute);
      const before = bytes.subarray(0, task.range!.start);
      let newlines = 0;
      for (let i = before.indexOf(10); i !== -1; i = before.indexOf(10, i + 1)) newlines++;
      const at = lines[task.index]!;
      assert.equal(at.of.of(at.k), newlines + 1, `${task.relative} bytes ${task.range!.start}-`);
    }
  });
});
