/**
 * `--jobs N`: independent files parsed by N runners, this thread and N − 1 worker threads. Each
 * runs the same per-file scan and collector logic (scan-task.ts) and gives a compact partial (kept
 * events, seconds of activity, the clock sample, presence bitmaps, problems); the caller merges
 * them **in file order**, so the output is byte-identical whatever N is.
 *
 * A big file of a splittable format (FormatParser.splittable: access logs, most of a load-test
 * job's bytes, and Python client logs, cut before record headers; FormatParser.statefulAfter: an
 * nginx error log without keep-alive debug lines) is cut into byte ranges read by
 * several runners; the ranges' partials are renumbered to the file's lines and merged in range
 * order, which is what reading the file whole gives. A file whose head holds docker compose
 * prefixes (per-stream parsers, which do keep state) is read whole.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { CollectorPartial } from '../correlate/collect.js';
import type { JoinWindowsInput } from '../correlate/windows.js';
import type { LogFile } from '../discover/discover.js';
import { FORMATS, userDeclaredFormats } from '../parse/formats.js';
import type { InputProblem } from '../model/problem.js';
import { invalidUtf8Message } from '../read/lines.js';
import { headMayHoldStreams } from './scan.js';
import { scanTask, type FileResult, type FileTask } from './scan-task.js';
import { cleanLine } from '../read/clean.js';
import { unwrapCiPrefix } from '../read/ci-prefix.js';

/** Files smaller than this are never split: a range's partial and its merge cost more than they save. */
export const SPLIT_MIN_BYTES = Number(process.env.WHORESET_SPLIT_MIN_BYTES) || 16 * 1024 * 1024; // env: tests split small files


/** The longest line start looked at to tell whether a record starts there. */
const RECORD_START_BYTES = 512;
/** How far past a share's point a record start is looked for. */
const RECORD_SEARCH_BYTES = 1024 * 1024;

/**
 * Byte ranges of a file cut at line starts, about `pieces` of them; one range when it cannot or
 * must not be cut (its head holds docker compose streams: scan.ts reads it whole, as streams).
 * With `cutBefore`, only before a line it accepts, as the parser will see the line (cleaned,
 * without its CI prefix).
 */
export function lineRanges(absolute: string, size: number, pieces: number, cutBefore?: (line: string) => boolean): Array<{ start: number; end: number }> {
  const cuts = [0];
  if (pieces > 1) {
    const fd = openSync(absolute, 'r');
    try {
      if (headMayHoldStreams(absolute)) pieces = 1;
      const buffer = Buffer.alloc(64 * 1024);
      for (let k = 1; k < pieces; k++) {
        // The first line start at or after the k-th share (after the last cut).
        let pos = Math.max(Math.floor((size * k) / pieces), cuts[cuts.length - 1]!);
        let cut = -1;
        // A file with no record start for a long way (one huge traceback) is not cut there.
        const giveUp = cutBefore ? pos + RECORD_SEARCH_BYTES : size;
        while (pos < Math.min(size, giveUp) && cut === -1) {
          const n = readSync(fd, buffer, 0, buffer.length, pos);
          if (n <= 0) break;
          const view = buffer.subarray(0, n);
          for (let nl = view.indexOf(10); nl !== -1 && cut === -1; nl = view.indexOf(10, nl + 1)) {
            if (!cutBefore || startsRecordAt(fd, pos + nl + 1, cutBefore)) cut = pos + nl + 1;
          }
          pos += n;
        }
        if (cut === -1 || cut >= size) break;
        if (cut > cuts[cuts.length - 1]!) cuts.push(cut);
      }
    } finally {
      closeSync(fd);
    }
  }
  return cuts.map((start, i) => ({ start, end: i + 1 < cuts.length ? cuts[i + 1]! : size }));
}

function startsRecordAt(fd: number, at: number, cutBefore: (line: string) => boolean): boolean {
  const head = Buffer.alloc(RECORD_START_BYTES);
  const n = readSync(fd, head, 0, head.length, at);
  const nl = head.subarray(0, n).indexOf(10);
  const raw = head.toString('utf8', 0, nl === -1 ? n : nl);
  return cutBefore(unwrapCiPrefix(cleanLine(raw)).text);
}

