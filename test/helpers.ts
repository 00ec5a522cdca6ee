import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/helpers.js. */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** The bin a user runs (package.json's, the bundle): every CLI test runs what is shipped. */
export const CLI = path.join(REPO, (JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { bin: { whoreset: string } }).bin.whoreset);
/** The same CLI as the compiled modules the bundle is made of. */
export const CLI_MODULES = path.join(REPO, 'dist/src/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a user would, capturing its output and exit code. */
export function runCli(args: readonly string[], cwd = REPO, { cli = CLI, env }: { cli?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { cwd, env: env && { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every temporary directory a test file made: removed when its process ends, whether or not the test did. */
const made: string[] = [];
process.once('exit', () => {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Left behind rather than failing the file's tests: a test that makes what rm cannot remove removes it itself.
    }
  }
});

export async function tempDir(prefix = 'whoreset-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Analyses a fresh directory holding these files (relative path → lines) with `--format json`; the parsed output. */
export async function analyseFiles<T>(files: Record<string, readonly string[]>): Promise<T> {
  const dir = await tempDir();
  try {
    for (const [name, lines] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
      await writeFile(path.join(dir, name), lines.join('\n') + '\n');
    }
    const { code, stdout, stderr } = await runCli([dir, '--format', 'json']);
    if (code !== 0) throw new Error(`exit ${code}: ${stderr}`);
    return JSON.parse(stdout) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
