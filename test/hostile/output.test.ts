import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { escapeControls, escapeJsonControls } from '../../src/report/output.js';
import { CLI, REPO, runCli, tempDir } from '../helpers.js';

/** What a terminal would act on: ESC, C1 codes, backspace, CR, bidi overrides. */
const ACTIVE = /[\x1b\x08\r\x7f-\x9f\u202e]/;

/** A job folder whose pytest failure line carries terminal escapes of every kind. */
async function hostileJob(): Promise<string> {
  const dir = await tempDir();
  const log = await readFile(path.join(REPO, 'samples/05-upstream-reset/pytest.log'), 'utf8');
  const hostile = log.replaceAll('Response ended prematurely', 'Response ended prematurely \x1b]0;pwned \x1bc\x1bP1$qm\x1b\\ \x9b31m \x08\x08\x08 \u202eevil');
  assert.notEqual(hostile, log);
  await writeFile(path.join(dir, 'pytest.log'), hostile);
  return dir;
}

/** Runs the CLI with stdout on the given fd (or closed) and returns exit code and stderr. */
function runWithStdout(args: string[], stdout: number | 'closed' | 'reader-gone'): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child =
      stdout === 'closed'
        ? spawn('bash', ['-c', '"$0" "$@" >&-', process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
        : spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', stdout === 'reader-gone' ? 'pipe' : stdout, 'pipe'] });
    if (stdout === 'reader-gone') child.stdout!.destroy();
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('control characters never reach the terminal raw', () => {
  it('escapes ESC sequences, unterminated OSC, ESC c, DCS, C1, backspace and bidi overrides', () => {
    const text = 'a\x1b]0;t \x1bc \x1bPq \x9b2J \x08 \r \u202e z\tz';
    const escaped = escapeControls(text, false);
    assert.doesNotMatch(escaped, ACTIVE);
    assert.equal(escaped, 'a\\x1b]0;t \\x1bc \\x1bPq \\x9b2J \\x08 \\x0d \\u202e z\tz');
    assert.equal(escapeControls('one\ntwo', false), 'one\\x0atwo');
    assert.equal(escapeControls('one\ntwo', true), 'one\ntwo');
  });
  it('JSON keeps its values: C1 codes become \\u escapes', () => {
    const json = JSON.stringify({ excerpt: 'x\x9b31m' });
    assert.deepEqual(JSON.parse(escapeJsonControls(json)), { excerpt: 'x\x9b31m' });
    assert.doesNotMatch(escapeJsonControls(json), ACTIVE);
  });
  it('--explain and the table show a hostile log line escaped', async () => {
    const dir = await hostileJob();
    const explained = await runCli([dir, '--explain']);
    assert.match(explained.stdout, /Response ended prematurely \\x1b\]0;pwned \\x1bc\\x1bP1/);
    assert.doesNotMatch(explained.stdout, ACTIVE);
    assert.doesNotMatch((await runCli(['events', dir, '--format', 'table'])).stdout, ACTIVE);
  });
  it('JSON and NDJSON hold no raw control character, and the same text', async () => {
    const dir = await hostileJob();
    const result = await runCli([dir, '--format', 'json']);
    assert.doesNotMatch(result.stdout, ACTIVE);
    assert.match(JSON.stringify(JSON.parse(result.stdout)), /pwned/);
  });
  it('a file name with a newline and escapes cannot forge a line on stderr', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'x\nwhoreset: all clear\x1b[2J.log'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 31) % 256)));
    await writeFile(path.join(dir, 'pytest.log'), await readFile(path.join(REPO, 'samples/05-upstream-reset/pytest.log')));
    const result = await runCli([dir]);
    const lines = result.stderr.trim().split('\n');
    assert.ok(lines.every((line) => line.startsWith('whoreset: ')), result.stderr);
    assert.ok(!lines.some((line) => line.startsWith('whoreset: all clear')), result.stderr);
    assert.match(result.stderr, /x\\x0awhoreset: all clear\\x1b\[2J\.log: binary content: skipped/);
  });
});

describe('a report that cannot be written', () => {
  const sample = path.join(REPO, 'samples/05-upstream-reset');
  it('a full disk: exit 2, one line, no stack trace', async () => {
    const full = openSync('/dev/full', 'w');
    try {
      const result = await runWithStdout([sample, '--explain'], full);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, /^whoreset: cannot write the report to standard output \(ENOSPC\)/m);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    } finally {
      closeSync(full);
    }
  });
  it('a closed stdout: exit 2 with one line, not 0 with the report lost', async () => {
    const result = await runWithStdout([sample], 'closed');
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /standard output is closed/);
  });
  it('a reader that went away (EPIPE): no message, and not exit 0', async () => {
    const result = await runWithStdout(['events', sample, '--format', 'ndjson'], 'reader-gone');
    assert.equal(result.code, 2, result.stderr);
    assert.doesNotMatch(result.stderr, /cannot write|internal error/);
  });
});