/** A file's size in bytes; 0 when it cannot be read now (its read reports why). */
export function sizeOf(file: LogFile): number {
  try {
    return statSync(file.absolute).size;
  } catch {
    return 0;
  }
}

/**
 * Whether a file may be worth reading in byte ranges: a splittable format (with `statefulAfter`,
 * also one stateful only after some lines, which fileRanges looks for), not gzip (no seeking),
 * big enough.
 */
export function splitsWell(file: LogFile, size = sizeOf(file), statefulAfter = false): boolean {
  const format = file.format;
  return (format?.splittable !== undefined || (statefulAfter && format?.statefulAfter !== undefined)) && !file.gzip && size >= 2 * SPLIT_MIN_BYTES;
}

/**
 * A file's byte ranges of about `rangeBytes`, cut where its format allows; [] when it is read
 * whole. With `statefulAfter`, a file of a format stateful only after some lines is cut too when
 * it holds none of them: one scan of its bytes (~50 ms for 155 MB), which pays where the file
 * would otherwise be the last piece, parsed alone (events); the analysis's far side is balanced
 * without it (1 GiB: 5.45-5.66 s whole, 5.97-6.95 s cut).
 */
export function fileRanges(file: LogFile, size: number, rangeBytes: number, statefulAfter = false): Array<{ start: number; end: number }> {
  if (!splitsWell(file, size, statefulAfter)) return [];
  const format = file.format!;
  const splittable = format.splittable;
  if (splittable === undefined && holdsAnyOf(file.absolute, ['|', ...format.statefulAfter!].map((text) => Buffer.from(text)))) return [];
  const ranges = lineRanges(file.absolute, size, Math.ceil(size / rangeBytes), typeof splittable === 'object' ? splittable.cutBefore : undefined);
  return ranges.length > 1 ? ranges : [];
}

