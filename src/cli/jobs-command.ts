import path from 'node:path';
import { analyze, type Analysis, type AnalyzeOptions } from '../analyze.js';
import { InputError } from '../discover/discover.js';
import type { JobDir } from '../discover/jobs.js';
import { BUILT_IN_SIDES } from '../parse/formats.js';
import { WorkerPool } from '../run/pool.js';
import type { InputProblem } from '../model/problem.js';
import { writeJobs, type JobAnalysis } from '../report/jobs-writer.js';
import { BufferedOutput } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import type { OutputFormat } from '../report/event-writer.js';
import type { Attribution } from '../attribute/rule.js';
import { EXIT } from './exit.js';
import { writeReportText } from './stdout.js';

/** What analyze() needs besides the directory: the same for every job (rules and formats loaded once). */
export type SharedAnalysis = Omit<AnalyzeOptions, 'dir'>;

/**
 * Each job directory analysed on its own, one after the other, in this process; the rows
 * labelled by job, one summary across them. A job whose input cannot be read is reported as that
 * job's (exit 2 at the end), the others are still analysed.
 */
/** What the jobs' report is written as, and which verdicts exit 1. */
export interface JobsReportOptions {
  format: OutputFormat;
  explain: boolean;
  events: boolean;
  failOn: Attribution[];
}

export async function jobsCommand(options: JobsReportOptions, jobs: readonly JobDir[], shared: SharedAnalysis): Promise<number> {
  const done: JobAnalysis[] = [];
  let failed = false;
  await withSharedWorkers(shared, async (withPool) => {
    for (const job of jobs) {
      const analysis = await analyseJob(job, withPool);
      if (analysis.filesRead === 0) failed = true;
      done.push({ ...job, analysis });
    }
  });
  const out = new BufferedOutput((chunk) => writeReportText(options.format, chunk));
  writeJobs(done, { format: options.format, explain: options.explain, events: options.events }, out);
  if (failed) return EXIT.usageOrInput;
  return done.some((job) => job.analysis.verdicts.some((v) => options.failOn.includes(v.attribution))) ? EXIT.verdictFound : EXIT.ok;
}

/** Runs `work` with one pool of workers for every job (a pool per job cost more to start than the samples take to read). */
export async function withSharedWorkers(shared: SharedAnalysis, work: (shared: SharedAnalysis) => Promise<void>): Promise<void> {
  const pool = (shared.jobs ?? 1) > 1 ? new WorkerPool(shared.jobs!, { formats: shared.formats }) : undefined;
  try {
    await work({ ...shared, pool });
  } finally {
    await pool?.close();
  }
}

/** One job's analysis; its problems on stderr under the job's directory. Bad input gives an analysis of nothing with the problem. */
export async function analyseJob(job: JobDir, shared: SharedAnalysis): Promise<Analysis> {
  const inJob = (problem: InputProblem): InputProblem => ({ ...problem, file: path.join(job.dir, problem.file) });
  const report = (problem: InputProblem) => process.stderr.write(formatProblem(inJob(problem)) + '\n');
  try {
    const analysis = await analyze({ ...shared, dir: job.dir }, report);
    if (analysis.filesRead === 0) {
      const problem = { file: `job ${job.label}`, message: `${job.dir}: no readable log files` };
      process.stderr.write(formatProblem(problem) + '\n');
      return { ...analysis, problems: [...analysis.problems, problem] };
    }
    return analysis;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const problem = { file: `job ${job.label}`, message: error.message };
    process.stderr.write(formatProblem(problem) + '\n');
    return { verdicts: [], rules: shared.rules, clock: [], files: [], problems: [problem], filesRead: 0, sides: shared.formats?.sides ?? BUILT_IN_SIDES };
  }
}
