/**
 * The CLI's boundary: arguments in, an exit code out. The one place where errors become messages
 * and exit codes; below it nothing prints (but the report) or exits.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import yargs, { type Argv } from 'yargs';
import { DEFAULT_WINDOW_MS } from '../analyze.js';
import { closeMatches, didYouMean } from '../attribute/did-you-mean.js';
import { FormatLoadError } from '../attribute/format-load.js';
import { describeProblem, RuleLoadError } from '../attribute/load.js';
import { ATTRIBUTIONS, type Attribution } from '../attribute/rule.js';
import { InputError } from '../discover/discover.js';
import { DEFAULT_MAX_DECOMPRESSED_MIB } from '../read/lines.js';
import { escapeControls } from '../report/output.js';
import { analyzeCommand } from './analyze-command.js';
import { eventsCommand } from './events-command.js';
import { EXIT } from './exit.js';
import { CI_FORMATS, isCiFormat, isReportFormat, jobsProblem, MAX_JOBS, maxDecompressedProblem, OUTPUT_FORMATS, REPORT_FORMATS, tzNameProblems, windowProblem } from './options.js';
import { selectionOf, withReportOptions, type Selection } from './report-options.js';
import { rulesCommand } from './rules-command.js';
import { shipCommand } from './ship-command.js';
import { onStdoutError, stdoutWasClosed } from './stdout.js';

/** A wrong option value: reported like yargs' own usage errors (exit 2), never as a bug. */
class UsageError extends Error {}

/** One worker per core, within what --jobs accepts. */
const DEFAULT_JOBS = Math.min(availableParallelism(), MAX_JOBS);

const COMMANDS = ['events', 'rules', 'ship'] as const;

/** Every option of every command, for "did you mean" (a test keeps it equal to what the commands take). */
export const OPTION_NAMES = [
  'include', 'exclude', 'formats', 'follow-outside', 'max-decompressed', 'format', 'bom',
  'incidents', 'unclaimed', 'jobs',
  'explain', 'events', 'rules', 'fail-on', 'tz', 'window', 'quiet', 'incident', 'cause', 'since', 'until',
  'help', 'version',
] as const;

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
    .option('format', { choices: [...OUTPUT_FORMATS, ...REPORT_FORMATS, ...CI_FORMATS], describe: 'output format (default: table on a terminal, ndjson otherwise for events)' })
    .option('bom', { type: 'boolean', default: false, describe: 'start the CSV with a byte order mark (Excel on Windows then reads it as UTF-8)' })
    .check((args) => {
      if (args.bom && args.format !== 'csv') throw new UsageError('--bom goes with --format csv');
      return true;
    });
}

/** What yargs said, in our words, with "did you mean" where a word was misspelt. */
function usageMessage(message: string, argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (unknown) {
    return unknown[1]!
      .split(', ')
      .map((name) => {
        const dashes = argv.find((arg) => arg.replace(/=.*$/, '') === `--${name}` || arg === `-${name}`);
        if (dashes === undefined) return `unexpected argument "${name}"`;
        return `unknown option ${dashes.replace(/=.*$/, '')}${didYouMean(name, OPTION_NAMES).replace(/"([^"]+)"/g, '"--$1"')}`;
      })
      .join('\n');
  }
  const invalid = /^Invalid values:\s+Argument: (\S+), Given: "(.*)", Choices: (.*)$/s.exec(message);
  if (invalid) {
    const choices = [...invalid[3]!.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
    const name = invalid[1] === 'action' ? 'rules' : `--${invalid[1]}`;
    return `${name}: unknown value "${invalid[2]}"${didYouMean(invalid[2]!, choices)}; expected ${choices.join(', ')}`;
  }
  if (message.startsWith('Not enough non-option arguments')) {
    if (argv[0] === 'rules') return 'rules: give what to do: whoreset rules list|validate|test [dir..]';
    return argv[0] === 'events' ? 'events: give the log directory: whoreset events <dir>' : 'give the log directory to analyse: whoreset <dir>';
  }
  return message;
}

/** A first word that is neither a command nor a path but close to a command: a misspelt command. */
function misspeltCommand(argv: readonly string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || (COMMANDS as readonly string[]).includes(first) || existsSync(first)) return undefined;
  const close = closeMatches(first, COMMANDS);
  return close.length > 0 ? `${first}: no such command or directory${didYouMean(first, close)}` : undefined;
}