/** Whether a file holds any of `needles` (an unreadable one: as if it did, it is then read whole). */
function holdsAnyOf(absolute: string, needles: readonly Buffer[]): boolean {
  // A needle cut by a block's end is found in the next block, which starts with the last bytes of this one.
  const overlap = Math.max(...needles.map((needle) => needle.length)) - 1;
  const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    let kept = 0;
    for (let pos = 0; ; ) {
      const n = readSync(fd, buffer, kept, buffer.length - kept, pos);
      if (n <= 0) return false;
      const view = buffer.subarray(0, kept + n);
      if (needles.some((needle) => view.includes(needle))) return true;
      pos += n;
      kept = Math.min(overlap, view.length);
      buffer.copyWithin(0, view.length - kept, view.length);
    }
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Renumbers a range's events and problems to the file's lines: the range starts after `before` lines. */
function renumber(result: Extract<FileResult, { partial: CollectorPartial }>, before: number): void {
  if (before === 0) return;
  const { partial } = result;
  for (const run of partial.spilled) run.lineShift += before;
  for (const list of [partial.anchors, partial.notable, partial.configs, partial.ordinary]) {
    for (const event of list) {
      const id = `${event.file}:${event.line}`;
      event.line += before;
      if (event.id === id) event.id = `${event.file}:${event.line}`;
    }
  }
  for (const problem of result.problems) if (problem.line !== undefined) problem.line += before;
}
/** Runs one task somewhere (a worker thread, or this thread) and gives its result. */
type Runner = (task: FileTask) => Promise<FileResult>;

/** A worker thread as a runner: one task at a time, posted and answered. */
function workerRunner(worker: Worker): Runner {
  return (task) =>
    new Promise<FileResult>((resolve, reject) => {
      const onMessage = (result: FileResult) => {
        worker.off('error', onError);
        resolve(result);
      };
      const onError = (error: Error) => {
        worker.off('message', onMessage);
        reject(error);
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(task);
    });
}

/**
 * `size` runners: this thread and size − 1 worker threads. This thread only merges otherwise, and
 * a worker more costs a V8 heap of its own and a copy of every partial it posts.
 */
export class WorkerPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Runner[] = [scanTask];
  private readonly waiting: Array<(runner: Runner) => void> = [];

  constructor(readonly size: number) {
    for (let i = 1; i < size; i++) {
      // Small young generation: a worker's garbage is lines, dead at once; its heap stays near what it keeps.
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: userDeclaredFormats(), resourceLimits: { maxYoungGenerationSizeMb: 8 } });
      this.workers.push(worker);
      this.idle.push(workerRunner(worker));
    }
  }

  private acquire(): Promise<Runner> {
    const runner = this.idle.pop();
    return runner ? Promise.resolve(runner) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(runner: Runner): void {
    const next = this.waiting.shift();
    if (next) next(runner);
    else this.idle.push(runner);
  }

  private async run(task: FileTask): Promise<FileResult> {
    const runner = await this.acquire();
    try {
      return await runner(task);
    } finally {
      this.release(runner);
    }
  }

  /**
   * Scans the files in the workers, biggest task first (the longest starts at once), and hands each
   * file's partials to `merge` in the given file order, as soon as the files before it are in. A big
   * splittable file is several tasks (byte ranges); `jobs` sizes the ranges.
   */
  async scan(
    files: readonly LogFile[],
    sizes: readonly number[],
    failedPaths: string[],
    windows: JoinWindowsInput | undefined,
    merge: (partial: CollectorPartial | undefined, problems: InputProblem[]) => void,
    jobs = this.size,
  ): Promise<void> {
    const task = (index: number, range?: FileTask['range']): FileTask => {
      const file = files[index]!;
      return { index, relative: file.relative, absolute: file.absolute, gzip: file.gzip, format: file.format ? FORMATS.indexOf(file.format) : -1, failedPaths, windows, range };
    };
    // A share of the phase's bytes small enough that the runners finish together, and that a
    // range's partial stays small (a quarter of a runner's share: 1 GiB job, peak RSS ~300 -> ~270
    // MB against a third, time the same within noise; an eighth cost more than it balanced).
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const rangeBytes = Math.max(SPLIT_MIN_BYTES, Math.ceil(total / (jobs * 4)));
    const tasks = files.map((file, index) => {
      const size = sizes[index]!;
      const ranges = jobs > 1 ? fileRanges(file, size, rangeBytes) : [];
      return ranges.length > 0 ? ranges.map((range) => ({ task: task(index, range), bytes: range.end - range.start })) : [{ task: task(index), bytes: size }];
    });
    // Started biggest first (the longest starts at once); merged in file and range order, each part
    // as soon as those before it are in.
    const started = new Map<FileTask, Promise<FileResult>>();
    const order = tasks
      .flat()
      .map((t, i) => ({ ...t, i }))
      .sort((a, b) => b.bytes - a.bytes || a.i - b.i);
    for (const { task: t } of order) {
      const result = this.run(t);
      result.catch(() => {}); // awaited in order below; a later one failing first is not unhandled
      started.set(t, result);
    }
    for (let index = 0; index < files.length; index++) {
      let before = 0;
      let invalid = 0;
      let firstInvalid = 0;
      const parts = tasks[index]!;
      for (const { task: t } of parts) {
        const result = await started.get(t)!;
        if ('error' in result) throw new Error(`reading ${files[index]!.relative}: ${result.error}`);
        if (parts.length > 1 && result.streams) throw new Error(`${files[index]!.relative}: a range read as streams, which a file read as one stream cannot hold`);
        renumber(result, before);
        if (result.invalidUtf8) {
          if (invalid === 0) firstInvalid = result.invalidUtf8[1] + before;
          invalid += result.invalidUtf8[0];
        }
        before += result.lines;
        merge(result.partial, result.problems);
      }
      if (invalid > 0) merge(undefined, [{ file: files[index]!.relative, line: firstInvalid, message: invalidUtf8Message(invalid, firstInvalid) }]);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
