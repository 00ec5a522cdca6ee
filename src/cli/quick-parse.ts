/**
 * A plain analysis (`whoreset <dir> [options]`, most runs) read without yargs: loading yargs and
 * its help renderer took a third of the start-up. yargs-parser, the parser yargs itself runs,
 * reads the arguments with the same option tables; anything it does not plainly accept (a command,
 * help, an unknown option, a value a check refuses) is left to yargs, which says what is wrong.
 * A test keeps what this gives equal to what yargs gives.
 */
import parser from 'yargs-parser';
import type { Options } from 'yargs';
import type { AnalyzeCommandOptions } from './analyze-command.js';
import { ANALYSE_OPTIONS, analyseCommandOptions, analyseProblem, type AnalyseArgs, checkInput, COMMANDS, INPUT_OPTIONS, REPORT_OPTIONS } from './option-table.js';

const TABLE: ReadonlyArray<[string, Options]> = Object.entries({ ...INPUT_OPTIONS, ...REPORT_OPTIONS, ...ANALYSE_OPTIONS });

/** yargs-parser's settings for the tables, as yargs derives them (positionals stay text: `dir` is a string). */
function parserOptions(): parser.Options {
  const names = (test: (option: Options) => boolean) => TABLE.filter(([, option]) => test(option)).map(([name]) => name);
  const each = <K extends keyof Options>(key: K) => Object.fromEntries(TABLE.filter(([, o]) => o[key] !== undefined).map(([name, o]) => [name, o[key]]));
  return {
    array: names((o) => o.array === true),
    boolean: names((o) => o.type === 'boolean'),
    number: names((o) => o.type === 'number'),
    string: names((o) => o.type === 'string'),
    // Copies: the parser may add to an array it was given as a default.
    default: Object.fromEntries(Object.entries(each('default')).map(([name, value]) => [name, Array.isArray(value) ? [...value] : value])),
    alias: each('alias') as Record<string, string>,
    coerce: each('coerce') as Record<string, (value: unknown) => unknown>,
    configuration: { 'parse-positional-numbers': false },
  };
}

/** Whether a value has the type its option declares (and is one of its choices). */
function fits(option: Options, value: unknown): boolean {
  if (option.array) return Array.isArray(value) && value.every((v) => fits({ ...option, array: false }, v));
  if (option.choices) return value === undefined || option.choices.includes(value as string);
  if (option.type === 'boolean') return typeof value === 'boolean';
  if (option.type === 'number') return typeof value === 'number';
  return value === undefined || typeof value === 'string';
}

/** The analysis' options for a command line that plainly asks for one, or undefined to let yargs read it. */
export function quickAnalyseOptions(argv: readonly string[]): AnalyzeCommandOptions | undefined {
  // Standard input and the end of the options: yargs' own handling of them.
  if (argv.some((arg) => arg === '-' || arg === '--')) return undefined;
  const { argv: args, error } = parser.detailed([...argv], parserOptions());
  if (error) return undefined;
  const known = new Set(['_', ...TABLE.flatMap(([name, o]) => [name, parser.camelCase(name), ...(o.alias === undefined ? [] : [o.alias as string])])]);
  if (Object.keys(args).some((key) => !known.has(key))) return undefined;
  const [dir, ...more] = args._;
  if (typeof dir !== 'string' || (COMMANDS as readonly string[]).includes(dir) || !more.every((m) => typeof m === 'string')) return undefined;
  if (!TABLE.every(([name, option]) => fits(option, args[name]))) return undefined;
  const read = { ...args, dir, more } as unknown as AnalyseArgs;
  if (checkInput(read) !== undefined || analyseProblem(read) !== undefined) return undefined;
  return analyseCommandOptions(read);
}
