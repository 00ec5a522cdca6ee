#!/usr/bin/env node
import { availableParallelism } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { DEFAULT_WINDOW_MS } from '../analyze.js';
import { FormatLoadError } from '../attribute/format-load.js';
import { RuleLoadError } from '../attribute/load.js';
import type { Attribution } from '../attribute/rule.js';
import { InputError } from '../discover/discover.js';
import { analyzeCommand, CI_FORMATS } from './analyze-command.js';
import { eventsCommand } from './events-command.js';
import { DEFAULT_MAX_DECOMPRESSED_MIB } from '../read/lines.js';
import { jobsProblem, MAX_JOBS, maxDecompressedProblem, tzNameProblems, windowProblem } from './options.js';
import { rulesCommand } from './rules-command.js';
import { selectionOf, withReportOptions, type Selection } from './report-options.js';
import { EXIT_OUTPUT_LOST, onStdoutError, stdoutWasClosed } from './stdout.js';
import { escapeControls } from '../report/output.js';

/** A wrong option value: reported like yargs' own usage errors (exit 2), never as a bug. */
class UsageError extends Error {}
/** A usage error already printed: only the exit code is left to set. */
class UsageReported extends Error {}

/** One worker per core, within what --jobs accepts. */
const DEFAULT_JOBS = Math.min(availableParallelism(), MAX_JOBS);

const ATTRIBUTIONS: readonly Attribution[] = ['server', 'proxy-firewall', 'client', 'unknown'];

/** Exit codes, as ESLint's: documented in the README. */
export const EXIT = { ok: 0, verdictFound: 1, usageOrInput: 2 } as const;

export interface CommonOptions {
  dir: string;
  include: string[];
  exclude: string[];
  /** --formats: folders of declared formats, loaded before anything is read. */
  formats: string[];
  followOutside: boolean;
}

function withInputOptions<T>(y: Argv<T>) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'the log directory of the CI job' })
    .option('include', { type: 'string', array: true, default: [] as string[], describe: 'only files matching these globs' })
    .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'skip files matching these globs' })
    .option('formats', { type: 'string', array: true, default: [] as string[], describe: 'a folder of log formats declared in JSON (repeatable), used next to the built-in ones' })
    .option('follow-outside', { type: 'boolean', default: false, describe: 'also follow links to files and folders outside the directory' })
    .option('max-decompressed', { type: 'number', default: DEFAULT_MAX_DECOMPRESSED_MIB, describe: 'MiB read at most from one compressed file (a gzip bomb stops there)' })
    .check((args) => {
      const problem = maxDecompressedProblem(args['max-decompressed']);
      if (problem) throw new UsageError(problem);
      // Read by read/lines.ts in this thread and in the worker threads, which copy this environment.
      process.env['WHORESET_MAX_DECOMPRESSED_MIB'] = String(args['max-decompressed']);
      return true;
    })
    .option('format', { choices: ['table', 'csv', 'json', 'ndjson', ...CI_FORMATS] as const, describe: 'output format (default: table on a terminal, ndjson otherwise for events)' });
}

