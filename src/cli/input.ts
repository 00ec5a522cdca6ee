/** What the user named as input, as discover reads it, and how many jobs may read it. */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { JobDir } from '../discover/jobs.js';
import type { InputProblem } from '../model/problem.js';

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

/** File arguments named in the warning: the first few, then a count. */
const NAMED_FILES = 3;

/**
 * Several arguments are several jobs. Log files among them (not archives, which are jobs) are each
 * read apart from the others: `whoreset logs/*` named a job's files, not its directory, and its
 * client's failures would be decided without its server's logs. Undefined when no argument is one.
 */
export async function filesAsJobs(jobs: readonly JobDir[]): Promise<InputProblem | undefined> {
  const files: string[] = [];
  for (const { dir } of jobs) {
    if (!(await stat(dir).catch(() => undefined))?.isFile()) continue;
    // Loaded for a file argument only, as the archive readers are.
    const { archiveKind } = await import('../read/archive.js');
    if ((await archiveKind(dir)) === undefined) files.push(dir);
  }
  if (files.length === 0) return undefined;
  const parent = commonDirectory(files);
  const more = files.length > NAMED_FILES ? ` and ${files.length - NAMED_FILES} more` : '';
  return {
    file: files.slice(0, NAMED_FILES).join(', ') + more,
    message:
      `files given as arguments: each argument is a job of its own, read apart from the others (a client's failures are then decided without the server's logs); ` +
      `to read one job's files together, name its directory: whoreset ${parent ?? '<its directory>'}`,
  };
}

/** The deepest directory holding all of `files` (as they were given), if they share one. */
function commonDirectory(files: readonly string[]): string | undefined {
  const [first, ...others] = files.map((file) => path.dirname(path.normalize(file)).split(path.sep));
  let depth = first!.length;
  for (const parts of others) while (depth > 0 && parts.slice(0, depth).join(path.sep) !== first!.slice(0, depth).join(path.sep)) depth--;
  // The root (or nothing in common) holds every job there is: no advice.
  return depth > 1 || (depth === 1 && first![0] !== '') ? first!.slice(0, depth).join(path.sep) : undefined;
}
