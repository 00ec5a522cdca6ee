import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO, runCli, tempDir } from '../helpers.js';

/** `--jobs` changes who reads which file, never what comes out (not timed). */
async function sameOutput(dir: string): Promise<void> {
  for (const format of ['json', 'csv']) {
    const one = await runCli([dir, '--format', format, '--jobs', '1']);
    const four = await runCli([dir, '--format', format, '--jobs', '4']);
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

  it('refuses a --jobs that is not a whole number of at least 1', async () => {
    const result = await runCli([path.join(REPO, 'samples/02-body-too-large'), '--jobs', '0']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--jobs/);
  });
});
