/**
 * A big analysis runs in a Node started with its V8 heap sized for it. V8 sizes the young
 * generation when the process starts: a flag set later (src/cli/main.ts) cannot shrink it, and
 * --optimize-for-size, which can, also slows every thread by a quarter. So the bin, having found a
 * big input, starts itself again with the flags, and the first process only waits and passes on
 * the exit code.
 */
import { spawnSync } from 'node:child_process';

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
 * Bytes of input from which the second start pays: it costs about 0.25 s (Node and the bin
 * loaded again), the flags save 5-15 % of a 100 MiB job's 1.6-2.1 s and 17-25 % at 1 GiB.
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

/** Runs this bin again, with the heap flags, on the same arguments and streams: its exit code, or undefined if it could not start (this process analyses then). */
export function relaunch(): number | undefined {
  const child = spawnSync(process.execPath, [...BIG_JOB_HEAP_FLAGS, ...process.execArgv, process.argv[1]!, ...process.argv.slice(2)], { stdio: 'inherit' });
  if (child.error) return undefined;
  // Killed by a signal (Ctrl-C reaches both processes): this one ends the same way.
  if (child.signal) process.kill(process.pid, child.signal);
  return child.status ?? 1;
}
