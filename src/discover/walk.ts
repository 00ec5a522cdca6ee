import { readdir as fsReaddir, type Dirent, type Stats } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import picomatch from 'picomatch';
import type { InputProblem } from '../model/problem.js';

export interface WalkOptions {
  include: readonly string[];
  exclude: readonly string[];
  /** Follow links whose target lies outside the analysed directory (--follow-outside). */
  followOutside?: boolean;
}

/** Never analysed: dependency and VCS trees are not logs of the job. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

export interface FoundFile {
  /** Path relative to the analysed directory, forward slashes. */
  relative: string;
  absolute: string;
}

/** Whether `inner` is `outer` or lies under it (real paths). */
function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith(path.sep) ? outer : outer + path.sep);
}

/** What a node that is neither file nor folder is, for the line that says it was skipped. */
function specialKind(info: Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isSocket()) return 'a socket';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * Lists the files under `root`. fast-glob walks without following links; each symlink is resolved
 * here and followed only while it stays inside the analysed directory (a link to a secrets file
 * would print its lines in the report), and a linked folder only once, so a link loop ends. Every
 * node that cannot be listed, resolved or read, and every pipe, socket or device, is a problem
 * of its own; none stops the walk.
 */
export async function walk(root: string, options: WalkOptions, problems: InputProblem[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const seenFiles = new Set<string>();
  const rootReal = await realpath(root);
  const seenDirs = new Set<string>([rootReal]);
  const patterns = options.include.length > 0 ? [...options.include] : ['**/*'];
  const ignore = [...ALWAYS_EXCLUDED, ...options.exclude];
  const relativeOf = (absolute: string) => path.relative(rootReal, absolute).split(path.sep).join('/') || '.';

  // fast-glob suppresses a folder it cannot list; its file system is wrapped to say so.
  type ReaddirCallback = (error: NodeJS.ErrnoException | null, entries: Dirent[]) => void;
  const readdir = (dir: string, ...rest: unknown[]) => {
    const callback = rest.pop() as ReaddirCallback;
    const report: ReaddirCallback = (error, entries) => {
      if (error) problems.push({ file: relativeOf(dir), message: `folder cannot be read (${errorCode(error)}): skipped` });
      callback(error, entries);
    };
    (fsReaddir as (...args: unknown[]) => void)(dir, ...rest, report);
  };

  async function visit(dir: string, prefix: string): Promise<void> {
    const entries = await fg(patterns, {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      ignore,
      // `--include '*.log'` means every .log file, at any depth, as .gitignore and most tools read a pattern without a slash.
      baseNameMatch: true,
      suppressErrors: true,
      fs: { readdir: readdir as never },
    });
    for (const entry of entries) {
      const relative = prefix + entry.path;
      const absolute = path.join(dir, entry.path);
      try {
        if (entry.dirent.isFile()) addFile(relative, absolute, await realpath(absolute));
        else if (entry.dirent.isSymbolicLink()) await visitLink(relative, absolute);
        else if (!entry.dirent.isDirectory()) problems.push({ file: relative, message: `${specialKind(entry.dirent)}: skipped` });
      } catch (error) {
        // Gone or changed since it was listed: that one file is skipped.
        problems.push({ file: relative, message: `cannot be read (${errorCode(error)}): skipped` });
      }
    }
  }

  async function visitLink(relative: string, absolute: string): Promise<void> {
    let target: string;
    try {
      target = await realpath(absolute);
    } catch (error) {
      const code = errorCode(error);
      problems.push({ file: relative, message: code === 'ENOENT' ? 'broken symbolic link: skipped' : `symbolic link cannot be resolved (${code}): skipped` });
      return;
    }
    if (within(rootReal, target)) {
      problems.push({ file: relative, message: 'symbolic link to a folder that holds the analysed directory (a loop): skipped' });
      return;
    }
    if (!options.followOutside && !within(target, rootReal)) {
      problems.push({ file: relative, message: 'symbolic link to outside the analysed directory: skipped (--follow-outside reads it)' });
      return;
    }
    const info = await stat(target);
    if (info.isFile()) {
      addFile(relative, absolute, target);
    } else if (info.isDirectory()) {
      if (seenDirs.has(target)) {
        problems.push({ file: relative, message: 'symbolic link to a directory already walked (a loop or a duplicate): skipped' });
        return;
      }
      seenDirs.add(target);
      await visit(target, relative + '/');
    } else {
      problems.push({ file: relative, message: `symbolic link to ${specialKind(info)}: skipped` });
    }
  }

  function addFile(relative: string, absolute: string, real: string): void {
    if (seenFiles.has(real)) return; // the same file reached twice through links
    seenFiles.add(real);
    found.push({ relative, absolute });
  }

  await visit(root, '');
  if (options.include.length > 0) {
    const leftOut = await leftOutBy(root, ignore, new Set(found.map((f) => f.relative)));
    if (leftOut.length > 0) problems.push({ file: '.', message: `--include left out ${leftOut.length} file(s): ${listed(leftOut)}` });
  }
  // Deterministic order, whatever the file system returns.
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return found;
}

/** The files --include did not pick (the others, --exclude and the always-excluded trees aside): said, so that a verdict never changes silently. */
async function leftOutBy(root: string, ignore: string[], picked: ReadonlySet<string>): Promise<string[]> {
  const all = await fg(['**/*'], { cwd: root, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore, baseNameMatch: true, suppressErrors: true });
  return all.filter((file) => !picked.has(file)).sort();
}

/** The first few names and how many more: one line however many there are. */
export function listed(names: readonly string[], shown = 5): string {
  return names.slice(0, shown).join(', ') + (names.length > shown ? `, … ${names.length - shown} more` : '');
}

/**
 * The names of an archive's entries that --include and --exclude pick, as for a folder: picomatch is
 * fast-glob's own matcher, `basename` its baseNameMatch (a pattern without a slash matches at any depth).
 */
export function selectEntries(names: readonly string[], options: WalkOptions): Set<string> {
  const picked = picomatch(options.include.length > 0 ? [...options.include] : ['**/*'], { dot: true, basename: true });
  const ignored = picomatch([...ALWAYS_EXCLUDED, ...options.exclude], { dot: true, basename: true });
  return new Set(names.filter((name) => picked(name) && !ignored(name)));
}
