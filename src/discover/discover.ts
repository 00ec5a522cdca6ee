import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FormatParser } from '../parse/parser.js';
import type { InputProblem } from '../model/problem.js';
import { detectFormat } from './detect.js';
import { walk, type WalkOptions } from './walk.js';

export interface LogFile {
  /** Path relative to the analysed directory, forward slashes. */
  relative: string;
  absolute: string;
  gzip: boolean;
  /** The format that claimed it; undefined: no format did, only the fallback scan reads it. */
  format: FormatParser | undefined;
}

export interface Discovery {
  files: LogFile[];
  /** Files not read at all, with why (empty, binary, unreadable). */
  skipped: InputProblem[];
  problems: InputProblem[];
}

/** A user error that stops the run before anything is read (exit code 2). */
export class InputError extends Error {}

export async function discover(
  root: string,
  options: WalkOptions,
  formats: readonly FormatParser[],
): Promise<Discovery> {
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new InputError(`${root}: no such directory`);
  if (!info.isDirectory()) throw new InputError(`${root}: not a directory (give the folder that holds the logs)`);
  const problems: InputProblem[] = [];
  const found = await walk(path.resolve(root), options, problems);
  const files: LogFile[] = [];
  const skipped: InputProblem[] = [];
  for (const file of found) {
    const detection = await detectFormat(file.absolute, path.basename(file.relative), formats);
    if (detection.status === 'skipped') {
      skipped.push({ file: file.relative, message: `${detection.reason}: skipped` });
    } else {
      if (detection.status === 'unclaimed') {
        problems.push({ file: file.relative, message: `${detection.reason}: only scanned for lines that name a connection failure` });
      }
      files.push({
        ...file,
        gzip: detection.gzip,
        format: detection.status === 'format' ? detection.format : undefined,
      });
    }
  }
  return { files, skipped, problems };
}