async function main(argv: string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  await yargs(argv)
    .scriptName('whoreset')
    .usage('$0 <dir>: who reset the connection? Attributes connection failures in a CI log directory.')
    .command(
      'events <dir>',
      'list the normalised connection events of every log file',
      (y) =>
        withInputOptions(y)
          .option('incidents', {
            type: 'boolean',
            default: false,
            describe: 'first correlate (a second pass), then give each event the id of the incident it belongs to',
          })
          .option('unclaimed', {
            type: 'boolean',
            default: false,
            describe: 'only the lines the fallback read in files no format claims (file:line and text), to write a format for them',
          })
          .option('jobs', { type: 'number', default: DEFAULT_JOBS, describe: 'files parsed in parallel (worker threads); the output is the same whatever it is' })
          .check((args) => {
            const problem = jobsProblem(args.jobs);
            if (problem) throw new UsageError(problem);
            if (args.unclaimed && args.incidents) throw new UsageError('--unclaimed and --incidents do not go together');
            return true;
          }),
      async (args) => {
        exitCode = await eventsCommand({
          dir: args.dir as string,
          include: args.include,
          exclude: args.exclude,
          formats: args.formats,
          followOutside: args['follow-outside'],
          format: args.format ?? (process.stdout.isTTY ? 'table' : 'ndjson'),
          incidents: args.incidents,
          unclaimed: args.unclaimed,
          jobs: args.jobs,
        });
      },
    )
    .command(
      'rules <action> [dirs..]',
      'list the rules, validate rule files, or run their examples (rules list|validate|test [dir])',
      (y) =>
        y
          .positional('action', { choices: ['list', 'validate', 'test'] as const, demandOption: true })
          .positional('dirs', { type: 'string', array: true, default: [] as string[], describe: 'folders of rule files' })
          .option('formats', { type: 'string', array: true, default: [] as string[], describe: 'folders of declared formats whose sources the rules may name' }),
      async (args) => {
        exitCode = await rulesCommand(args.action, args.dirs as string[], args.formats);
      },
    )
    .command(
      '$0 <dir>',
      'analyse a log directory: who reset each connection?',
      (y) =>
        withReportOptions(withInputOptions(y))
          .option('explain', { type: 'boolean', default: false, describe: 'per incident: the evidence lines, the deciding rule, near misses, next steps' })
          .option('events', { type: 'boolean', default: false, describe: 'write the correlated events with their incident id instead of incidents' })
          .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'a folder of rule files (repeatable); a rule with a built-in id replaces it' })
          .option('fail-on', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: 'exit 1 when a verdict with one of these attributions is found (server,proxy-firewall,client,unknown)',
            coerce: (values: string[]) => values.flatMap((v) => v.split(',')).filter((v) => v !== ''),
          })
          .option('tz', { type: 'string', array: true, default: [] as string[], describe: 'zone of a source whose stamps have none: <source>=<IANA zone|±hh:mm> (repeatable)' })
          .option('window', { type: 'number', default: DEFAULT_WINDOW_MS / 1000, describe: 'seconds either side of a failure in which other sources are joined' })
          .option('jobs', { type: 'number', default: DEFAULT_JOBS, describe: 'files parsed in parallel (worker threads); the output is the same whatever it is' })
          .check((args) => {
            const selection = selectionOf(args);
            if (typeof selection === 'string') throw new UsageError(selection);
            const wrong = (args['fail-on'] as string[]).filter((v) => !ATTRIBUTIONS.includes(v as Attribution));
            if (wrong.length > 0) throw new UsageError(`--fail-on: unknown attribution ${wrong.join(', ')}; expected ${ATTRIBUTIONS.join(', ')}`);
            const problem = windowProblem(args.window) ?? jobsProblem(args.jobs) ?? tzNameProblems(args.tz)[0];
            if (problem) throw new UsageError(problem);
            return true;
          }),
      async (args) => {
        exitCode = await analyzeCommand({
          dir: args.dir as string,
          include: args.include,
          exclude: args.exclude,
          formats: args.formats,
          followOutside: args['follow-outside'],
          format: args.format ?? 'table',
          explain: args.explain,
          events: args.events,
          rules: args.rules,
          failOn: args['fail-on'] as Attribution[],
          tz: args.tz,
          window: args.window,
          jobs: args.jobs,
          quiet: args.quiet,
          selection: selectionOf(args) as Selection,
        });
      },
    )
    .strict()
    .demandCommand(1, 'Give the log directory to analyse: whoreset <dir>')
    .recommendCommands()
    .help()
    .version()
    .fail((message, error) => {
      if (error && !(error instanceof UsageError)) throw error;
      process.stderr.write(`whoreset: ${escapeControls(message, false)}\nRun whoreset --help for usage.\n`);
      // Stop here: without this yargs would still run the command.
      throw new UsageReported();
    })
    .parseAsync();
  return exitCode;
}

process.stdout.on('error', onStdoutError);

if (stdoutWasClosed()) {
  process.stderr.write('whoreset: standard output is closed: the report would be lost (redirect it to a file, or to /dev/null on purpose)\n');
  process.exit(EXIT_OUTPUT_LOST);
}

// The one place where errors become messages and exit codes; below it nothing prints or exits.
main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UsageReported) {
      process.exitCode = EXIT.usageOrInput;
    } else if (error instanceof FormatLoadError) {
      process.stderr.write(`whoreset: malformed formats, nothing analysed:\n${error.message}\n`);
      process.exitCode = EXIT.usageOrInput;
    } else if (error instanceof RuleLoadError) {
      const lines = error.problems.map((p) => escapeControls(`${p.file}${p.pointer ? ` at ${p.pointer}` : ''}: ${p.message}`, false));
      process.stderr.write(`whoreset: malformed rules, nothing analysed:\n${lines.join('\n')}\n`);
      process.exitCode = EXIT.usageOrInput;
    } else if (error instanceof InputError) {
      process.stderr.write(`whoreset: ${error.message.split('\n').map((line) => escapeControls(line, false)).join('\n')}\n`);
      process.exitCode = EXIT.usageOrInput;
    } else {
      process.stderr.write(`whoreset: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 3;
    }
  },
);
