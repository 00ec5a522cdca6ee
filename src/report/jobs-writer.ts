import type { Analysis } from './analysis.js';
import type { JobDir } from '../discover/jobs.js';
import { csvCell } from './csv.js';
import { writeEcs } from './ecs.js';
import type { OutputFormat } from './event-writer.js';
import { summaryOf } from './incident-record.js';
import { renderCorrelatedEvents, renderIncidents } from './incident-writer.js';
import type { BufferedOutput } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';

/** A job of a run over several, with what its analysis gave (or the input error that stopped it). */
export interface JobAnalysis extends JobDir {
  analysis: Analysis;
}

export interface JobsOutput {
  format: OutputFormat;
  explain: boolean;
  /** --events: the correlated events instead of the incidents. */
  events: boolean;
}

/**
 * Writes the jobs' results one job after the other: each job's section is what one run on its
 * directory writes, with every row labelled by the job (`job` first in NDJSON and CSV,
 * `labels.job` in ECS, an object per job in JSON, a heading in the table), then one summary
 * across the jobs (JSON, table). Renderers never re-analyse: each section is the single-job text,
 * labelled.
 */
export function writeJobs(jobs: readonly JobAnalysis[], options: JobsOutput, out: BufferedOutput): void {
  const single = (job: JobAnalysis) => (options.events ? renderCorrelatedEvents(job.analysis, options.format) : renderIncidents(job.analysis, options.format, options.explain));
  const summary = acrossJobs(jobs);
  switch (options.format) {
    case 'ndjson':
      for (const job of jobs) out.push(labelledLines(single(job), job.label));
      break;
    case 'csv':
      jobs.forEach((job, i) => out.push(labelledCsv(single(job), job.label, i === 0)));
      break;
    case 'ecs':
      for (const job of jobs) writeEcs(job.analysis, options.events, out, job.label);
      break;
    case 'json':
      out.push(`{\n  "schemaVersion": ${JSON.stringify(SCHEMA_VERSION)},\n  "jobs": [`);
      jobs.forEach((job, i) => out.push(`${i > 0 ? ',' : ''}\n${jobObject(single(job), job)}`));
      out.push(`${jobs.length > 0 ? '\n  ' : ''}],\n  "summary": ${JSON.stringify(summary, null, 2).replace(/\n/g, '\n  ')}\n}\n`);
      break;
    case 'table':
      for (const job of jobs) out.push(`== job ${job.label} (${job.dir}) ==\n${single(job)}\n`);
      out.push(`${jobs.length} job(s), ${Object.values(summary).reduce((a, b) => a + b, 0)} incident(s): ${Object.entries(summary).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
      break;
  }
  out.flush();
}

/** The attributions counted over every job. */
export function acrossJobs(jobs: readonly JobAnalysis[]): Record<string, number> {
  const total = summaryOf([]);
  for (const job of jobs) for (const [key, n] of Object.entries(summaryOf(job.analysis.verdicts))) total[key] = (total[key] ?? 0) + n;
  return total;
}

/** NDJSON lines with the job as their first key (JSON escapes every newline inside a value). */
function labelledLines(text: string, label: string): string {
  const prefix = `{"job":${JSON.stringify(label)},`;
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (line === '{}' ? `{"job":${JSON.stringify(label)}}` : prefix + line.slice(1)) + '\n')
    .join('');
}

/** CSV records (CRLF-ended, a quoted cell may hold line breaks) with the job as their first cell; the header once. */
export function labelledCsv(text: string, label: string, withHeader: boolean): string {
  const records = csvRecords(text);
  const cell = csvCell(label);
  return records.map((record, i) => (i === 0 ? (withHeader ? `job,${record}` : '') : `${cell},${record}`)).join('');
}

/** Splits CSV text at the CRLF that end records: those outside quotes. */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) {
      records.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records;
}

/**
 * One job of the JSON: the single run's object less its schemaVersion, the job's label, directory
 * and CI ids first, nested one level deeper (JSON.stringify's layout of the whole document).
 */
function jobObject(text: string, job: JobAnalysis): string {
  const lines = text.replace(/\n$/, '').split('\n');
  // lines[0] is "{", lines[1] the schemaVersion, the last "}".
  const body = lines.slice(2, -1).map((line) => '    ' + line);
  const head = [`      "job": ${JSON.stringify(job.label)},`, `      "dir": ${JSON.stringify(job.dir)},`, `      "ci": ${JSON.stringify(job.ci, null, 2).replace(/\n/g, '\n      ')},`];
  return ['    {', ...head, ...body, '    }'].join('\n');
}
