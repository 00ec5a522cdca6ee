/**
 * Numbers and names from the command line, checked before anything runs: a value out of range is
 * a usage error (exit 2), never a loop bound (`--window 1e12` once made the join run for ever).
 */
import { didYouMean } from '../attribute/did-you-mean.js';
import { SOURCES } from '../model/event.js';
import type { OutputFormat } from '../report/event-writer.js';
import { clockGroup } from '../time/clock-group.js';

/** What --format accepts; a new renderer adds one line here. */
export const OUTPUT_FORMATS = [
  'table',
  'csv',
  'json',
  'ndjson',
  'ecs',
] as const satisfies readonly OutputFormat[];

/** Formats of the whole analysis as one file (a page, a workbook): not of an event stream. */
export const REPORT_FORMATS = ['html', 'xlsx'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** Formats a CI reads: GitHub's workflow commands, JUnit XML (incidents only). */
export const CI_FORMATS = ['github', 'junit'] as const;
export type CiFormat = (typeof CI_FORMATS)[number];

export const isCiFormat = (format: string | undefined): format is CiFormat => CI_FORMATS.includes(format as CiFormat);

export const isReportFormat = (format: string | undefined): format is ReportFormat => REPORT_FORMATS.includes(format as ReportFormat);

/** Widest join window: an hour either side is already far beyond any one request. */
export const MAX_WINDOW_SECONDS = 3600;
/** More workers than this only adds memory: a CI runner has far fewer cores. */
export const MAX_JOBS = 64;

/** The reason a --window value is refused, or undefined. */
export function windowProblem(seconds: number): string | undefined {
  if (Number.isFinite(seconds) && seconds > 0 && seconds <= MAX_WINDOW_SECONDS) return undefined;
  return `--window: expected seconds, more than 0 and at most ${MAX_WINDOW_SECONDS} (got ${String(seconds)})`;
}

/** The reason a --jobs value is refused, or undefined. */
export function jobsProblem(jobs: number): string | undefined {
  if (Number.isInteger(jobs) && jobs >= 1 && jobs <= MAX_JOBS) return undefined;
  return `--jobs: expected a whole number from 1 to ${MAX_JOBS} (got ${String(jobs)})`;
}

/** The reason a --max-decompressed value (MiB) is refused, or undefined. */
export function maxDecompressedProblem(mib: number): string | undefined {
  if (Number.isFinite(mib) && mib > 0 && mib <= 1024 * 1024) return undefined;
  return `--max-decompressed: expected MiB, more than 0 and at most ${1024 * 1024} (got ${String(mib)})`;
}

/** The names --tz accepts before '=': every source and every clock group. */
export const TZ_NAMES: readonly string[] = [...new Set([...SOURCES, ...SOURCES.map(clockGroup)])].sort();

/** The reasons the --tz values' names are refused (their zones are checked by parseZoneOptions). */
export function tzNameProblems(specs: readonly string[]): string[] {
  return specs
    .map((spec) => spec.slice(0, Math.max(0, spec.indexOf('='))))
    .filter((name) => name !== '' && !TZ_NAMES.includes(name))
    .map((name) => `--tz ${name}=…: no source is called "${name}"${didYouMean(name, TZ_NAMES)}; known: ${TZ_NAMES.join(', ')}`);
}

/** The options every command that reads a directory takes. */
export interface CommonOptions {
  dir: string;
  include: string[];
  exclude: string[];
  /** --formats: folders of declared formats, loaded before anything is read. */
  formats: string[];
  followOutside: boolean;
  /** --bom: the CSV starts with U+FEFF. */
  bom?: boolean;
}
