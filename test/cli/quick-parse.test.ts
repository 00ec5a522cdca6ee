import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { AnalyzeCommandOptions } from '../../src/cli/analyze-command.js';
import { parseWithYargs } from '../../src/cli/commands.js';
import type { EventsOptions } from '../../src/cli/events-command.js';
import { quickAnalyseOptions, quickEventsOptions } from '../../src/cli/quick-parse.js';
import { REPO } from '../helpers.js';

const S = path.join(REPO, 'samples/05-upstream-reset');
const T = path.join(REPO, 'samples/03-nginx-444');

/** What yargs hands the analysis or `events` for these arguments, or the usage error it gives. */
async function viaYargs(argv: string[]): Promise<AnalyzeCommandOptions | EventsOptions | string> {
  let seen: AnalyzeCommandOptions | EventsOptions | undefined;
  const take = async (options: AnalyzeCommandOptions | EventsOptions) => {
    seen = options;
    return 0;
  };
  try {
    await parseWithYargs(argv, take, take);
  } catch (error) {
    return (error as Error).message;
  }
  return seen ?? 'no command run';
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

/** Plain `events` runs: the quick path takes each, and gives what yargs gives. */
const TAKEN_EVENTS: string[][] = [
  ['events', S],
  ['events', S, '--format', 'ndjson'],
  ['events', '--format=csv', '--bom', S],
  ['events', S, '--format', 'json', '--jobs', '1'],
  ['events', S, '--incidents', '--format', 'ecs'],
  ['events', S, '--unclaimed'],
  ['events', S, '--include', '*.log', '--exclude', 'x/**', '--formats', 'f1', 'f2'],
  ['events', S, '--max-decompressed', '10', '--follow-outside', '--no-incidents'],
  ['events', S, '-q'],
  ['events', S, '--quiet', '--unclaimed'],
  ['events', 'rules'],
];

/** Another command, help, standard input, options ended by --, a repeated choice: left to yargs. */
const OTHER: string[][] = [
  ['rules', 'list'],
  ['ship', 'clickhouse://127.0.0.1:1/db', S],
  [S, '--help'],
  ['-h'],
  [S, '--version'],
  ['-'],
  [S, '--', '--jobs'],
  [S, '--format', 'json', '--format', 'csv'],
  ['events', S, '--help'],
  ['events', '-'],
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
  ['events'],
  ['events', S, T],
  ['events', S, '--explain'],
  ['events', S, '--format', 'html'],
  ['events', S, '--format', 'github'],
  ['events', S, '--unclaimed', '--incidents'],
  ['events', S, '--jobs', '0'],
  ['events', S, '--bom'],
  ['events', S, '--format', 'jsn'],
];

/** What the quick path makes of a command line, whichever command it reads it as. */
const quickly = (argv: string[]) => quickAnalyseOptions(argv) ?? quickEventsOptions(argv);

describe('a plain run read without yargs', () => {
  for (const argv of [...TAKEN, ...TAKEN_EVENTS]) {
    it(`takes ${argv.join(' ')} as yargs does`, async () => {
      const quick = quickly(argv);
      assert.ok(quick, 'the quick path left it to yargs');
      assert.deepEqual(quick, await viaYargs(argv));
    });
  }
  for (const argv of [...OTHER, ...REFUSED]) {
    it(`leaves ${argv.join(' ') || '(nothing)'} to yargs`, () => {
      assert.equal(quickly(argv), undefined);
    });
  }
  it('leaves to yargs each command line it refuses', async () => {
    for (const argv of REFUSED) assert.equal(typeof (await viaYargs(argv)), 'string', argv.join(' '));
  });
});
