/**
 * The CLI's boundary: arguments in, an exit code out. The one place where errors become messages
 * and exit codes; below it nothing prints (but the report) or exits.
 */
import { existsSync } from 'node:fs';
import { closeMatches, didYouMean } from '../attribute/did-you-mean.js';
import { FormatLoadError } from '../attribute/format-load.js';
import { describeProblem, RuleLoadError } from '../attribute/load.js';
import { InputError } from '../discover/discover.js';
import { escapeControls } from '../report/output.js';
import { analyzeCommand } from './analyze-command.js';
import { EXIT, UsageError } from './exit.js';
import { COMMANDS } from './option-table.js';
import { quickAnalyseOptions, quickEventsOptions } from './quick-parse.js';
import { onStdoutError, stdoutWasClosed } from './stdout.js';

export { OPTION_NAMES } from './option-table.js';

/** A first word that is neither a command nor a path but close to a command: a misspelt command. */
function misspeltCommand(argv: readonly string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-') || (COMMANDS as readonly string[]).includes(first) || existsSync(first)) return undefined;
  const close = closeMatches(first, COMMANDS);
  return close.length > 0 ? `${first}: no such command or directory${didYouMean(first, close)}` : undefined;
}

async function parse(argv: readonly string[]): Promise<number> {
  const misspelt = misspeltCommand(argv);
  if (misspelt) throw new UsageError(misspelt);
  const quick = quickAnalyseOptions(argv);
  if (quick) return analyzeCommand(quick);
  const events = quickEventsOptions(argv);
  if (events) return (await import('./events-command.js')).eventsCommand(events);
  // Loaded only here: yargs and the other commands are a third of a plain run's start-up.
  const { parseWithYargs } = await import('./commands.js');
  return parseWithYargs(argv, analyzeCommand);
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
