/**
 * A plain analysis (`whoreset <dir> [options]`, most runs) and a plain `whoreset events <dir>`
 * read without yargs: loading yargs and its help renderer took a third of the start-up. yargs-parser,
 * the parser yargs itself runs, reads the arguments with the same option tables; anything it does
 * not plainly accept (another command, help, an unknown option, a value a check refuses) is left to
 * yargs, which says what is wrong. A test keeps what this gives equal to what yargs gives.
 */
import parser from 'yargs-parser';
import type { Options } from 'yargs';
import type { AnalyzeCommandOptions } from './analyze-command.js';
import type { EventsOptions } from './events-command.js';
import {
  ANALYSE_OPTIONS,
  analyseCommandOptions,
  analyseProblem,
  type AnalyseArgs,
  checkInput,
  COMMANDS,
  EVENTS_OPTIONS,
  eventsCommandOptions,
  eventsProblem,
  type EventsArgs,
  INPUT_OPTIONS,
  REPORT_OPTIONS,
} from './option-table.js';

type Table = ReadonlyArray<[string, Options]>;

const ANALYSE_TABLE: Table = Object.entries({ ...INPUT_OPTIONS, ...REPORT_OPTIONS, ...ANALYSE_OPTIONS });
const EVENTS_TABLE: Table = Object.entries({ ...INPUT_OPTIONS, ...EVENTS_OPTIONS });

/** yargs-parser's settings for a table, as yargs derives them (positionals stay text: `dir` is a string). */
function parserOptions(table: Table): parser.Options {
  const names = (test: (option: Options) => boolean) => table.filter(([, option]) => test(option)).map(([name]) => name);
  const each = <K extends keyof Options>(key: K) => Object.fromEntries(table.filter(([, o]) => o[key] !== undefined).map(([name, o]) => [name, o[key]]));
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

/** The arguments read with `table` when every one is plainly one of its options (positionals as text), else undefined. */
function plainArgs(argv: readonly string[], table: Table): parser.Arguments | undefined {
  // Standard input and the end of the options: yargs' own handling of them.
  if (argv.some((arg) => arg === '-' || arg === '--')) return undefined;
  const { argv: args, error } = parser.detailed([...argv], parserOptions(table));
  if (error) return undefined;
  const known = new Set(['_', ...table.flatMap(([name, o]) => [name, parser.camelCase(name), ...(o.alias === undefined ? [] : [o.alias as string])])]);
  if (Object.keys(args).some((key) => !known.has(key))) return undefined;
  if (!args._.every((positional) => typeof positional === 'string')) return undefined;
  return table.every(([name, option]) => fits(option, args[name])) ? args : undefined;
}

/** The analysis' options for a command line that plainly asks for one, or undefined to let yargs read it. */
export function quickAnalyseOptions(argv: readonly string[]): AnalyzeCommandOptions | undefined {
  const args = plainArgs(argv, ANALYSE_TABLE);
  if (!args) return undefined;
  const [dir, ...more] = args._ as string[];
  if (dir === undefined || (COMMANDS as readonly string[]).includes(dir)) return undefined;
  const read = { ...args, dir, more } as unknown as AnalyseArgs;
  if (checkInput(read) !== undefined || analyseProblem(read) !== undefined) return undefined;
  return analyseCommandOptions(read);
}

/** `events`' options for a command line that plainly asks for it (`events <dir> [options]`), or undefined to let yargs read it. */
export function quickEventsOptions(argv: readonly string[]): EventsOptions | undefined {
  if (argv[0] !== 'events') return undefined;
  const args = plainArgs(argv.slice(1), EVENTS_TABLE);
  if (!args) return undefined;
  const [dir, ...more] = args._ as string[];
  if (dir === undefined || more.length > 0) return undefined;
  const read = { ...args, dir } as unknown as EventsArgs;
  if (checkInput(read) !== undefined || eventsProblem(read) !== undefined) return undefined;
  return eventsCommandOptions(read);
}
