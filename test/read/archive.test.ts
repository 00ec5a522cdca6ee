import assert from 'node:assert/strict';
import { createWriteStream, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { describe, it } from 'node:test';
import { pack } from 'tar-stream';
import yazl from 'yazl';
import { entryName } from '../../src/read/archive.js';
import { REPO, runCli, tempDir } from '../helpers.js';

/** Every file under `dir`, relative, forward slashes. */
function filesOf(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesOf(dir, `${prefix}${d.name}/`) : [`${prefix}${d.name}`]));
}

async function zipOf(dir: string, out: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const name of filesOf(dir)) zip.addFile(path.join(dir, name), name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(out));
}

async function tarGzOf(dir: string, out: string): Promise<void> {
  const tar = pack();
  for (const name of filesOf(dir)) tar.entry({ name: `./${name}`, size: statSync(path.join(dir, name)).size }, readFileSync(path.join(dir, name)));
  tar.finalize();
  await pipeline(tar, createGzip(), createWriteStream(out));
}

/** What a verdict is: everything but the file list (an archive's names are the same) and warnings. */
function verdicts(stdout: string): unknown {
  const { incidents } = JSON.parse(stdout) as { incidents: unknown[] };
  return incidents;
}

const SAMPLES = ['05-upstream-reset', '24-squid-connect', '29-busy-same-second', '33-ci-console-mixed'];

describe('CI artifact archives, read without unpacking', () => {
  for (const sample of SAMPLES) {
    it(`${sample}: a zip and a tar.gz of it give the directory's verdicts`, async () => {
      const dir = path.join(REPO, 'samples', sample);
      const tmp = await tempDir();
      const [zip, tgz] = [path.join(tmp, 'logs.zip'), path.join(tmp, 'logs.tar.gz')];
      await zipOf(dir, zip);
      await tarGzOf(dir, tgz);
      const expected = await runCli([dir, '--format', 'json']);
      assert.equal(expected.code, 0, expected.stderr);
      for (const archive of [zip, tgz]) {
        const result = await runCli([archive, '--format', 'json']);
        assert.equal(result.code, 0, result.stderr);
        assert.deepEqual(verdicts(result.stdout), verdicts(expected.stdout), archive);
        assert.equal(result.stderr, expected.stderr, archive);
      }
    });
  }

  it('archives given as arguments are jobs: no warning about files given as arguments', async () => {
    const tmp = await tempDir();
    const tgz = path.join(tmp, 'logs.tar.gz');
    await tarGzOf(path.join(REPO, 'samples', '05-upstream-reset'), tgz);
    const result = await runCli([tgz, path.join(REPO, 'samples', '02-body-too-large'), '--format', 'ndjson']);
    assert.equal(result.code, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /files given as arguments/);
    assert.match(result.stdout, /"job":"logs.tar.gz"/);
  });

  it('--include picks archive entries as it picks files, at any depth', async () => {
    const tmp = await tempDir();
    const zip = path.join(tmp, 'logs.zip');
    await zipOf(path.join(REPO, 'samples/05-upstream-reset'), zip);
    const result = await runCli([zip, '--format', 'json', '--include', 'error.log', '--include', 'pytest.log']);
    assert.deepEqual((JSON.parse(result.stdout) as { files: Array<{ file: string }> }).files.map((f) => f.file), ['nginx/error.log', 'pytest.log']);
  });

  it('entry names never climb out of the archive', () => {
    assert.equal(entryName('./nginx/error.log'), 'nginx/error.log');
    assert.equal(entryName('logs\\\\1_build.txt'), 'logs/1_build.txt');
    assert.equal(entryName('/abs/x.log'), 'abs/x.log');
    assert.equal(entryName('../../etc/passwd'), undefined);
    assert.equal(entryName('a/../../x'), undefined);
  });

  it('a corrupt zip is a clear error, exit 2', async () => {
    const tmp = await tempDir();
    const zip = path.join(tmp, 'broken.zip');
    await zipOf(path.join(REPO, 'samples/05-upstream-reset'), zip);
    const bytes = readFileSync(zip);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(zip, bytes.subarray(0, bytes.length - 30));
    const result = await runCli([zip]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^whoreset: .*broken\.zip: not a readable zip/);
  });
});

describe('standard input', () => {
  it('`-` reads one stream, as the same file in a folder would be read', async () => {
    const log = path.join(REPO, 'samples/05-upstream-reset/pytest.log');
    const tmp = await tempDir();
    const { copyFile } = await import('node:fs/promises');
    await copyFile(log, path.join(tmp, 'stdin'));
    const folder = await runCli([tmp, '--format', 'json']);
    const piped = await runCliWithStdin(['-', '--format', 'json'], readFileSync(log));
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(verdicts(piped.stdout), verdicts(folder.stdout));
    assert.equal((verdicts(piped.stdout) as unknown[]).length, 1);
  });
});

async function runCliWithStdin(args: string[], input: Buffer): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { spawn } = await import('node:child_process');
  const { CLI } = await import('../helpers.js');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}
