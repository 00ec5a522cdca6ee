/**
 * Every command as yargs reads it: help, completion of the usage, the errors of a command line it
 * refuses, and the commands besides a plain analysis. run.ts comes here for whatever quick-parse.ts
 * does not take.
 */
import type { Argv } from 'yargs';
import { didYouMean } from '../attribute/did-you-mean.js';
import type { AnalyzeCommandOptions } from './analyze-command.js';
import { eventsCommand, type EventsOptions } from './events-command.js';
import { UsageError } from './exit.js';
import { ANALYSE_OPTIONS, analyseCommandOptions, analyseProblem, checkInput, COMMANDS, EVENTS_OPTIONS, eventsCommandOptions, eventsProblem, type EventsArgs, INPUT_OPTIONS, OPTION_NAMES, REPORT_OPTIONS } from './option-table.js';
import { rulesCommand } from './rules-command.js';
import { shipCommand } from './ship-command.js';

function withInputOptions<T>(y: Argv<T>) {
  return y
    .positional('dir', { type: 'string', demandOption: true, describe: 'the log directory of the CI job' })
    .options(INPUT_OPTIONS)
    .check((args) => {
      const problem = checkInput(args);
      if (problem) throw new UsageError(problem);
      return true;
    });
}

/** The command the arguments run, as the usage writes it. */
function commandOf(argv: readonly string[]): string {
  return (COMMANDS as readonly string[]).includes(argv[0]!) ? `whoreset ${argv[0]}` : 'whoreset <dir>';
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
        const option = dashes.replace(/=.*$/, '');
        // Another command's option: the nearest name would be itself ("--explain (did you mean "--explain"?)").
        if ((OPTION_NAMES as readonly string[]).includes(name)) return `unknown option ${option}: ${commandOf(argv)} does not take it, another command does`;
        // One letter spells no word: the nearest names would be any short one ("-x (did you mean "--tz"?)").
        if (name.length === 1) return `unknown option ${option}`;
        return `unknown option ${option}${didYouMean(name, OPTION_NAMES).replace(/"([^"]+)"/g, '"--$1"')}`;
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

/** Reads the command line with yargs and runs its command; a plain analysis is handed to `analyse`, an `events` run to `events`. */
export async function parseWithYargs(
  argv: readonly string[],
  analyse: (options: AnalyzeCommandOptions) => Promise<number>,
  events: (options: EventsOptions) => Promise<number> = eventsCommand,
): Promise<number> {
  // Imported here, not above: the bin's CommonJS bundle (scripts/bundle.ts) can only import() yargs, an ES module.
  const { default: yargs } = await import('yargs');
  let exitCode = 0;
  await yargs([...argv])
    .scriptName('whoreset')
    .usage('$0 <dir>: who reset the connection? Attributes connection failures in a CI log directory.')
    .command(
      'events <dir>',
      'list the normalised connection events of every log file',
      (y) =>
        withInputOptions(y)
          .options(EVENTS_OPTIONS)
          .check((args) => {
            const problem = eventsProblem(args as EventsArgs);
            if (problem) throw new UsageError(problem);
            return true;
          }),
      async (args) => {
        exitCode = await events(eventsCommandOptions(args as EventsArgs));
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
        withInputOptions(y)
          .options(REPORT_OPTIONS)
          .positional('more', { type: 'string', array: true, default: [] as string[], describe: 'more job directories' })
          .options(ANALYSE_OPTIONS)
          .check((args) => {
            const problem = analyseProblem(args);
            if (problem) throw new UsageError(problem);
            return true;
          }),
      async (args) => {
        exitCode = await analyse(analyseCommandOptions(args));
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
