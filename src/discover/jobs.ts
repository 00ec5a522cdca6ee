import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { ciJobOf } from './ci-job.js';

/** One CI job's log directory in a run over several. */
export interface JobDir {
  /** The directory as given (or as a glob matched it). */
  dir: string;
  /** What every row of the job is labelled with: the CI's ids, else the directory's name. */
  label: string;
  /** The repository the CI named, if it did. */
  repo?: string;
  /** The CI variables found (GITHUB_RUN_ID, CI_JOB_ID, BUILD_TAG, …); null when none. */
  ci: Record<string, string> | null;
}

/**
 * The job directories of the arguments, in their order: a directory as it is, a quoted glob
 * (`'jobs/*\/'`) as the directories it matches, sorted. A path that does not exist stays, for its
 * job to report it.
 */
export async function jobDirs(args: readonly string[]): Promise<JobDir[]> {
  const dirs: string[] = [];
  for (const arg of args) {
    if (fg.isDynamicPattern(arg) && !(await exists(arg))) {
      const matches = await fg(arg, { onlyDirectories: true, dot: false, followSymbolicLinks: false });
      dirs.push(...matches.sort());
    } else dirs.push(arg);
  }
  const unique = [...new Set(dirs.map((dir) => dir.replace(/(.)\/+$/, '$1')))];
  const jobs: JobDir[] = [];
  for (const dir of unique) {
    const ci = await ciJobOf(dir);
    jobs.push({ dir, label: ci?.label ?? (path.basename(path.resolve(dir)) || dir), ...(ci?.repo !== undefined ? { repo: ci.repo } : {}), ci: ci?.vars ?? null });
  }
  // Two directories of one name (a/logs, b/logs) are told apart by the path given.
  const counts = new Map<string, number>();
  for (const job of jobs) counts.set(job.label, (counts.get(job.label) ?? 0) + 1);
  return jobs.map((job) => (counts.get(job.label)! > 1 && job.ci === null ? { ...job, label: job.dir } : job));
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}
