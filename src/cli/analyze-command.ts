import { analyze, type Analysis } from '../analyze.js';
import { loadFormats } from '../attribute/format-load.js';
import { loadRules } from '../attribute/load.js';
import type { Attribution } from '../attribute/rule.js';
import { InputError } from '../discover/discover.js';
import { useDeclaredFormats } from '../parse/formats.js';
import type { OutputFormat } from '../report/event-writer.js';
import { writeCorrelatedEvents, writeIncidents } from '../report/incident-writer.js';
import { BufferedOutput } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import { stdoutView } from '../report/table-style.js';
import { parseZoneOptions } from '../time/timeline.js';
import type { CommonOptions } from './main.js';
import { safeReportText } from './stdout.js';
import { writeCiReport } from './ci-report.js';
import { inputPath, jobsFor } from './input.js';
import { startProgress } from './progress.js';
import { selectVerdicts, type Selection } from './report-options.js';

/** Formats a CI reads: GitHub's workflow commands, JUnit XML. */
export const CI_FORMATS = ['github', 'junit'] as const;
export type CiFormat = (typeof CI_FORMATS)[number];

export interface AnalyzeCommandOptions extends CommonOptions {
  format: OutputFormat | CiFormat;
  explain: boolean;
  events: boolean;
  rules: string[];
  failOn: Attribution[];
  tz: string[];
  window: number;
  /** Files parsed in parallel; the output does not depend on it. */
  jobs: number;
  /** No warnings and no progress on stderr. */
  quiet?: boolean;
  /** Which incidents to report (--incident, --cause, --since, --until); the exit code looks at all. */
  selection?: Selection;
}

/** `whoreset <dir>`: incidents with verdicts. Exit 1 when a --fail-on verdict is found. */
export async function analyzeCommand(options: AnalyzeCommandOptions): Promise<number> {
  const { zones, errors } = parseZoneOptions(options.tz);
  if (errors.length > 0) throw new InputError(errors.join('\n'));
  // Formats first: a user rule may name a declared format's source.
  useDeclaredFormats(await loadFormats(options.formats));
  const rules = await loadRules(options.rules);
  const dir = inputPath(options.dir);
  const stopProgress = startProgress(process.stderr, options.quiet);
  const analysis = await analyze(
    { dir, include: options.include, exclude: options.exclude, followOutside: options.followOutside, zones, windowMs: options.window * 1000, rules, jobs: await jobsFor(dir, options.jobs) },
    (problem) => {
      // On a terminal, over the progress line, if one is shown.
      if (!options.quiet) process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${formatProblem(problem)}\n`);
    },
  ).finally(stopProgress);
  if (analysis.filesRead === 0) throw new InputError(`${dir === '-' ? 'standard input' : dir}: no readable log files`);
  // Written incident by incident in 64 KiB writes: the output is never held whole.
  const format = options.format;
  const shown = options.selection ? { ...analysis, verdicts: selectVerdicts(analysis.verdicts, options.selection) } : analysis;
  if (format === 'github' || format === 'junit') {
    if (options.events) throw new InputError(`--format ${format} reports incidents, not --events`);
    writeCiReport(shown, format, dir === '-' ? '.' : dir);
    return exitCode(analysis, options.failOn);
  }
  // The incidents' table escapes the logs' text itself, before it adds its own colour codes.
  const table = options.format === 'table' && !options.events;
  const out = new BufferedOutput((chunk) => process.stdout.write(table ? chunk : safeReportText(format, chunk)));
  if (options.events) writeCorrelatedEvents(shown, format, out);
  else writeIncidents(shown, format, options.explain, out, stdoutView());
  return exitCode(analysis, options.failOn);
}

function exitCode(analysis: Analysis, failOn: readonly Attribution[]): number {
  return analysis.verdicts.some((v) => failOn.includes(v.attribution)) ? 1 : 0;
}
