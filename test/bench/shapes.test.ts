import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rm } from 'node:fs/promises';
import { generate, DEFAULT_SEED } from '../../bench/gen.js';
import { runCli, tempDir } from '../helpers.js';

/** The benchmark's shapes of job (issue 20's second shape, issue 17's error log of failures). */
describe('bench generator shapes', () => {
  let root: string;
  before(async () => {
    root = await tempDir('whoreset-shapes-');
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('gives the same bytes for the same seed and shape', () => {
    const a = generate(path.join(root, 'a'), 0.5, DEFAULT_SEED, 'errors');
    const b = generate(path.join(root, 'b'), 0.5, DEFAULT_SEED, 'errors');
    assert.equal(a.bytes, b.bytes);
    assert.ok(readFileSync(path.join(root, 'a/nginx/error.log')).equals(readFileSync(path.join(root, 'b/nginx/error.log'))));
  });

  it('errors: only an nginx error log, every line a failure whoreset reads as one', async () => {
    const dir = path.join(root, 'errors');
    const res = generate(dir, 0.2, DEFAULT_SEED, 'errors');
    assert.deepEqual(Object.keys(res.files), ['nginx/error.log']);
    const lines = readFileSync(path.join(dir, 'nginx/error.log'), 'utf8').trimEnd().split('\n');
    assert.equal(res.farFailures, lines.length);
    const { code, stdout } = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(code, 0);
    const kinds = stdout.trimEnd().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
    assert.equal(kinds.length, lines.length);
    for (const kind of kinds) assert.match(kind, /^(upstream-|no-live-upstreams$)/);
  });

  it('client: the client log and pytest output make most of the bytes', () => {
    const dir = path.join(root, 'client');
    const res = generate(dir, 1, DEFAULT_SEED, 'client');
    const size = (file: string) => statSync(path.join(dir, file)).size;
    assert.equal(size('client.log') + size('pytest.log'), res.files['client.log']! + res.files['pytest.log']!);
    assert.ok(size('client.log') + size('pytest.log') > 0.6 * res.bytes, JSON.stringify(res.files));
    assert.ok(readFileSync(path.join(dir, 'client.log'), 'utf8').includes(' DEBUG urllib3.connectionpool: '));
  });

  it('passing: the same job with every test passing, which whoreset blames on no one', async () => {
    const attributed = async (dir: string) => {
      const { code, stdout } = await runCli([dir, '--format', 'json']);
      assert.ok(code === 0 || code === 1, `exit ${code}`);
      const { summary } = JSON.parse(stdout) as { summary: Record<string, number> };
      return summary.server! + summary['proxy-firewall']! + summary.client!;
    };
    const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    for (const shape of ['server', 'client'] as const) {
      const failing = generate(path.join(root, `${shape}-failing`), 1, DEFAULT_SEED, shape);
      const passing = generate(path.join(root, `${shape}-passing`), 1, DEFAULT_SEED, shape, true);
      assert.ok(sum(failing.incidents) > 0 && (await attributed(path.join(root, `${shape}-failing`))) > 0, shape);
      assert.equal(sum(passing.incidents), 0, shape);
      assert.ok(passing.bytes >= 2 ** 20, `${shape}: ${passing.bytes} bytes`);
      const pytest = readFileSync(path.join(root, `${shape}-passing`, 'pytest.log'), 'utf8');
      assert.ok(!/ FAILED |INTERNALERROR/.test(pytest), shape);
      assert.equal(await attributed(path.join(root, `${shape}-passing`)), 0, shape);
    }
    assert.throws(() => generate(path.join(root, 'errors-passing'), 0.1, DEFAULT_SEED, 'errors', true), /no passing variant/);
  });

  it('server: the nginx logs make most of the bytes', () => {
    const res = generate(path.join(root, 'server'), 1, DEFAULT_SEED, 'server');
    assert.ok(res.files['nginx/access.log']! + res.files['nginx/error.log']! > 0.5 * res.bytes, JSON.stringify(res.files));
  });
});
