import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { ProblemLimiter, SHOWN_PER_KIND } from '../../src/run/problem-limit.js';
import type { InputProblem } from '../../src/model/problem.js';
import { formatProblem } from '../../src/report/problem.js';
import { CLI, REPO, tempDir } from '../helpers.js';

const BAD_LINES = 20_000;

/** A job whose nginx access log has its real lines and, between them, lines that are no log at all. */
async function noisyJob(): Promise<string> {
  const dir = await tempDir();
  const sample = path.join(REPO, 'samples/05-upstream-reset');
  await mkdir(path.join(dir, 'nginx'));
  await writeFile(path.join(dir, 'pytest.log'), await readFile(path.join(sample, 'pytest.log')));
  const access = (await readFile(path.join(sample, 'nginx/access.log'), 'utf8')).trim().split('\n');
  const lines: string[] = [...access];
  for (let i = 0; i < BAD_LINES; i++) lines.push(i % 2 === 0 ? `garbage ${i}` : access[i % access.length]!);
  await writeFile(path.join(dir, 'nginx/access.log'), lines.join('\n') + '\n');
  return dir;
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, maxBuffer: 256 * 1024 * 1024 });
}

describe('warnings are bounded per file and kind', () => {
  it('a few lines are named one by one, the rest counted in one line', { timeout: 120_000 }, async () => {
    const dir = await noisyJob();
    const { stdout, stderr } = await run([dir, '--format', 'json', '--jobs', '1']);
    const mine = stderr.split('\n').filter((line) => line.startsWith('whoreset: nginx/access.log'));
    assert.equal(mine.length, SHOWN_PER_KIND + 1, stderr);
    assert.match(mine.at(-1)!, new RegExp(`\\(and ${BAD_LINES / 2 - SHOWN_PER_KIND - 1} more like it after it: not listed one by one\\)`));
    const warnings = (JSON.parse(stdout) as { warnings: string[] }).warnings;
    assert.ok(warnings.length < 20, String(warnings.length));
  });
  it('the same warnings whether the file is read whole or in ranges by several threads', { timeout: 180_000 }, async () => {
    const dir = await noisyJob();
    const one = await run([dir, '--format', 'json', '--jobs', '1']);
    const four = await run([dir, '--format', 'json', '--jobs', '4'], { WHORESET_SPLIT_MIN_BYTES: String(32 * 1024), WHORESET_PARALLEL_MIN_BYTES: '1' });
    assert.equal(four.stderr, one.stderr);
    assert.equal(four.stdout, one.stdout);
  });
  it('counts from several limiters add up to what one limiter counts', () => {
    const problems = Array.from({ length: 40 }, (_, i): InputProblem => ({ file: 'f', line: i + 1, message: `bad line ${i + 1}` }));
    const whole: string[] = [];
    const one = new ProblemLimiter((p) => whole.push(formatProblem(p)));
    problems.forEach((p) => one.report(p));
    one.end();
    const split: string[] = [];
    const file = new ProblemLimiter((p) => split.push(formatProblem(p)));
    for (const part of [problems.slice(0, 3), problems.slice(3, 25), problems.slice(25)]) {
      const range = new ProblemLimiter((p) => file.report(p));
      part.forEach((p) => range.report(p));
      range.end();
    }
    file.end();
    assert.deepEqual(split, whole);
    assert.equal(whole.at(-1), `whoreset: f:6: bad line 6 (and ${40 - SHOWN_PER_KIND - 1} more like it after it: not listed one by one)`);
  });
});
