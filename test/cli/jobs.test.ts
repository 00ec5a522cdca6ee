import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { CLI, REPO, runCli, tempDir } from '../helpers.js';

/** The CLI with extra environment (the split threshold). */
async function runWithEnv(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** `--jobs` changes who reads which file, never what comes out (not timed). */
async function sameOutput(dir: string, env?: Record<string, string>): Promise<void> {
  for (const format of ['json', 'csv']) {
    const one = await runCli([dir, '--format', format, '--jobs', '1']);
    // Workers even for a small directory (a job this small is otherwise read in this thread alone).
    const four = await runWithEnv([dir, '--format', format, '--jobs', '4'], { WHORESET_PARALLEL_MIN_BYTES: '1', ...env });
    assert.equal(one.stderr, four.stderr);
    assert.equal(one.code, four.code);
    assert.ok(one.stdout.length > 0);
    assert.equal(four.stdout, one.stdout, `${dir} --format ${format}: --jobs 4 differs from --jobs 1`);
  }
}

describe('--jobs', () => {
  for (const sample of ['02-body-too-large', '05-upstream-reset', '04-worker-crash']) {
    it(`gives the same JSON and CSV with 1 and 4 jobs: samples/${sample}`, async () => {
      await sameOutput(path.join(REPO, 'samples', sample));
    });
  }

  it('gives the same JSON and CSV with 1 and 4 jobs: a generated 5 MiB directory', async () => {
    const dir = await tempDir();
    try {
      await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), dir, '5']);
      await sameOutput(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('gives the same JSON and CSV when the access log is read in byte ranges (numbered as in the file, merged in order)', async () => {
    const dir = await tempDir();
    try {
      await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), dir, '5']);
      // Invalid UTF-8 in two places: one warning for the file, counted over the ranges.
      const access = path.join(dir, 'nginx/access.log');
      const text = await readFile(access);
      const bad = Buffer.from('10.0.0.9 - - [24/Nov/2026:06:00:01 +0000] "GET /caf\xff HTTP/1.1" 200 1 "-" "-" 0.001 0.001 200\n', 'latin1');
      await writeFile(access, Buffer.concat([text.subarray(0, text.indexOf(10) + 1), bad, text.subarray(text.indexOf(10) + 1), bad]));
      // Ranges of about 256 KiB: the 3 MiB access log is a dozen tasks.
      await sameOutput(dir, { WHORESET_SPLIT_MIN_BYTES: String(128 * 1024) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reads an access log whose head holds no compose prefix as one stream, split or not', async () => {
    const dir = await tempDir();
    try {
      await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), dir, '5']);
      // A docker compose line far past the head: one more line the access log cannot read, in both modes.
      const access = path.join(dir, 'nginx/access.log');
      const text = await readFile(access);
      const middle = text.indexOf(10, 2 * 1024 * 1024) + 1;
      const compose = Buffer.from('web-1  | [notice] restarting\n');
      await writeFile(access, Buffer.concat([text.subarray(0, middle), compose, text.subarray(middle)]));
      const one = await runCli([dir, '--format', 'json', '--jobs', '1']);
      assert.match(one.stderr, /nginx\/access\.log:\d+: not an access log line: unreadable time "notice"/);
      await sameOutput(dir, { WHORESET_SPLIT_MIN_BYTES: String(128 * 1024) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --jobs that is not a whole number of at least 1', async () => {
    const result = await runCli([path.join(REPO, 'samples/02-body-too-large'), '--jobs', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--jobs/);
  });
});
