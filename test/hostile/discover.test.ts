import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { walk } from '../../src/discover/walk.js';
import type { InputProblem } from '../../src/model/problem.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const SECRET = 'AKIA-not-a-real-key connection reset by peer';

/** An analysed folder with one real log, and beside it (outside) a secrets file and a folder. */
async function folderWithOutside(): Promise<{ dir: string; outside: string }> {
  const base = await tempDir();
  const dir = path.join(base, 'job');
  const outside = path.join(base, 'outside');
  await mkdir(dir);
  await mkdir(outside);
  await copyFile(path.join(REPO, 'samples/05-upstream-reset/pytest.log'), path.join(dir, 'pytest.log'));
  await writeFile(path.join(outside, 'secrets.log'), `2026-11-24 06:40:01,000 ERROR ${SECRET}\n`);
  return { dir, outside };
}

async function walked(dir: string, followOutside = false): Promise<{ files: string[]; problems: InputProblem[] }> {
  const problems: InputProblem[] = [];
  const files = (await walk(dir, { include: [], exclude: [], followOutside }, problems)).map((f) => f.relative);
  return { files, problems };
}

const problemOf = (problems: InputProblem[], file: string) => problems.find((p) => p.file === file)?.message ?? '';

describe('discovery stays inside the analysed directory', () => {
  it('a link to a file outside is not read, and its text never reaches the report', async () => {
    const { dir, outside } = await folderWithOutside();
    await symlink(path.join(outside, 'secrets.log'), path.join(dir, 'leak.log'));
    await symlink(outside, path.join(dir, 'more'));
    const { files, problems } = await walked(dir);
    assert.deepEqual(files, ['pytest.log']);
    assert.match(problemOf(problems, 'leak.log'), /outside the analysed directory: skipped \(--follow-outside/);
    assert.match(problemOf(problems, 'more'), /outside the analysed directory/);
    const result = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stdout, /AKIA/);
  });
  it('--follow-outside reads them', async () => {
    const { dir, outside } = await folderWithOutside();
    await symlink(path.join(outside, 'secrets.log'), path.join(dir, 'leak.log'));
    assert.deepEqual((await walked(dir, true)).files, ['leak.log', 'pytest.log']);
    const result = await runCli(['events', dir, '--format', 'ndjson', '--follow-outside']);
    assert.match(result.stdout, /AKIA/);
  });
  it('a link to / never walks the machine, even with --follow-outside', { timeout: 30_000 }, async () => {
    const { dir } = await folderWithOutside();
    await symlink('/', path.join(dir, 'root'));
    for (const follow of [false, true]) {
      const { files, problems } = await walked(dir, follow);
      assert.deepEqual(files, ['pytest.log']);
      assert.match(problemOf(problems, 'root'), /skipped/);
    }
  });
  it('links inside the directory are still followed', async () => {
    const { dir } = await folderWithOutside();
    await mkdir(path.join(dir, 'a'));
    await writeFile(path.join(dir, 'a', 'x.log'), 'connection reset by peer\n');
    await symlink('a', path.join(dir, 'b'));
    await symlink('a/x.log', path.join(dir, 'y.log'));
    // The one file, once, by whichever of its two names was met first.
    const { files } = await walked(dir);
    assert.equal(files.length, 2, files.join(', '));
    assert.match(files[0]!, /^[ab]\/x\.log$/);
  });
});

describe('nodes that are not files', () => {
  it('a FIFO, a socket and a device (through a link) are skipped with a line each', { timeout: 30_000 }, async () => {
    const { dir } = await folderWithOutside();
    execFileSync('mkfifo', [path.join(dir, 'pipe.log')]);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(path.join(dir, 'app.sock'), resolve));
    try {
      await symlink('/dev/zero', path.join(dir, 'zero.log'));
      const { files, problems } = await walked(dir, true);
      assert.deepEqual(files, ['pytest.log']);
      assert.match(problemOf(problems, 'pipe.log'), /named pipe \(FIFO\): skipped/);
      assert.match(problemOf(problems, 'app.sock'), /socket: skipped/);
      assert.match(problemOf(problems, 'zero.log'), /device: skipped/);
      // The whole run ends too: nothing blocks on the pipe.
      const result = await runCli(['events', dir, '--format', 'ndjson', '--follow-outside']);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /pipe\.log: a named pipe/);
    } finally {
      server.close();
    }
  });
  it('a folder too deep to name is a line, not a silent skip', { timeout: 30_000 }, async () => {
    const { dir } = await folderWithOutside();
    // Built by relative steps: its absolute path is longer than the system lets a call name.
    const segment = 'd'.repeat(200);
    execFileSync('bash', ['-c', `cd "$1" && for i in $(seq 25); do mkdir ${segment} && cd ${segment}; done && echo 'connection reset by peer' > deep.log`, 'sh', dir]);
    try {
      const { files, problems } = await walked(dir);
      assert.deepEqual(files, ['pytest.log']);
      assert.ok(problems.some((p) => /cannot be read \(ENAMETOOLONG\)/.test(p.message)), JSON.stringify(problems));
    } finally {
      // Node's rm names each path whole, too long here; GNU rm walks down by relative steps.
      execFileSync('rm', ['-rf', dir]);
    }
  });
});
