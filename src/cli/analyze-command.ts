import { analyze } from '../analyze.js';
import { loadFormats } from '../attribute/format-load.js';
import { loadRules } from '../attribute/load.js';
import type { Attribution } from '../attribute/rule.js';
import { InputError } from '../discover/discover.js';
import { useDeclaredFormats } from '../parse/formats.js';
import type { OutputFormat } from '../report/event-writer.js';
import { writeCorrelatedEvents, writeIncidents } from '../report/incident-writer.js';
import { UTF8_BOM } from '../report/csv.js';
import { writeHtml } from '../report/html.js';
import { BufferedOutput } from '../report/output.js';
import { writeXlsx } from '../report/xlsx.js';
import { formatProblem } from '../report/problem.js';
import { parseZoneOptions } from '../time/timeline.js';
import { EXIT } from './exit.js';
import type { CommonOptions } from './options.js';
import { safeReportText } from './stdout.js';
import { jobsCommand, severalJobs } from './jobs-command.js';

export interface AnalyzeCommandOptions extends CommonOptions {
  format: OutputFormat | 'html' | 'xlsx';
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
}

/** `whoreset <dir>`: incidents with verdicts. Exit 1 when a --fail-on verdict is found. */
export async function analyzeCommand(options: AnalyzeCommandOptions): Promise<number> {
  if (options.format === 'xlsx' && process.stdout.isTTY) throw new InputError('--format xlsx writes a binary workbook: send it to a file (whoreset <dir> --format xlsx > report.xlsx)');
  const { zones, errors } = parseZoneOptions(options.tz);
  if (errors.length > 0) throw new InputError(errors.join('\n'));
  // Formats first: a user rule may name a declared format's source.
  useDeclaredFormats(await loadFormats(options.formats));
  const rules = await loadRules(options.rules);
  const shared = { include: options.include, exclude: options.exclude, followOutside: options.followOutside, zones, windowMs: options.window * 1000, rules, jobs: options.jobs };
  const several = await severalJobs(options.dirs ?? [options.dir]);
  if (several) {
    const format = options.format;
    if (format === 'html' || format === 'xlsx') throw new InputError(`--format ${format} reports one job: run it on each directory (${several.length} given)`);
    return jobsCommand({ ...options, format }, several, shared);
  }
  const analysis = await analyze(
    { dir: options.dir, ...shared },
    (problem) => process.stderr.write(formatProblem(problem) + '\n'),
  );
  if (analysis.filesRead === 0) throw new InputError(`${options.dir}: no readable log files`);
  const verdictFound = analysis.verdicts.some((v) => options.failOn.includes(v.attribution)) ? EXIT.verdictFound : EXIT.ok;
  if (options.format === 'xlsx') {
    await writeXlsx(analysis, process.stdout);
    return verdictFound;
  }
  // Written incident by incident in 64 KiB writes: the output is never held whole.
  const format = options.format;
  const out = new BufferedOutput((chunk) => process.stdout.write(format === 'html' ? chunk : safeReportText(format, chunk)));
  if (options.bom) out.push(UTF8_BOM);
  if (format === 'html') writeHtml(analysis, out);
  else if (options.events) writeCorrelatedEvents(analysis, format, out);
  else writeIncidents(analysis, format, options.explain, out);
  return verdictFound;
}
