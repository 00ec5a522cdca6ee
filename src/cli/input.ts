/** What the user named as input, as discover reads it, and how many jobs may read it. */
import { stat } from 'node:fs/promises';

/** yargs' parser gives `-` (stdin, as Unix tools write it) as an empty string. */
export function inputPath(dir: string, argv: readonly string[] = process.argv): string {
  return dir === '' && argv.includes('-') ? '-' : dir;
}

/** An archive's entries and stdin are held in this thread's memory, which worker threads cannot read: one job. */
export async function jobsFor(input: string, jobs: number): Promise<number> {
  const info = input === '-' ? undefined : await stat(input).catch(() => undefined);
  return info?.isDirectory() ? jobs : 1;
}
