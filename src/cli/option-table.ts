/**
 * The analysis' and `events`' options declared once, as data: yargs builds its commands and help
 * from these tables, and the quick reading of a plain run (quick-parse.ts) reads the same ones. Their checks
 * give the reason a value is refused; the caller throws it as a usage error.
 */
import { availableParallelism } from 'node:os';
import type { Options } from 'yargs';
import { DEFAULT_WINDOW_MS } from '../analyze.js';
import { didYouMean } from '../attribute/did-you-mean.js';
import { ATTRIBUTIONS, type Attribution } from '../attribute/rule.js';
import { DEFAULT_MAX_DECOMPRESSED_MIB } from '../read/lines.js';
import type { AnalyzeCommandOptions } from './analyze-command.js';
import type { EventsOptions } from './events-command.js';
import { CI_FORMATS, isCiFormat, isReportFormat, jobsProblem, MAX_JOBS, maxDecompressedProblem, OUTPUT_FORMATS, REPORT_FORMATS, tzNameProblems, windowProblem } from './options.js';
import { selectionOf, type Selection } from './report-options.js';

/** The commands besides the analysis; a first word that names one is never a directory. */
export const COMMANDS = ['events', 'rules', 'ship'] as const;

/** Every option of every command, for "did you mean" (a test keeps it equal to what the commands take). */
export const OPTION_NAMES = [
  'include', 'exclude', 'formats', 'follow-outside', 'max-decompressed', 'format', 'bom',
  'incidents', 'unclaimed', 'jobs',
  'explain', 'events', 'rules', 'fail-on', 'tz', 'window', 'quiet', 'incident', 'cause', 'since', 'until',
  'help', 'version',
] as const;

/** One worker per core, within what --jobs accepts. */
export const DEFAULT_JOBS = Math.min(availableParallelism(), MAX_JOBS);

const JOBS = { type: 'number', default: DEFAULT_JOBS, describe: 'files parsed in parallel (worker threads); the output is the same whatever it is' } as const satisfies Options;

const QUIET = { alias: 'q', type: 'boolean', default: false, describe: 'no warnings and no progress on stderr: only the output (and errors)' } as const satisfies Options;

/** What every command that reads a directory takes. */
export const INPUT_OPTIONS = {
  include: { type: 'string', array: true, default: [] as string[], describe: 'only files matching these globs' },
  exclude: { type: 'string', array: true, default: [] as string[], describe: 'skip files matching these globs' },
  formats: { type: 'string', array: true, default: [] as string[], describe: 'a folder of log formats declared in JSON (repeatable), used next to the built-in ones' },
  'follow-outside': { type: 'boolean', default: false, describe: 'also follow links to files and folders outside the directory' },
  'max-decompressed': { type: 'number', default: DEFAULT_MAX_DECOMPRESSED_MIB, describe: 'MiB read at most from one compressed file (a gzip bomb stops there)' },
  format: { choices: [...OUTPUT_FORMATS, ...REPORT_FORMATS, ...CI_FORMATS], describe: 'output format (default: table on a terminal, ndjson otherwise for events)' },
  bom: { type: 'boolean', default: false, describe: 'start the CSV with a byte order mark (Excel on Windows then reads it as UTF-8)' },
} as const satisfies Record<string, Options>;

/** `events` besides the input options. */
export const EVENTS_OPTIONS = {
  incidents: { type: 'boolean', default: false, describe: 'first correlate (a second pass), then give each event the id of the incident it belongs to' },
  unclaimed: { type: 'boolean', default: false, describe: 'only the lines the fallback read in files no format claims (file:line and text), to write a format for them' },
  jobs: JOBS,
  quiet: QUIET,
} as const satisfies Record<string, Options>;

/** What part of the report to show, and how quietly. */
export const REPORT_OPTIONS = {
  quiet: QUIET,
  incident: { type: 'string', array: true, default: [] as string[], describe: 'report only these incidents (I3; repeatable or comma-separated)' },
  cause: { type: 'string', array: true, default: [] as string[], describe: 'report only incidents with this verdict or cause (server, server/upstream-reset; repeatable)' },
  since: { type: 'string', describe: 'report only incidents at or after this time (ISO 8601; UTC unless it names a zone)' },
  until: { type: 'string', describe: 'report only incidents at or before this time (ISO 8601; UTC unless it names a zone)' },
} as const satisfies Record<string, Options>;

