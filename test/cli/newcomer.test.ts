import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SKIPPED_SHOWN } from '../../src/discover/discover.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const verdicts = (stdout: string) => (JSON.parse(stdout) as { incidents: Array<{ attribution: string; cause: string }> }).incidents.map((i) => `${i.attribution} ${i.cause}`);

describe('what a newcomer trips on', () => {
  it('a bundled sample runs clean: its expected.json is passed over quietly', async () => {
    const result = await runCli(['samples/05-upstream-reset']);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, /server\/upstream-reset/);
  });

  it("--include '*.log' matches at any depth and says which files it left out", async () => {
    const all = await runCli(['samples/05-upstream-reset', '--format', 'json']);
    const logs = await runCli(['samples/05-upstream-reset', '--format', 'json', '--include', '*.log']);
    assert.deepEqual(verdicts(logs.stdout), verdicts(all.stdout));
    assert.match(logs.stderr, /--include left out 1 file\(s\): expected\.json/);
    const one = await runCli(['samples/05-upstream-reset', '--format', 'json', '--include', 'pytest.log']);
    assert.match(one.stderr, /--include left out 4 file\(s\): client\.log, expected\.json, nginx\/access\.log, nginx\/error\.log/);
  });

  it('--tz with an unknown source is a usage error with a suggestion', async () => {
    const result = await runCli(['samples/05-upstream-reset', '--tz', 'ngnix=+02:00']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /no source is called "ngnix" \(did you mean "nginx"\?\)/);
  });

  it('a folder of many files that are not logs gets a few lines, not one per file', async () => {
    const dir = await tempDir();
    await mkdir(path.join(dir, 'assets'));
    for (let i = 0; i < 40; i++) await writeFile(path.join(dir, 'assets', `img${i}.bin`), Buffer.from([0, 1, 2, 3, 0, 255, 0, 0]));
    for (let i = 0; i < 40; i++) await writeFile(path.join(dir, `report${i}.json`), '{\n  "ok": true\n}\n');
    await writeFile(path.join(dir, 'pytest.log'), readFileSync(path.join(REPO, 'samples/05-upstream-reset/pytest.log')));
    const result = await runCli([dir]);
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.filter((line) => /binary content: skipped/.test(line)).length, SKIPPED_SHOWN + 1, result.stderr);
    assert.match(result.stderr, /35 more file\(s\) the same \(binary content: skipped\): assets\/img/);
    assert.doesNotMatch(result.stderr, /report\d+\.json/);
  });

  it('engines asks for the Node.js that yargs needs', () => {
    const ours = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { engines: { node: string } };
    const yargs = JSON.parse(readFileSync(path.join(REPO, 'node_modules/yargs/package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(ours.engines.node, yargs.engines.node);
  });

  it('the README runs the CLI as a fresh clone can: npx whoreset', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```(?:sh|bash|yaml)?\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const bare = blocks.flatMap((block) => block.split('\n')).filter((line) => /^\s*(?:- run: )?whoreset /.test(line));
    assert.deepEqual(bare, []);
  });
});
