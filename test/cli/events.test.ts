import assert from 'node:assert/strict';
import { copyFile, mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { REPO, runCli, tempDir } from '../helpers.js';

const SEED = path.join(REPO, 'samples/21-seed-only/pytest.log');

function ndjson(stdout: string): Array<Record<string, unknown>> {
  return stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('whoreset events', () => {
  it('reads the seed\'s flattened INTERNALERROR trace as a reset with errno 54', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'artifacts'));
    // A name that says nothing: the format is found from the content.
    await copyFile(SEED, path.join(dir, 'artifacts/step-3.txt'));
    const result = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(result.code, 0, result.stderr);
    const [event] = ndjson(result.stdout);
    assert.equal(event!.source, 'pytest');
    assert.equal(event!.kind, 'reset');
    assert.equal(event!.errno, 54);
    assert.equal(event!.errnoName, 'ECONNRESET');
    assert.equal(event!.file, 'artifacts/step-3.txt');
  });

  it('reports bad files on stderr, one line each, and analyses the rest', async () => {
    const dir = await tempDir();
    await copyFile(SEED, path.join(dir, 'pytest.log'));
    await writeFile(path.join(dir, 'core.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1]));
    await writeFile(path.join(dir, 'empty.log'), '');
    const seedGz = gzipSync(Buffer.concat([Buffer.from('pad\n'.repeat(5000)), await import('node:fs/promises').then((fs) => fs.readFile(SEED))]));
    await writeFile(path.join(dir, 'old.log.1.gz'), seedGz.subarray(0, seedGz.length - 40));
    await mkdir(path.join(dir, 'node_modules/x'), { recursive: true });
    await copyFile(SEED, path.join(dir, 'node_modules/x/pytest.log'));
    await symlink('..', path.join(dir, 'up'));
    await mkdir(path.join(dir, 'sub'));
    await symlink('..', path.join(dir, 'sub/loop'));
    const result = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(result.code, 0);
    assert.equal(ndjson(result.stdout).filter((e) => e.kind === 'reset').length, 1, 'node_modules and the link loop are not read');
    assert.match(result.stderr, /core\.bin: binary content: skipped/);
    assert.match(result.stderr, /empty\.log: empty: skipped/);
    assert.match(result.stderr, /up: symbolic link to a folder that holds the analysed directory/);
    assert.match(result.stderr, /sub\/loop: symbolic link to a folder that holds the analysed directory/);
    assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack traces for user errors');
  });

  it('honours --include and --exclude globs', async () => {
    const dir = await tempDir();
    await copyFile(SEED, path.join(dir, 'a.log'));
    await copyFile(SEED, path.join(dir, 'b.log'));
    const included = ndjson((await runCli(['events', dir, '--format', 'ndjson', '--include', 'a.*'])).stdout);
    assert.deepEqual(included.map((e) => e.file), ['a.log']);
    const excluded = ndjson((await runCli(['events', dir, '--format', 'ndjson', '--exclude', 'a.*'])).stdout);
    assert.deepEqual(excluded.map((e) => e.file), ['b.log']);
  });

  it('writes RFC 4180 CSV with a header row and UTC times as spreadsheets read them', async () => {
    const result = await runCli(['events', 'samples/21-seed-only', '--format', 'csv']);
    const [header, row] = result.stdout.split('\r\n');
    assert.match(header!, /^incident,id,source,kind,timeUtc,timeQuality,file,line,/);
    assert.match(row!, /^,pytest\.log:1,pytest,reset,,none,pytest\.log,1,54,ECONNRESET,/);
  });

  it('--incidents gives each event the id of the incident it was joined to', async () => {
    const events = ndjson((await runCli(['events', 'samples/19-tz-shanghai', '--incidents', '--format', 'ndjson'])).stdout);
    const closed = events.find((e) => e.file === 'nginx/access.log' && e.status === 444)!;
    assert.equal(closed.incident, 'I1');
    const health = events.find((e) => e.file === 'nginx/access.log' && e.path === '/api/health')!;
    assert.equal(health.incident, undefined);
    const plain = ndjson((await runCli(['events', 'samples/19-tz-shanghai', '--format', 'ndjson'])).stdout);
    assert.ok(plain.every((e) => e.incident === undefined));
  });

  it('exits 2 with one clear line for a missing directory or no arguments', async () => {
    const missing = await runCli(['events', '/nonexistent/logs']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim(), 'whoreset: /nonexistent/logs: no such file or directory');
    const none = await runCli([]);
    assert.equal(none.code, 2);
  });
});
