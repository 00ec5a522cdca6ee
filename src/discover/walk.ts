import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { InputProblem } from '../parse/parser.js';

export interface WalkOptions {
  include: readonly string[];
  exclude: readonly string[];
}

/** Never analysed: dependency and VCS trees are not logs of the job. */
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**'];

export interface FoundFile {
  /** Path relative to the analysed directory, forward slashes. */
  relative: string;
  absolute: string;
}

/**
 * Lists the files under `root`. fast-glob walks without following links; each symlink is resolved
 * here, and a linked directory is walked only if its real path was not seen yet, so a link loop
 * (`logs/again -> ..`) ends instead of recursing.
 */
export async function walk(root: string, options: WalkOptions, problems: InputProblem[]): Promise<FoundFile[]> {
  const found: FoundFile[] = [];
  const seenFiles = new Set<string>();
  const rootReal = await realpath(root);
  const seenDirs = new Set<string>([rootReal]);
  const patterns = options.include.length > 0 ? [...options.include] : ['**/*'];
  const ignore = [...ALWAYS_EXCLUDED, ...options.exclude];

  async function visit(dir: string, prefix: string): Promise<void> {
    const entries = await fg(patterns, {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      ignore,
      suppressErrors: true,
    });
    for (const entry of entries) {
      const relative = prefix + entry.path;
      const absolute = path.join(dir, entry.path);
      if (entry.dirent.isFile()) {
        addFile(relative, absolute, await realpath(absolute));
      } else if (entry.dirent.isSymbolicLink()) {
        await visitLink(relative, absolute);
      }
    }
  }

  async function visitLink(relative: string, absolute: string): Promise<void> {
    let target: string;
    try {
      target = await realpath(absolute);
    } catch {
      problems.push({ file: relative, message: 'broken symbolic link: skipped' });
      return;
    }
    const info = await stat(target);
    if (info.isFile()) {
      addFile(relative, absolute, target);
    } else if (info.isDirectory()) {
      if (rootReal.startsWith(target + path.sep) || target === rootReal) {
        problems.push({ file: relative, message: 'symbolic link to a folder that holds the analysed directory (a loop): skipped' });
        return;
      }
      if (seenDirs.has(target)) {
        problems.push({ file: relative, message: 'symbolic link to a directory already walked (a loop or a duplicate): skipped' });
        return;
      }
      seenDirs.add(target);
      await visit(target, relative + '/');
    }
  }

  function addFile(relative: string, absolute: string, real: string): void {
    if (seenFiles.has(real)) return; // the same file reached twice through links
    seenFiles.add(real);
    found.push({ relative, absolute });
  }

  await visit(root, '');
  // Deterministic order, whatever the file system returns.
  found.sort((a, b) => (a.relative < b.relative ? -1 : a.relative > b.relative ? 1 : 0));
  return found;
}
