import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnalyzeCommandOptions } from '../../src/cli/analyze-command.js';
import { parseWithYargs } from '../../src/cli/commands.js';
import { quickAnalyseOptions } from '../../src/cli/quick-parse.js';
import { REPO } from '../helpers.js';

const S = path.join(REPO, 'samples/05-upstream-reset');
const T = path.join(REPO, 'samples/03-nginx-444');

/** What yargs hands the analysis for these arguments, or the usage error it gives. */
async function viaYargs(argv: string[]): Promise<AnalyzeCommandOptions | string> {
  let seen: AnalyzeCommandOptions | undefined;
  try {
    await parseWithYargs(argv, async (options) => {
      seen = options;
      return 0;
    });
  } catch (error) {
    return (error as Error).message;
  }
  return seen ?? 'no analysis';
}

/** Plain runs: the quick path takes each, and gives what yargs gives. */
const TAKEN: string[][] = [
  [S],
  [S, '--jobs', '1'],
  ['--jobs', '2', S],
  [S, '--format', 'json'],
  [S, '--format=csv', '--bom'],
  [S, '--explain', '-q'],
  [S, '--no-explain', '--quiet=false'],
  [S, '--fail-on', 'server,client'],
  [S, '--fail-on', 'server', '--fail-on', 'client', '--format', 'github'],
  [S, '--failOn', 'network'],
  [S, T],
  [S, T, '--window', '2.5', '--tz', 'nginx=+08:00'],
  [S, '--rules', 'r1', 'r2', '--formats', 'f1'],
  [S, '--include', '*.log', '--exclude', 'x/**'],
  [S, '--since', '2026-11-24T00:00:00Z', '--until', '2026-11-25'],
  [S, '--incident', 'I1,I2', '--cause', 'server', '--cause', 'client/timeout'],
  [S, '--events', '--format', 'ndjson'],
  [S, '--max-decompressed', '10', '--follow-outside'],
  [S, '--format', 'html'],
];

/** Another command, help, standard input, options ended by --, a repeated choice: left to yargs. */
const OTHER: string[][] = [
  ['events', S],
  ['rules', 'list'],
  ['ship', 'clickhouse://127.0.0.1:1/db', S],
  [S, '--help'],
  ['-h'],
  [S, '--version'],
  ['-'],
  [S, '--', '--jobs'],
  [S, '--format', 'json', '--format', 'csv'],
];

/** What yargs refuses: left to it, for its message. */
const REFUSED: string[][] = [
  [S, '--formt', 'json'],
  [S, '--format', 'jsn'],
  [S, '--jobs', '0'],
  [S, '--jobs', 'many'],
  [S, '--window', '0'],
  [S, '--bom'],
  ['--rules', 'r1', S],
  [S, '--fail-on', 'servr'],
  [S, '--since', 'yesterday'],
  [S, '--events', '--format', 'html'],
  [S, '--tz', 'ngnix=+08:00'],
  ['--quiet'],
  [],
];

describe('a plain run read without yargs', () => {
  for (const argv of TAKEN) {
    it(`takes ${argv.join(' ')} as yargs does`, async () => {
      const quick = quickAnalyseOptions(argv);
      assert.ok(quick, 'the quick path left it to yargs');
      assert.deepEqual(quick, await viaYargs(argv));
    });
  }
  for (const argv of [...OTHER, ...REFUSED]) {
    it(`leaves ${argv.join(' ') || '(nothing)'} to yargs`, () => {
      assert.equal(quickAnalyseOptions(argv), undefined);
    });
  }
  it('leaves to yargs each command line it refuses', async () => {
    for (const argv of REFUSED) assert.equal(typeof (await viaYargs(argv)), 'string', argv.join(' '));
  });
});
