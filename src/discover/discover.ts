import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FormatParser } from '../parse/parser.js';
import type { InputProblem } from '../model/problem.js';
import { detectFormat } from './detect.js';
import { listed, selectEntries, walk, type FoundFile, type WalkOptions } from './walk.js';

export interface LogFile {
  /** Path relative to the analysed directory, forward slashes. */
  relative: string;
  absolute: string;
  gzip: boolean;
  /** The format that claimed it; undefined: no format did, only the fallback scan reads it. */
  format: FormatParser | undefined;
  /** Its bytes, held in this thread's memory: an archive's entry or stdin, under a path no file on disk has. */
  held?: Buffer;
}

export interface Discovery {
  files: LogFile[];
  /** Files not read at all, with why (empty, binary, unreadable). */
  skipped: InputProblem[];
  problems: InputProblem[];
}

/** A user error that stops the run before anything is read (exit code 2). */
export class InputError extends Error {}

/**
 * The files of what the user gave: a folder's (walked), an archive's entries (held in memory),
 * a single log file, or `-`: standard input as one stream.
 */
async function inputFiles(root: string, options: WalkOptions, problems: InputProblem[]): Promise<Array<FoundFile & Pick<LogFile, 'held'>>> {
  // The archive readers (yauzl, tar-stream) load only when needed: a folder's run starts without them.
  const archives = () => import('../read/archive.js');
  if (root === '-') {
    return [{ relative: 'stdin', absolute: path.resolve('<stdin>', 'stdin'), held: await (await archives()).readStdin() }];
  }
  const info = await stat(root).catch(() => undefined);
  if (!info) throw new InputError(`${root}: no such file or directory`);
  if (info.isDirectory()) return walk(path.resolve(root), options, problems);
  if (!info.isFile()) throw new InputError(`${root}: not a folder, an archive or a log file`);
  const absolute = path.resolve(root);
  const { archiveKind, ArchiveError, readArchive } = await archives();
  const kind = await archiveKind(absolute).catch(() => undefined);
  if (kind === undefined) return [{ relative: path.basename(root), absolute }];
  let entries: Awaited<ReturnType<typeof readArchive>>;
  try {
    entries = await readArchive(absolute, kind);
  } catch (error) {
    throw new InputError(error instanceof ArchiveError ? error.message : `${root}: ${(error as Error).message}`);
  }
  const picked = selectEntries(entries.map((entry) => entry.name), options);
  // Under the archive's own path, which no file on disk can have (it is a file, not a folder).
  return entries
    .filter((entry) => picked.has(entry.name))
    .map((entry) => ({ relative: entry.name, absolute: path.join(absolute, entry.name), held: entry.bytes }));
}

export async function discover(
  root: string,
  options: WalkOptions,
  formats: readonly FormatParser[],
): Promise<Discovery> {
  const problems: InputProblem[] = [];
  const found = await inputFiles(root, options, problems);
  const files: LogFile[] = [];
  const skipped: InputProblem[] = [];
  for (const file of found) {
    const detection = await detectFormat(file.absolute, path.basename(file.relative), formats, file.held);
    if (detection.status === 'skipped') {
      // Not a log by its own kind (a JSON report, code, a configuration): passed over quietly, as grep -I passes over binaries.
      if (!detection.document) skipped.push({ file: file.relative, message: `${detection.reason}: skipped` });
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
  return { files, skipped: summarised(skipped), problems: summarised(problems) };
}

/** Files with one message reported one by one up to this many; the rest in one line (a repository root holds thousands). */
export const SKIPPED_SHOWN = 5;

/** Per message, the first few files on a line each and the rest in one line that counts them. */
function summarised(problems: readonly InputProblem[]): InputProblem[] {
  const byMessage = new Map<string, InputProblem[]>();
  for (const problem of problems) {
    const list = byMessage.get(problem.message);
    if (list) list.push(problem);
    else byMessage.set(problem.message, [problem]);
  }
  const out: InputProblem[] = [];
  for (const [message, list] of byMessage) {
    out.push(...list.slice(0, SKIPPED_SHOWN));
    const rest = list.slice(SKIPPED_SHOWN).map((p) => p.file);
    if (rest.length > 0) out.push({ file: '.', message: `${rest.length} more file(s) the same (${message}): ${listed(rest)}` });
  }
  return out;
}
