/**
 * A big analysis runs in a Node started with its V8 heap sized for it. V8 sizes the young
 * generation when the process starts: a flag set later (src/cli/main.ts) cannot shrink it, and
 * --optimize-for-size, which can, also slows every thread by a quarter. So the bin, having found a
 * big input, starts itself again with the flags, and the first process only waits and passes on
 * the exit code. It looks at the files the arguments name before it loads the CLI
 * (relaunchPaysEarly), and at the files the analysis found otherwise (relaunchPays).
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, opendirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A 2 MB semi-space (V8's default grows to 16 MB) and an old generation grown a fifth past what is
 * live (V8's default: up to four times). Against --optimize-for-size, at 1 GiB: client-heavy
 * 10.6 s to 8.0 s, server-heavy 7.4 s to 6.2 s, peak RSS 140-142 MB against 131-146 MB.
 */
export const BIG_JOB_HEAP_FLAGS = ['--max-semi-space-size=2', '--heap-growing-percent=20'] as const;

/** Whether this process is the relaunched one: started with BIG_JOB_HEAP_FLAGS first (cached-run.ts takes their code cache). */
export function startedForBigJob(execArgv: readonly string[] = process.execArgv): boolean {
  return BIG_JOB_HEAP_FLAGS.every((flag, at) => execArgv[at] === flag);
}

/** WHORESET_RELAUNCH_MIN_BYTES: tests relaunch on small inputs. */
const MIN_BYTES_SET = process.env.WHORESET_RELAUNCH_MIN_BYTES === undefined ? undefined : Number(process.env.WHORESET_RELAUNCH_MIN_BYTES);

/**
 * Bytes of input from which the second start pays: it costs about 0.12 s when the bin decides
 * before it loads the CLI (Node started again), 0.22 s after the analysis found its files (the
 * CLI loaded twice; medians of 10 on a sample); the flags save 5-15 % of a 100 MiB job's 1.6-2.1 s
 * and 17-25 % at 1 GiB.
 */
export const RELAUNCH_MIN_BYTES = MIN_BYTES_SET ?? 256 * 1024 * 1024;

/** Whether this process's heap was sized when it started: by the relaunch, or by the user's own flags (kept as they are). */
export function heapSizedAtStart(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--(?:max[-_]semi[-_]space[-_]size|optimize[-_]for[-_]size)\b/.test(arg));
}

/**
 * Whether this process was started for a debugger (--inspect, --inspect-brk, --inspect-wait): it
 * analyses itself, where the debugger is attached (a second process would ask for the same port).
 */
export function startedForDebugger(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): boolean {
  return [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) => /^--inspect(?:-brk|-wait)?(?:=|$)/.test(arg));
}

/** Whether `bytes` of input are worth a Node started with BIG_JOB_HEAP_FLAGS (never twice, nor under a debugger). */
export function relaunchPays(bytes: number): boolean {
  return bytes >= RELAUNCH_MIN_BYTES && !heapSizedAtStart() && !startedForDebugger();
}

/**
 * Whether the arguments naming a file or a directory hold `bytes` or more in their files (links
 * not followed), found within `maxEntries` entries. The bin asks it before it loads the CLI, so a
 * big job's first process costs Node's start and no more; where this cannot tell (a walk cut
 * short, files behind links, --include), the analysis decides again once it has found its files.
 */
export function inputsHoldAtLeast(args: readonly string[], bytes: number, maxEntries = 2_000): boolean {
  const pending = args.filter((arg) => !arg.startsWith('-'));
  let total = 0;
  for (let entries = 0; pending.length > 0 && entries < maxEntries; entries++) {
    const at = pending.pop()!;
    try {
      const stat = lstatSync(at, { throwIfNoEntry: false });
      if (stat?.isFile()) total += stat.size;
      else if (stat?.isDirectory()) {
        // Read no more names than the walk may visit (a directory of a million files).
        const dir = opendirSync(at);
        try {
          for (let entry = dir.readSync(); entry !== null && pending.length < maxEntries; entry = dir.readSync()) pending.push(join(at, entry.name));
        } finally {
          dir.closeSync();
        }
      }
    } catch {
      // Unreadable: the analysis says so, in its own words.
    }
    if (total >= bytes) return true;
  }
  return false;
}

/** Whether the bin, before it loads the CLI, should start itself again for a big input (relaunchPays, on inputsHoldAtLeast's count). */
export function relaunchPaysEarly(args: readonly string[]): boolean {
  return !heapSizedAtStart() && !startedForDebugger() && inputsHoldAtLeast(args, RELAUNCH_MIN_BYTES);
}

/** Runs this bin again, with the heap flags, on the same arguments and streams: its exit code, or undefined if it could not start (this process analyses then). */
export function relaunch(): number | undefined {
  const child = spawnSync(process.execPath, [...BIG_JOB_HEAP_FLAGS, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) return undefined;
  // Killed by a signal (Ctrl-C reaches both processes): this one ends the same way.
  if (child.signal) process.kill(process.pid, child.signal);
  return child.status ?? 1;
}
