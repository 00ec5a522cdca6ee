#!/usr/bin/env node
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { InputError } from '../discover/discover.js';
import { eventsCommand } from './events-command.js';

/** Exit codes, as ESLint's: documented in the README. */
export const EXIT = { ok: 0, verdictFound: 1, usageOrInput: 2 } as const;

export interface CommonOptions {
  dir: string;
  include: string[];
  exclude: string[];
}

function withInputOptions<T>(y: Argv<T>) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'the log directory of the CI job' })
    .option('include', { type: 'string', array: true, default: [] as string[], describe: 'only files matching these globs' })
    .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'skip files matching these globs' })
    .option('format', { choices: ['table', 'csv', 'json', 'ndjson'] as const, describe: 'output format (default: table on a terminal, ndjson otherwise for events)' });
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  await yargs(argv)
    .scriptName('whoreset')
    .usage('$0 <dir>: who reset the connection? Attributes connection failures in a CI log directory.')
    .command(
      'events <dir>',
      'list the normalised connection events of every log file',
      (y) => withInputOptions(y),
      async (args) => {
        exitCode = await eventsCommand({
          dir: args.dir as string,
          include: args.include,
          exclude: args.exclude,
          format: args.format ?? (process.stdout.isTTY ? 'table' : 'ndjson'),
        });
      },
    )
    .strict()
    .demandCommand(1, 'Give the log directory to analyse: whoreset <dir>')
    .recommendCommands()
    .help()
    .version()
    .fail((message, error, y) => {
      if (error) throw error;
      process.stderr.write(`${y.help() ? '' : ''}whoreset: ${message}\nRun whoreset --help for usage.\n`);
      exitCode = EXIT.usageOrInput;
    })
    .parseAsync();
  return exitCode;
}

// The one place where errors become messages and exit codes; below it nothing prints or exits.
main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof InputError) {
      process.stderr.write(`whoreset: ${error.message}\n`);
      process.exitCode = EXIT.usageOrInput;
    } else {
      process.stderr.write(`whoreset: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 3;
    }
  },
);
