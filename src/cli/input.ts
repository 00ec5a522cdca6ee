/** What the user named as input, as discover reads it, and how many jobs may read it. */
import { stat } from 'node:fs/promises';
import fg from 'fast-glob';
import type { JobDir } from '../discover/jobs.js';

/** yargs' parser gives `-` (stdin, as Unix tools write it) as an empty string. */
export function inputPath(dir: string, argv: readonly string[] = process.argv): string {
  return dir === '' && argv.includes('-') ? '-' : dir;
}

/** An archive's entries and stdin are held in this thread's memory, which worker threads cannot read: one job. */
export async function jobsFor(input: string, jobs: number): Promise<number> {
  const info = input === '-' ? undefined : await stat(input).catch(() => undefined);
  return info?.isDirectory() ? jobs : 1;
}

/** The jobs of the arguments when they name several (or a glob does); undefined for one directory. */
export async function severalJobs(args: readonly string[]): Promise<JobDir[] | undefined> {
  if (args.length === 1 && !(fg.isDynamicPattern(args[0]!) && !(await stat(args[0]!).then(() => true, () => false)))) return undefined;
  // Loaded for several jobs only, as their command is.
  const { jobDirs } = await import('../discover/jobs.js');
  return jobDirs(args);
}
