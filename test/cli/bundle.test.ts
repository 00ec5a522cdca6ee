import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { copyFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { CLI, CLI_MODULES, REPO, runCli, tempDir } from '../helpers.js';

/**
 * The bin is the esbuild bundle of the compiled modules (scripts/bundle.ts). Each command line
 * below reaches another part of it (the plain path, yargs and its commands, each report format,
 * the worker's bundle, the jobs), and must give what the modules give: the same stdout, stderr
 * and exit code.
 */
const COMMAND_LINES: ReadonlyArray<{ args: string[]; env?: Record<string, string> }> = [
  { args: ['samples/05-upstream-reset'] },
  { args: ['samples/19-tz-shanghai', '--explain'] },
  ...['csv', 'json', 'ndjson', 'ecs', 'html', 'github', 'junit'].map((format) => ({ args: ['samples/33-ci-console-mixed', '--format', format] })),
  { args: ['samples/50-parallel-resets', '--events', '--format', 'csv'] },
  { args: ['events', 'samples/29-busy-same-second', '--format', 'ndjson'] },
  { args: ['events', 'samples/34-compose-logs', '--unclaimed'] },
  // Workers even for a small job: the worker is an entry of the bundle of its own.
  { args: ['samples/54-parallel-overload', '--format', 'json', '--jobs', '2'], env: { WHORESET_PARALLEL_MIN_BYTES: '1' } },
  { args: ['events', 'samples/54-parallel-overload', '--format', 'ndjson', '--jobs', '2'], env: { WHORESET_PARALLEL_MIN_BYTES: '1' } },
  { args: ['samples/05-upstream-reset', 'samples/19-tz-shanghai', '--format', 'ndjson'] },
  { args: ['rules', 'list'] },
  { args: ['rules', 'validate'] },
  { args: ['--help'] },
  // yargs finds its translations beside its own files: outside the bundle, as in the modules.
  { args: ['--help'], env: { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' } },
  { args: ['--version'] },
  { args: ['samples/05-upstream-reset', '--no-such-option'] },
  { args: ['no/such/dir'] },
];

describe('the bin (the bundle) does what the modules do', () => {
  it("is package.json's bin: a script a shell runs, made apart from the modules", () => {
    assert.notEqual(CLI, CLI_MODULES);
    assert.ok((statSync(CLI).mode & 0o111) !== 0, `${CLI} is not executable`);
    assert.match(readFileSync(CLI, 'utf8'), /^#!\/usr\/bin\/env node\n/);
  });

  it('compiles the CLI from the code cache made at build, and a check finds a cache V8 rejects', async () => {
    const check = { env: { WHORESET_CODE_CACHE: 'check' } };
    const taken = await runCli(['samples/05-upstream-reset'], REPO, check);
    assert.equal(taken.code, 0, taken.stderr);
    const copy = await tempDir();
    try {
      for (const file of ['main.js', 'run.cjs']) await copyFile(path.join(path.dirname(CLI), file), path.join(copy, file));
      await writeFile(path.join(copy, 'run.cjs.cache'), 'not a code cache');
      const rejected = await runCli(['samples/05-upstream-reset'], REPO, { ...check, cli: path.join(copy, 'main.js') });
      assert.notEqual(rejected.code, 0);
      assert.match(rejected.stderr, /V8 did not take the code cache/);
    } finally {
      await rm(copy, { recursive: true, force: true });
    }
  });

  it('a relaunched big job (its heap flags) compiles from a code cache of its own', async () => {
    const relaunched = await runCli(['samples/05-upstream-reset'], REPO, { env: { WHORESET_CODE_CACHE: 'check', WHORESET_RELAUNCH_MIN_BYTES: '1' } });
    assert.equal(relaunched.code, 0, relaunched.stderr);
    assert.match(relaunched.stdout, /server/);
  });

  it('events (Node\'s own heap flags) compiles from a code cache of its own', async () => {
    const events = await runCli(['events', 'samples/05-upstream-reset', '--format', 'ndjson'], REPO, { env: { WHORESET_CODE_CACHE: 'check' } });
    assert.equal(events.code, 0, events.stderr);
    assert.match(events.stdout, /"source":"nginx-error"/);
  });

  for (const { args, env } of COMMAND_LINES) {
    it(`${args.join(' ')}${env ? ` (${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(' ')})` : ''}`, async () => {
      const [bundled, modules] = await Promise.all([runCli(args, REPO, { env }), runCli(args, REPO, { cli: CLI_MODULES, env })]);
      assert.ok(modules.stdout.length + modules.stderr.length > 0, 'the modules said nothing');
      // JUnit's suite carries the time of the run.
      const runTime = (result: typeof modules) => ({ ...result, stdout: result.stdout.replace(/ timestamp="[^"]*"/, ' timestamp="(the run)"') });
      assert.deepEqual(runTime(bundled), runTime(modules));
    });
  }
});