async function parse(argv: readonly string[]): Promise<number> {
  let exitCode: number = EXIT.ok;
  const misspelt = misspeltCommand(argv);
  if (misspelt) throw new UsageError(misspelt);
  await yargs([...argv])
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
            if (isReportFormat(args.format) || isCiFormat(args.format)) throw new UsageError(`--format ${args.format} is a report of the analysis: whoreset <dir> --format ${args.format}`);
            return true;
          }),
      async (args) => {
        exitCode = await eventsCommand({
          dir: args.dir as string,
          include: args.include,
          exclude: args.exclude,
          formats: args.formats,
          followOutside: args['follow-outside'],
          // A report format was refused by the check above: this only narrows the type.
          format: isReportFormat(args.format) || isCiFormat(args.format) ? 'ndjson' : (args.format ?? (process.stdout.isTTY ? 'table' : 'ndjson')),
          bom: args.bom,
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
    .command(shipCommand((code) => (exitCode = code)))
    .command(
      '$0 <dir> [more..]',
      'analyse a log directory: who reset each connection? (several job directories, or a quoted glob of them: each on its own, rows labelled by job)',
      (y) =>
        withReportOptions(withInputOptions(y))
          .positional('more', { type: 'string', array: true, default: [] as string[], describe: 'more job directories' })
          .option('explain', { type: 'boolean', default: false, describe: 'per incident: the evidence lines, the deciding rule, near misses, next steps' })
          .option('events', { type: 'boolean', default: false, describe: 'write the correlated events with their incident id instead of incidents' })
          .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'a folder of rule files (repeatable); a rule with a built-in id replaces it' })
          .option('fail-on', {
            type: 'string',
            array: true,
            default: [] as string[],
            describe: `exit 1 when a verdict with one of these attributions is found (${ATTRIBUTIONS.join(',')})`,
            coerce: (values: string[]) => values.flatMap((v) => v.split(',')).filter((v) => v !== ''),
          })
          .option('tz', { type: 'string', array: true, default: [] as string[], describe: 'zone of a source whose stamps have none: <source>=<IANA zone|±hh:mm> (repeatable)' })
          .option('window', { type: 'number', default: DEFAULT_WINDOW_MS / 1000, describe: 'seconds either side of a failure in which other sources are joined' })
          .option('jobs', { type: 'number', default: DEFAULT_JOBS, describe: 'files parsed in parallel (worker threads); the output is the same whatever it is' })
          .check((args) => {
            const selection = selectionOf(args);
            if (typeof selection === 'string') throw new UsageError(selection);
            const wrong = (args['fail-on'] as string[]).filter((v) => !ATTRIBUTIONS.includes(v as Attribution));
            if (wrong.length > 0) throw new UsageError(wrong.map((v) => `--fail-on: unknown attribution "${v}"${didYouMean(v, ATTRIBUTIONS)}; expected ${ATTRIBUTIONS.join(', ')}`).join('\n'));
            if (args.events && isReportFormat(args.format)) throw new UsageError(`--events writes rows (csv, json, ndjson); the ${args.format} report already holds every incident's events`);
            const problem = windowProblem(args.window) ?? jobsProblem(args.jobs) ?? tzNameProblems(args.tz)[0];
            if (problem) throw new UsageError(problem);
            return true;
          }),
      async (args) => {
        exitCode = await analyzeCommand({
          dir: args.dir as string,
          dirs: [args.dir as string, ...(args.more as string[])],
          include: args.include,
          exclude: args.exclude,
          formats: args.formats,
          followOutside: args['follow-outside'],
          format: args.format ?? 'table',
          bom: args.bom,
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
    .help()
    .alias('h', 'help')
    .version()
    .fail((message, error) => {
      if (error && !(error instanceof UsageError)) throw error;
      // Stop here: without this yargs would still run the command.
      throw new UsageError(usageMessage(message ?? error!.message, argv));
    })
    .parseAsync();
  return exitCode;
}

/** Runs the CLI on these arguments (without node and the script): the exit code (EXIT). */
export async function run(argv: readonly string[]): Promise<number> {
  if (!process.stdout.listeners('error').includes(onStdoutError)) process.stdout.on('error', onStdoutError);
  if (stdoutWasClosed()) {
    process.stderr.write('whoreset: standard output is closed: the report would be lost (redirect it to a file, or to /dev/null on purpose)\n');
    return EXIT.outputLost;
  }
  try {
    return await parse(argv);
  } catch (error) {
    return report(error);
  }
}

const say = (text: string) => process.stderr.write(`whoreset: ${text.split('\n').map((line) => escapeControls(line, false)).join('\n')}\n`);

/** An error as a message on stderr and an exit code. */
function report(error: unknown): number {
  if (error instanceof UsageError) {
    say(error.message);
    process.stderr.write('Run whoreset --help for usage.\n');
  } else if (error instanceof RuleLoadError) {
    // A FormatLoadError is a RuleLoadError of a formats folder.
    say(`malformed ${error instanceof FormatLoadError ? 'formats' : 'rules'}, nothing analysed:\n${error.problems.map(describeProblem).join('\n')}`);
  } else if (error instanceof InputError) {
    say(error.message);
  } else {
    process.stderr.write(`whoreset: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.internal;
  }
  return EXIT.usageOrInput;
}
