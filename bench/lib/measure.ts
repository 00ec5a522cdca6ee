import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** GNU time: its %M is the child's peak RSS in KiB, counted by the kernel (wait4's ru_maxrss); %U and %S its CPU seconds. */
export const GNU_TIME = '/usr/bin/time';

export interface Sample {
  seconds: number;
  /** Peak resident set size of the measured process, KiB. */
  rssKiB: number;
  /** CPU seconds of the process, all its threads (user + system): over `seconds`, the cores it kept busy. */
  cpuSeconds: number;
  code: number | null;
  signal: string | null;
  /** The last bytes of the child's stderr, to show why a run failed. */
  stderrTail: string;
}

export function haveGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

/** Runs `argv` once as a whole process, stdout to /dev/null, and times it. */
export function measure(argv: readonly string[], cwd: string): Promise<Sample> {
  const dir = mkdtempSync(join(tmpdir(), 'whoreset-bench-'));
  const out = join(dir, 'time.txt');
  const devnull = openSync('/dev/null', 'w');
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(GNU_TIME, ['-f', '%U %S %M', '-o', out, ...argv], { cwd, stdio: ['ignore', devnull, 'pipe'] });
    let tail = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => {
      tail = (tail + s).slice(-2000);
    });
    child.on('error', (e) => {
      closeSync(devnull);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      closeSync(devnull);
      // GNU time writes "Command exited with non-zero status N" before the format line.
      const lines = existsSync(out) ? readFileSync(out, 'utf8').trim().split('\n') : [];
      const [user, system, rss] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
      rmSync(dir, { recursive: true, force: true });
      resolve({ seconds, rssKiB: Number.isFinite(rss) ? rss! : NaN, cpuSeconds: user! + system!, code, signal, stderrTail: tail });
    });
  });
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
