import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BIG_JOB_HEAP_FLAGS, heapSizedAtStart, inputsHoldAtLeast, startedForDebugger } from '../../src/cli/relaunch.js';
import { CLI, REPO, tempDir } from '../helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** Each Node process the run started, by its V8 flags (a preload records them). */
  processes: string[][];
  /** Per process, whether it had turned V8's --optimize-for-size on by its exit: it had loaded the CLI to analyse in it (src/cli/main.ts). */
  optimizedForSize: boolean[];
}

/** Runs the bin under `node <nodeFlags> --import <recorder>`, the input bigger than `relaunchFrom` bytes or not. */
async function runRecorded(args: string[], { relaunchFrom, nodeFlags = [], input }: { relaunchFrom: number; nodeFlags?: string[]; input?: string }): Promise<Run> {
  const dir = await tempDir();
  try {
    const recorder = path.join(dir, 'record.mjs');
    const record = path.join(dir, 'processes.ndjson');
    await writeFile(
      recorder,
      "import { appendFileSync } from 'node:fs';\n" +
        "appendFileSync(process.env.RECORD, JSON.stringify({ pid: process.pid, flags: process.execArgv }) + '\\n');\n" +
        "process.on('exit', () => appendFileSync(process.env.RECORD, JSON.stringify({ pid: process.pid, optimized: globalThis[Symbol.for('whoreset.optimize-for-size')] === true }) + '\\n'));\n",
    );
    const env = { ...process.env, RECORD: record, WHORESET_RELAUNCH_MIN_BYTES: String(relaunchFrom) };
    const result = await new Promise<Omit<Run, 'processes' | 'optimizedForSize'>>((resolve) => {
      const child = execFile(process.execPath, [...nodeFlags, '--import', recorder, CLI, ...args], { cwd: REPO, env }, (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
      });
      child.stdin!.end(input ?? '');
    });
    const records = (await readFile(record, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pid: number; flags?: string[]; optimized?: boolean });
    const started = records.filter((r) => r.flags !== undefined);
    return {
      ...result,
      processes: started.map((r) => r.flags!.filter((flag) => !flag.startsWith('--import') && flag !== recorder)),
      optimizedForSize: started.map((r) => records.some((end) => end.pid === r.pid && end.optimized === true)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const SAMPLE = 'samples/05-upstream-reset';

describe('a big input is analysed by a Node started with its heap flags', () => {
  it('starts itself again with the flags from the threshold on, and its output and exit code are those of one process', async () => {
    const [relaunched, once] = await Promise.all([
      runRecorded([SAMPLE, '--format', 'json', '--fail-on', 'server'], { relaunchFrom: 0 }),
      runRecorded([SAMPLE, '--format', 'json', '--fail-on', 'server'], { relaunchFrom: 1e15 }),
    ]);
    assert.equal(relaunched.processes.length, 2, JSON.stringify(relaunched.processes));
    assert.deepEqual(relaunched.processes[1], [...BIG_JOB_HEAP_FLAGS]);
    assert.equal(once.processes.length, 1);
    assert.equal(relaunched.code, 1, relaunched.stderr);
    assert.equal(relaunched.code, once.code);
    assert.equal(relaunched.stdout, once.stdout);
    assert.equal(relaunched.stderr, once.stderr);
  });

  it('starts itself again before it loads the CLI when the files named alone are big enough, else once it has found its files', async () => {
    const early = await runRecorded([SAMPLE, '--format', 'json'], { relaunchFrom: 1 });
    assert.equal(early.code, 0, early.stderr);
    assert.equal(early.processes.length, 2, JSON.stringify(early.processes));
    assert.deepEqual(early.optimizedForSize, [false, false]);
    // The sample's log behind a link: the bin does not follow it, the analysis (--follow-outside) does.
    const dir = await tempDir();
    try {
      await symlink(path.join(REPO, SAMPLE, 'client.log'), path.join(dir, 'client.log'));
      const late = await runRecorded([dir, '--format', 'json', '--follow-outside'], { relaunchFrom: 1 });
      assert.equal(late.code, 0, late.stderr);
      assert.equal(late.processes.length, 2, JSON.stringify(late.processes));
      assert.deepEqual(late.optimizedForSize, [true, false]);
      assert.deepEqual(late.processes[1], [...BIG_JOB_HEAP_FLAGS]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    assert.equal(inputsHoldAtLeast([path.join(REPO, SAMPLE)], 1), true);
    assert.equal(inputsHoldAtLeast([path.join(REPO, SAMPLE), '--format', 'json'], 1e12), false);
    assert.equal(inputsHoldAtLeast(['json', '--format', '-'], 1), false);
    // A walk cut short says no: the analysis weighs its files itself.
    assert.equal(inputsHoldAtLeast([path.join(REPO, 'samples')], 1, 1), false);
    assert.equal(inputsHoldAtLeast([path.join(REPO, 'samples')], 1), true);
  });

  it("keeps the user's own heap size, and never relaunches standard input (it is read once)", async () => {
    const own = await runRecorded([SAMPLE], { relaunchFrom: 0, nodeFlags: ['--max-semi-space-size=4'] });
    assert.equal(own.code, 0, own.stderr);
    assert.deepEqual(own.processes, [['--max-semi-space-size=4']]);
    const log = await readFile(path.join(REPO, SAMPLE, 'client.log'), 'utf8');
    const piped = await runRecorded(['-'], { relaunchFrom: 0, input: log });
    assert.equal(piped.code, 0, piped.stderr);
    assert.equal(piped.processes.length, 1);
  });

  it('analyses in the process a debugger was started for', async () => {
    const debugged = await runRecorded([SAMPLE], { relaunchFrom: 0, nodeFlags: ['--inspect=127.0.0.1:0'] });
    assert.equal(debugged.code, 0, debugged.stderr);
    assert.deepEqual(debugged.processes, [['--inspect=127.0.0.1:0']]);
    assert.equal(startedForDebugger(['--inspect-brk'], ''), true);
    assert.equal(startedForDebugger([], '--inspect-wait=9230'), true);
    assert.equal(startedForDebugger(['--inspect-port=9230'], ''), false);
    assert.equal(startedForDebugger([], ''), false);
  });

  it('reads a heap flag the user gave in NODE_OPTIONS or on the command line', () => {
    assert.equal(heapSizedAtStart([], ''), false);
    assert.equal(heapSizedAtStart(['--max_semi_space_size=8'], ''), true);
    assert.equal(heapSizedAtStart([], '--enable-source-maps --max-semi-space-size=1'), true);
    assert.equal(heapSizedAtStart(['--max-old-space-size=4096'], ''), false);
  });
});