/** The analysis (`whoreset <dir>`) besides the input and report options. */
export const ANALYSE_OPTIONS = {
  explain: { type: 'boolean', default: false, describe: 'per incident: the evidence lines, the deciding rule, near misses, next steps' },
  events: { type: 'boolean', default: false, describe: 'write the correlated events with their incident id instead of incidents' },
  rules: { type: 'string', array: true, default: [] as string[], describe: 'a folder of rule files (repeatable); a rule with a built-in id replaces it' },
  'fail-on': {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: `exit 1 when a verdict with one of these attributions is found (${ATTRIBUTIONS.join(',')})`,
    coerce: (values: string[]) => values.flatMap((v) => v.split(',')).filter((v) => v !== ''),
  },
  tz: { type: 'string', array: true, default: [] as string[], describe: 'zone of a source whose stamps have none: <source>=<IANA zone|±hh:mm> (repeatable)' },
  window: { type: 'number', default: DEFAULT_WINDOW_MS / 1000, describe: 'seconds either side of a failure in which other sources are joined' },
  jobs: JOBS,
} as const satisfies Record<string, Options>;

/** The analysis' arguments once read, whichever way. */
export interface AnalyseArgs {
  dir: string;
  more: string[];
  include: string[];
  exclude: string[];
  formats: string[];
  'follow-outside': boolean;
  'max-decompressed': number;
  format?: (typeof INPUT_OPTIONS.format.choices)[number];
  bom: boolean;
  quiet: boolean;
  incident: string[];
  cause: string[];
  since?: string;
  until?: string;
  explain: boolean;
  events: boolean;
  rules: string[];
  'fail-on': string[];
  tz: string[];
  window: number;
  jobs: number;
}

/** Why the input options are refused, or undefined; accepted, --max-decompressed is passed on to the readers. */
export function checkInput(args: Pick<AnalyseArgs, 'max-decompressed' | 'bom' | 'format'>): string | undefined {
  const problem = maxDecompressedProblem(args['max-decompressed']);
  if (problem) return problem;
  if (args.bom && args.format !== 'csv') return '--bom goes with --format csv';
  // Read by read/lines.ts in this thread and in the worker threads, which copy this environment.
  process.env['WHORESET_MAX_DECOMPRESSED_MIB'] = String(args['max-decompressed']);
  return undefined;
}

/** Why the analysis' own options are refused, or undefined. */
export function analyseProblem(args: AnalyseArgs): string | undefined {
  const selection = selectionOf(args);
  if (typeof selection === 'string') return selection;
  const wrong = args['fail-on'].filter((v) => !ATTRIBUTIONS.includes(v as Attribution));
  if (wrong.length > 0) return wrong.map((v) => `--fail-on: unknown attribution "${v}"${didYouMean(v, ATTRIBUTIONS)}; expected ${ATTRIBUTIONS.join(', ')}`).join('\n');
  if (args.events && isReportFormat(args.format)) return `--events writes rows (csv, json, ndjson); the ${args.format} report already holds every incident's events`;
  return windowProblem(args.window) ?? jobsProblem(args.jobs) ?? tzNameProblems(args.tz)[0];
}

/** What the analysis runs with, from arguments its checks accepted. */
export function analyseCommandOptions(args: AnalyseArgs): AnalyzeCommandOptions {
  return {
    dir: args.dir,
    dirs: [args.dir, ...args.more],
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
  };
}

/** `events`' arguments once read, whichever way. */
export interface EventsArgs extends Pick<AnalyseArgs, 'dir' | 'include' | 'exclude' | 'formats' | 'follow-outside' | 'max-decompressed' | 'format' | 'bom' | 'jobs' | 'quiet'> {
  incidents: boolean;
  unclaimed: boolean;
}

/** Why `events`' own options are refused, or undefined. */
export function eventsProblem(args: EventsArgs): string | undefined {
  const jobs = jobsProblem(args.jobs);
  if (jobs) return jobs;
  if (args.unclaimed && args.incidents) return '--unclaimed and --incidents do not go together';
  if (isReportFormat(args.format) || isCiFormat(args.format)) return `--format ${args.format} is a report of the analysis: whoreset <dir> --format ${args.format}`;
  return undefined;
}

/** What `events` runs with, from arguments its checks accepted. */
export function eventsCommandOptions(args: EventsArgs): EventsOptions {
  return {
    dir: args.dir,
    include: args.include,
    exclude: args.exclude,
    formats: args.formats,
    followOutside: args['follow-outside'],
    // A report format was refused by eventsProblem: this only narrows the type.
    format: isReportFormat(args.format) || isCiFormat(args.format) ? 'ndjson' : (args.format ?? (process.stdout.isTTY ? 'table' : 'ndjson')),
    bom: args.bom,
    incidents: args.incidents,
    unclaimed: args.unclaimed,
    jobs: args.jobs,
    quiet: args.quiet,
  };
}
