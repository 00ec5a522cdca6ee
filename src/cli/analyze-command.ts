import { once } from 'node:events';
import { analyze, analyzeStreaming } from '../analyze.js';
import { loadFormats } from '../attribute/format-load.js';
import { loadRules } from '../attribute/load.js';
import type { Attribution } from '../attribute/rule.js';
import { discover, InputError } from '../discover/discover.js';
import { runFormats } from '../parse/formats.js';
import type { OutputFormat } from '../report/event-writer.js';
import { incidentSink, isStreamedFormat, writeCorrelatedEvents, writeIncidents } from '../report/incident-writer.js';
import { UTF8_BOM } from '../report/csv.js';
import { BufferedOutput, ByteOutput } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import type { InputProblem } from '../model/problem.js';
import { stdoutView } from '../report/table-style.js';
import { parseZoneOptions } from '../time/timeline.js';
import { EXIT } from './exit.js';
import type { CommonOptions } from './options.js';
import { writeJsonBytes, writeReportText } from './stdout.js';
import { filesAsJobs, inputPath, jobsFor, severalJobs } from './input.js';
import { startProgress } from './progress.js';
import { relaunch, relaunchPays } from './relaunch.js';
import { sizeOfAll } from '../run/ranges.js';
import { selectVerdicts, type Selection } from './report-options.js';
import { isCiFormat, isReportFormat, type CiFormat, type ReportFormat } from './options.js';

export interface AnalyzeCommandOptions extends CommonOptions {
  format: OutputFormat | CiFormat | ReportFormat;
  explain: boolean;
  events: boolean;
  rules: string[];
  failOn: Attribution[];
  tz: string[];
  window: number;
  /** Files parsed in parallel; the output does not depend on it. */
  jobs: number;
  /** Several job directories (or globs of them): each analysed on its own, rows labelled by job. */
  dirs?: string[];
  /** No warnings and no progress on stderr. */
  quiet?: boolean;
  /** Which incidents to report (--incident, --cause, --since, --until); the exit code looks at all. */
  selection?: Selection;
}

/** `whoreset <dir>`: incidents with verdicts. Exit 1 when a --fail-on verdict is found. */
export async function analyzeCommand(options: AnalyzeCommandOptions): Promise<number> {
  if (options.format === 'xlsx' && process.stdout.isTTY) throw new InputError('--format xlsx writes a binary workbook: send it to a file (whoreset <dir> --format xlsx > report.xlsx)');
  const { zones, errors } = parseZoneOptions(options.tz);
  if (errors.length > 0) throw new InputError(errors.join('\n'));
  // Formats first: a user rule may name a declared format's source.
  const formats = runFormats(await loadFormats(options.formats));
  const rules = await loadRules(options.rules, { formats });
  const shared = { include: options.include, exclude: options.exclude, followOutside: options.followOutside, zones, windowMs: options.window * 1000, rules, formats };
  const dir = inputPath(options.dir);
  const several = dir === '-' ? undefined : await severalJobs(options.dirs ?? [options.dir]);
  if (several) {
    const format = options.format;
    if (isReportFormat(format) || isCiFormat(format)) throw new InputError(`--format ${format} reports one job: run it on each directory (${several.length} given)`);
    const files = await filesAsJobs(several);
    if (files && !options.quiet) process.stderr.write(formatProblem(files) + '\n');
    const { jobsCommand } = await import('./jobs-command.js');
    return jobsCommand({ ...options, format }, several, { ...shared, jobs: options.jobs });
  }
  // Weighed before anything is read: a big input is analysed by a Node whose heap is sized for it.
  const discovered = dir === '-' ? undefined : await discover(dir, shared, formats.list);
  if (discovered && relaunchPays(sizeOfAll(discovered.files))) {
    const code = relaunch();
    if (code !== undefined) return code;
  }
  const progress = startProgress(process.stderr, options.quiet);
  const analyzeOptions = { dir, ...shared, discovered, jobs: await jobsFor(dir, options.jobs), onFound: progress.found };
  const onProblem = (problem: InputProblem) => {
    // On a terminal, over the progress line, if one is shown.
    if (!options.quiet) process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[K' : ''}${formatProblem(problem)}\n`);
  };
  const noFiles = () => new InputError(`${dir === '-' ? 'standard input' : dir}: no readable log files`);
  const format = options.format;
  if (isStreamedFormat(format) && !options.events) {
    // Written as the verdicts are decided: a job with a million failures is never held whole.
    let verdictFound: number = EXIT.ok;
    // JSON straight into bytes: a long job's report is tens of MB of text.
    const out = format === 'csv' ? new BufferedOutput((chunk) => writeReportText(format, chunk)) : new ByteOutput((bytes) => writeJsonBytes(bytes));
    if (options.bom) out.push(UTF8_BOM);
    const sink = incidentSink(format, out);
    const congested = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined);
    const rest = await analyzeStreaming(
      analyzeOptions,
      onProblem,
      (verdict) => {
        if (options.failOn.includes(verdict.attribution)) verdictFound = EXIT.verdictFound;
        if (!options.selection || selectVerdicts([verdict], options.selection).length > 0) sink.verdict(verdict);
      },
      congested,
    ).finally(progress.stop);
    if (rest.filesRead === 0) throw noFiles();
    sink.end(rest);
    return verdictFound;
  }
  const analysis = await analyze(analyzeOptions, onProblem).finally(progress.stop);
  if (analysis.filesRead === 0) throw noFiles();
  const verdictFound = analysis.verdicts.some((v) => options.failOn.includes(v.attribution)) ? EXIT.verdictFound : EXIT.ok;
  const shown = options.selection ? { ...analysis, verdicts: selectVerdicts(analysis.verdicts, options.selection) } : analysis;
  if (format === 'xlsx') {
    // Loaded only for a workbook: exceljs alone costs a third of a second of start-up.
    const { writeXlsx } = await import('../report/xlsx.js');
    await writeXlsx(shown, process.stdout);
    return verdictFound;
  }
  if (format === 'github' || format === 'junit') {
    if (options.events) throw new InputError(`--format ${format} reports incidents, not --events`);
    const { writeCiReport } = await import('./ci-report.js');
    writeCiReport(shown, format, dir === '-' ? '.' : dir);
    return verdictFound;
  }
  // Written incident by incident in 64 KiB writes: the output is never held whole. The page and
  // the incidents' table escape the logs' text themselves (the table before adding its colours).
  const escapesItself = format === 'html' || (format === 'table' && !options.events);
  const out = new BufferedOutput((chunk) => (escapesItself ? process.stdout.write(chunk) : writeReportText(format, chunk)));
  if (options.bom) out.push(UTF8_BOM);
  if (format === 'html') (await import('../report/html.js')).writeHtml(shown, out);
  else if (options.events) writeCorrelatedEvents(shown, format, out);
  else writeIncidents(shown, format, options.explain, out, stdoutView());
  return verdictFound;
}
