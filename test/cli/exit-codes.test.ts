import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OPTION_NAMES } from '../../src/cli/run.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const SAMPLE = path.join(REPO, 'samples/03-nginx-444');

/** Every way the CLI exits 2 on a usage or input error, and the one message each must give. */
const USAGE_ERRORS: Array<{ name: string; args: (dirs: Dirs) => string[]; stderr: RegExp }> = [
  { name: 'no arguments', args: () => [], stderr: /^whoreset: give the log directory to analyse: whoreset <dir>$/m },
  { name: 'events without a directory', args: () => ['events'], stderr: /^whoreset: events: give the log directory: whoreset events <dir>$/m },
  { name: 'rules without an action', args: () => ['rules'], stderr: /^whoreset: rules: give what to do: whoreset rules list\|validate\|test/m },
  { name: 'a misspelt command', args: () => ['evnts', SAMPLE], stderr: /^whoreset: evnts: no such command or directory \(did you mean "events"\?\)$/m },
  { name: 'a misspelt rules action', args: () => ['rules', 'lst'], stderr: /^whoreset: rules: unknown value "lst" \(did you mean "list"/m },
  { name: 'a misspelt option', args: () => [SAMPLE, '--formt', 'json'], stderr: /^whoreset: unknown option --formt \(did you mean "--format"/m },
  { name: "another command's option", args: () => ['events', SAMPLE, '--explain'], stderr: /^whoreset: unknown option --explain: whoreset events does not take it, another command does$/m },
  { name: 'an unknown one-letter option (no spelling to mend)', args: () => [SAMPLE, '-x'], stderr: /^whoreset: unknown option -x$/m },
  { name: 'a misspelt option with its value joined', args: () => [SAMPLE, '--explian=true'], stderr: /^whoreset: unknown option --explian \(did you mean "--explain"\?\)$/m },
  { name: 'a misspelt format', args: () => [SAMPLE, '--format', 'jsn'], stderr: /^whoreset: --format: unknown value "jsn" \(did you mean "json"/m },
  { name: 'a misspelt attribution', args: () => [SAMPLE, '--fail-on', 'servr'], stderr: /^whoreset: --fail-on: unknown attribution "servr" \(did you mean "server"\?\); expected server, proxy-firewall, client, network, unknown$/m },
  { name: 'a second directory that does not exist', args: () => [SAMPLE, '/nonexistent/logs'], stderr: /^whoreset: job logs: \/nonexistent\/logs: no such file or directory$/m },
  { name: 'a window out of range', args: () => [SAMPLE, '--window', '0'], stderr: /^whoreset: --window: expected seconds, more than 0/m },
  { name: 'jobs out of range', args: () => ['events', SAMPLE, '--jobs', '0'], stderr: /^whoreset: --jobs: expected a whole number from 1 to 64 \(got 0\)$/m },
  { name: 'a --tz source that does not exist', args: () => [SAMPLE, '--tz', 'ngnix=+08:00'], stderr: /^whoreset: --tz ngnix=…: no source is called "ngnix"/m },
  { name: 'a --tz zone that does not exist', args: () => [SAMPLE, '--tz', 'nginx=Mars/Olympus'], stderr: /^whoreset: .*Mars\/Olympus/m },
  { name: '--unclaimed with --incidents', args: () => ['events', SAMPLE, '--unclaimed', '--incidents'], stderr: /^whoreset: --unclaimed and --incidents do not go together$/m },
  { name: 'no such directory', args: () => ['/nonexistent/logs'], stderr: /^whoreset: \/nonexistent\/logs: no such file or directory$/m },
  { name: 'a file that is no log', args: () => [path.join(SAMPLE, 'expected.json')], stderr: /^whoreset: .*expected\.json: no readable log files$/m },
  { name: 'an empty directory', args: (d) => [d.empty], stderr: /^whoreset: .*: no readable log files$/m },
  { name: 'events of an empty directory', args: (d) => ['events', d.empty], stderr: /^whoreset: .*: no readable log files$/m },
  { name: 'unclaimed lines of an empty directory', args: (d) => ['events', d.empty, '--unclaimed'], stderr: /^whoreset: .*: no readable log files$/m },
  { name: 'a missing rules folder', args: () => [SAMPLE, '--rules', '/nonexistent/rules'], stderr: /^whoreset: malformed rules, nothing analysed:\n.*\/nonexistent\/rules/m },
  { name: 'a malformed rule', args: (d) => ['rules', 'validate', d.badRules], stderr: /^whoreset: malformed rules, nothing analysed:\n.*broken\.json/m },
  { name: 'a missing formats folder', args: () => [SAMPLE, '--formats', '/nonexistent/formats'], stderr: /^whoreset: malformed formats, nothing analysed:\n.*\/nonexistent\/formats/m },
  { name: 'max-decompressed out of range', args: () => [SAMPLE, '--max-decompressed', '-1'], stderr: /^whoreset: --max-decompressed: expected MiB/m },
];

interface Dirs {
  empty: string;
  badRules: string;
}

describe('exit 2: each usage or input error says what is wrong', { concurrency: 4 }, async () => {
  const dirs: Dirs = { empty: await tempDir(), badRules: await tempDir() };
  await mkdir(dirs.badRules, { recursive: true });
  await writeFile(path.join(dirs.badRules, 'broken.json'), '{ "id": ');
  for (const { name, args, stderr } of USAGE_ERRORS) {
    it(name, async () => {
      const result = await runCli(args(dirs));
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at |internal error/);
    });
  }
});

describe('the CLI boundary', () => {
  it('-h prints the usage and exits 0', async () => {
    const result = await runCli(['-h']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^whoreset <dir>: who reset the connection\?/);
    assert.match(result.stdout, /--help/);
  });

  it('knows every option the commands take, and no other, for "did you mean"', async () => {
    const shown = new Set<string>();
    for (const args of [['--help'], ['events', '--help'], ['rules', '--help']]) {
      const { stdout } = await runCli(args);
      for (const [, name] of stdout.matchAll(/^\s+(?:-\w, )?--([\w-]+)/gm)) shown.add(name!);
    }
    assert.deepEqual([...shown].sort(), [...OPTION_NAMES].sort());
  });

  it('exits 1 for a --fail-on verdict, 0 otherwise', async () => {
    assert.equal((await runCli([SAMPLE, '--fail-on', 'server'])).code, 1);
    assert.equal((await runCli([SAMPLE, '--fail-on', 'client'])).code, 0);
  });
});
