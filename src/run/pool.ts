/**
 * `--jobs N`: the one parallel engine. Tasks (task.ts: a file, or a byte range of a big one, each
 * numbered from its first line) are run by N runners, this thread and N − 1 worker threads, and
 * what comes of them is handed to a sink **in task order**, so the output is the same whatever N
 * is and whoever read which task. The sink is the use's: the analysis merges collector partials,
 * `events` writes bytes.
 *
 * Memory stays flat for bytes: a runner sends its chunks and may have only a few not yet taken
 * (acknowledged); the main thread takes the chunks of a task that is not next in order only while
 * it holds less than `bufferBytes` of them, and starts no task beyond that. A slow sink stops every
 * runner in turn.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { CollectorPartial } from '../correlate/collect.js';
import type { LogFile } from '../discover/discover.js';
import type { InputProblem } from '../model/problem.js';
import { runFormats, type RunFormats } from '../parse/formats.js';
import type { FormatParser } from '../parse/parser.js';
import { LINE_FIXES, lineFixMessage, type LineFix } from '../read/lines.js';
import { joinParts, type PartialPart } from './partial-parts.js';
import { fileRanges, FirstLines, sizeOf } from './ranges.js';
import { taskRunner, type RunnerContext, type RunnerMessage, type RunnerRequest, type RunnerSetup, type Task, type TaskEnd, type TaskOutput } from './task.js';

/** Set by the bin (src/cli/main.ts) when it turned V8's --optimize-for-size on (a symbol: the bin and the bundle are two modules' copies). */
export const OPTIMIZE_FOR_SIZE = Symbol.for('whoreset.optimize-for-size');

/** WHORESET_PARALLEL_MIN_BYTES: tests use workers on small inputs. */
const PARALLEL_MIN_BYTES_SET = Number(process.env.WHORESET_PARALLEL_MIN_BYTES) || undefined;

/**
 * Bytes of input below which a job is read in this thread, no worker started: a worker's start
 * (its own V8 heap, the parsers loaded again) costs about as much CPU as parsing 8 MiB, and a
 * second runner saves at most half of the parsing, so it pays from about twice that.
 */
export const PARALLEL_MIN_BYTES = PARALLEL_MIN_BYTES_SET ?? 16 * 1024 * 1024;

/**
 * PARALLEL_MIN_BYTES for the analysis on a machine of two cores or fewer: none, it stays in one
 * thread. V8's own threads (collections, compilation) keep a fifth to half of the second core busy
 * beside the main thread, so there a worker shares a core more than it adds one, and costs its own
 * heap, its own compilation of the parsers, the newlines counted before each range and the merge
 * of its partials. On 2 cores, with the heap a big analysis is relaunched with (cli/relaunch.ts),
 * one thread analysed the generated 1 GiB jobs as fast as two or faster (client-heavy 8.95 against
 * 9.03 s, server-heavy 6.43 against 7.21 s, 4 interleaved runs each) with 22-26 % less CPU and
 * 30 MB less memory; at 100 MiB one thread was 9-11 % faster already. `whoreset events` has no
 * partials to merge and gains from a worker at 100 MiB (18 %).
 */
const FEW_CORES_ANALYSIS_MIN_BYTES = Number.POSITIVE_INFINITY;

/** The analysis's PARALLEL_MIN_BYTES on a machine of `cores` cores. */
export function analysisParallelMinBytes(cores: number = availableParallelism()): number {
  return PARALLEL_MIN_BYTES_SET ?? (cores <= 2 ? FEW_CORES_ANALYSIS_MIN_BYTES : PARALLEL_MIN_BYTES);
}

/** How many runners reading `bytes` of input deserves, at most `jobs`: one (this thread) for a job under `minBytes`. */
export function runnersFor(bytes: number, jobs: number, minBytes = PARALLEL_MIN_BYTES): number {
  return bytes < minBytes ? 1 : jobs;
}

/** Where the results go, in task order. */
export interface Sink {
  /** A chunk of bytes (a `bytes` task's); `written` once the sink is done with its memory. A promise while the sink is congested. */
  chunk?(bytes: Uint8Array, written?: () => void): Promise<void> | undefined;
  /** A `partial` task's result. */
  partial?(partial: CollectorPartial): void;
  problem(problem: InputProblem): void;
}

/** The tasks of some files in output order, with their ranges' first lines counted as each is about to start. */
export interface Plan {
  tasks: Task[];
  /** Per task, its file's first lines, for a range. */
  lines: Array<{ of: FirstLines; k: number } | undefined>;
}

/**
 * The tasks of `files` in order, each naming its format by its index in `formats` (the pool's):
 * each file whole, or, when `rangeBytes` is given, a big splittable file as byte ranges of about
 * that many bytes (`statefulAfter`: an nginx error log too, when none of its lines depends on another;
 * `minBytes`: the smallest file cut, fileRanges' default unless given).
 */
export function plan(files: readonly LogFile[], output: TaskOutput, formats: readonly FormatParser[], rangeBytes?: number, statefulAfter = false, minBytes?: number): Plan {
  const tasks: Task[] = [];
  const lines: Plan['lines'] = [];
  for (const file of files) {
    const whole = { relative: file.relative, absolute: file.absolute, gzip: file.gzip, held: file.held, format: file.format ? formats.indexOf(file.format) : -1, firstLine: 1, output };
    const ranges = rangeBytes === undefined ? [] : fileRanges(file, sizeOf(file), rangeBytes, statefulAfter, minBytes);
    const first = ranges.length > 0 ? new FirstLines(file.absolute, ranges) : undefined;
    ranges.forEach((range, k) => {
      tasks.push({ ...whole, index: tasks.length, range, lastRange: k === ranges.length - 1 });
      lines.push({ of: first!, k });
    });
    if (ranges.length === 0) {
      tasks.push({ ...whole, index: tasks.length });
      lines.push(undefined);
    }
  }
  return { tasks, lines };
}

/** The bytes a task reads, its file's size for a whole file. */
function bytesOf(task: Task): number {
  return task.range ? task.range.end - task.range.start : sizeOf({ ...task, format: undefined });
}

/** What the pool needs of a runner: a Worker, or the main thread's own. */
interface Runner {
  postMessage(request: RunnerRequest, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: RunnerMessage) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): Promise<unknown>;
}

/** The main thread as a runner: messages both ways are delivered on later turns, as a worker's are. */
class MainThreadRunner extends EventEmitter implements Runner {
  private readonly handle: (request: RunnerRequest) => void;
  constructor(setup: RunnerContext) {
    super();
    this.handle = taskRunner(setup, (message) => setImmediate(() => this.emit('message', message)));
  }
  postMessage(request: RunnerRequest): void {
    setImmediate(() => this.handle(request));
  }
  async terminate(): Promise<void> {
    this.handle({ kind: 'stop' });
  }
}

/** A task's state in the main thread: what came of it and is not yet handed on. */
interface Piece {
  task: Task;
  runner: Runner | undefined;
  /** Chunks (with whether they were acknowledged when they came, and their runner) and problems, in order. */
  queue: Array<{ bytes: Uint8Array; acked: boolean; from: Runner } | { problems: InputProblem[] }>;
  /** Parts of its partial that came ahead of its end. */
  parts: PartialPart[];
  end: TaskEnd | undefined;
}

export interface PoolOptions {
  /** `events --incidents`: the incident of each event id, given to every runner once. */
  incidentOf?: ReadonlyMap<string, string>;
  /** A worker's young generation: smaller collects more often, bigger holds more memory. */
  youngGenerationMb?: number;
  /** The run's formats (default: the built-in ones); plan() names them by index in `formats.list`. */
  formats?: RunFormats;
}

/** A run's handlers, while one is under way. */
interface Run {
  onMessage(message: RunnerMessage, runner: Runner): void;
  fail(error: Error): void;
}

/**
 * `size` runners at most: this thread and size − 1 worker threads, each started when a run first
 * has work for it. A worker more costs a V8 heap of its own and a copy of everything it posts.
 */
export class WorkerPool {
  private readonly runners: Runner[];
  /** Bytes of chunks received and not yet handed on. */
  private held = 0;
  private current: Run | undefined;
  /** The formats its tasks' indexes name, in every runner. */
  readonly formats: RunFormats;
  /** Workers started and not yet running: V8's --optimize-for-size is off until they all run. */
  private starting = 0;
  /** Waiting for every worker started to run (allRunning). */
  private waking: Array<() => void> = [];

  constructor(
    readonly size: number,
    private readonly options: PoolOptions = {},
  ) {
    this.runners = [];
    this.formats = options.formats ?? runFormats();
    this.add(new MainThreadRunner({ formats: this.formats, incidentOf: options.incidentOf }));
  }

  private add(runner: Runner): void {
    runner.on('message', (message: RunnerMessage) => this.current?.onMessage(message, runner));
    runner.on('error', (error: Error) => this.current?.fail(error));
    this.runners.push(runner);
  }

  /** Starts workers until the pool has `n` runners (at most its size). */
  private grow(n: number): void {
    const setup: RunnerSetup = { declared: this.formats.declared, incidentOf: this.options.incidentOf };
    while (this.runners.length < Math.min(n, this.size)) {
      this.add(this.start(new URL('./worker.js', import.meta.url), { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: this.options.youngGenerationMb ?? 8 } }));
    }
  }

  /**
   * A worker whose heap V8 makes under --optimize-for-size (the bin's memory bound: src/cli/main.ts)
   * gets a 1 MB semi-space whatever its resourceLimits (V8's flag implies --max-semi-space-size=1,
   * which outranks them), and collects about three times as often (server shape, 1 GiB: 760
   * scavenges against 220 without the flag). So both are off while a worker makes its heap, and the
   * flag on again once the worker runs: collections read it as they go, in every thread.
   */
  private start(url: URL, options: WorkerOptions): Worker {
    if ((globalThis as Record<symbol, unknown>)[OPTIMIZE_FOR_SIZE] !== true) return new Worker(url, options);
    if (this.starting++ === 0) {
      setFlagsFromString('--no-optimize-for-size');
      setFlagsFromString('--max-semi-space-size=0');
    }
    const worker = new Worker(url, options);
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      if (--this.starting > 0) return;
      setFlagsFromString('--optimize-for-size');
      for (const wake of this.waking.splice(0)) wake();
    };
    worker.once('online', run);
    worker.once('exit', run);
    return worker;
  }

  /** Resolves once every worker started runs, V8's --optimize-for-size on again. */
  private allRunning(): Promise<void> {
    return this.starting === 0 ? Promise.resolve() : new Promise((resolve) => this.waking.push(resolve));
  }

  /**
   * Runs the tasks and hands what comes of them to `sink` in task order. `biggestFirst`: started
   * biggest first (the longest starts at once), else in order; `startFirst`: these tasks (indexes)
   * started before the others, which follow in order; `bufferBytes`: what the main thread holds of
   * chunks of tasks after the one being handed on.
   */
  run({ tasks, lines }: Plan, sink: Sink, { biggestFirst = false, startFirst = [] as readonly number[], bufferBytes = Infinity } = {}): Promise<void> {
    if (this.current) return Promise.reject(new Error('the worker pool is already running'));
    this.grow(tasks.length);
    const first = new Set(startFirst);
    const order = [...startFirst, ...tasks.map((_, i) => i).filter((i) => !first.has(i))];
    if (biggestFirst) {
      const bytes = tasks.map(bytesOf);
      order.sort((a, b) => bytes[b]! - bytes[a]! || a - b);
    }
    return new Promise<void>((resolve, reject) => {
      const pieces: Piece[] = tasks.map((task) => ({ task, runner: undefined, queue: [], parts: [], end: undefined }));
      const idle = [...this.runners];
      let started = 0; // `order` up to here is started
      let head = 0; // the task being handed on
      let blocked = false; // waiting for the sink to drain
      let failed = false;
      // The file's lines reading changed, over its ranges, summed as if it were read whole.
      let fileFixes: Partial<Record<LineFix, [number, number]>> = {};

      const fail = (error: Error) => {
        if (failed) return;
        failed = true;
        this.current = undefined;
        reject(error);
      };
      const begun = tasks.map(() => false);
      const start = () => {
        while (!failed && idle.length > 0) {
          while (started < order.length && begun[order[started]!]) started++;
          // Past the buffer only the task being handed on starts, wherever it stands in `order`
          // (biggest first may have it last): it is what drains the buffer.
          const next = this.held < bufferBytes ? order[started] : head < pieces.length && !begun[head] ? head : undefined;
          if (next === undefined) return;
          begun[next] = true;
          const piece = pieces[next]!;
          const at = lines[piece.task.index];
          if (at) {
            try {
              piece.task.firstLine = at.of.of(at.k);
            } catch (error) {
              return fail(new Error(`${piece.task.relative}: counting the lines before bytes ${piece.task.range!.start}: ${(error as Error).message}`));
            }
          }
          const runner = (piece.runner = idle.pop()!);
          const post = () => runner.postMessage({ kind: 'task', task: piece.task });
          // This thread's runner starts once the workers run: a heap grown while the flag is off
          // (start) stays big (server-heavy 700 MiB: 8 runs in 86 peaked 40 MiB higher; with the
          // flag off 0.5 s longer, every run did).
          if (runner === this.runners[0] && this.starting > 0) void this.allRunning().then(() => failed || post());
          else post();
        }
      };
      const ack = (piece: Piece) => piece.runner?.postMessage({ kind: 'ack', task: piece.task.index });
      const handOn = () => {
        while (!blocked && !failed && head < pieces.length) {
          const piece = pieces[head]!;
          const item = piece.queue.shift();
          if (item && 'problems' in item) {
            item.problems.forEach((problem) => sink.problem(problem));
          } else if (item) {
            this.held -= item.bytes.length;
            const buffer = item.bytes.buffer as ArrayBuffer;
            // The memory goes back to its runner, for its next chunks: no garbage for the main thread to collect.
            const wait = sink.chunk!(item.bytes, () => item.from.postMessage({ kind: 'memory', buffer }, [buffer]));
            if (wait) {
              blocked = true;
              wait.then(() => {
                blocked = false;
                if (!item.acked) ack(piece);
                handOn();
              }, fail);
              return;
            }
            if (!item.acked) ack(piece);
          } else if (piece.end) {
            const problem = this.ended(piece.task, piece.end, lines[piece.task.index]);
            if (problem) return fail(problem);
            if (piece.end.partial) sink.partial!(piece.end.partial);
            const { task, end } = piece;
            for (const fix of LINE_FIXES) {
              const [lines, first] = end.fixes[fix] ?? [0, 0];
              const sum = fileFixes[fix];
              if (lines > 0) fileFixes[fix] = sum ? [sum[0] + lines, sum[1]] : [lines, first];
            }
            if (task.lastRange) {
              for (const fix of LINE_FIXES) {
                const sum = fileFixes[fix];
                if (sum) sink.problem({ file: task.relative, line: sum[1], message: lineFixMessage(fix, ...sum) });
              }
            }
            if (!task.range || task.lastRange) fileFixes = {};
            pieces[head] = undefined!; // what it held is handed on
            head++;
          } else {
            break; // the task's next chunk is not in yet
          }
        }
        start();
        if (head === pieces.length && !failed) {
          this.current = undefined;
          resolve();
        }
      };
      this.current = {
        fail,
        onMessage: (message, runner) => {
          const piece = pieces[message.task]!;
          if (message.kind === 'error') return fail(new Error(`reading ${piece.task.relative}: ${message.error}`));
          if (message.kind === 'part') return void piece.parts.push(message.part);
          if (message.problems.length > 0) piece.queue.push({ problems: message.problems });
          if (message.kind === 'chunk') {
            this.held += message.bytes.length;
            // Taken at once while the main thread holds little; otherwise when handed on, and the runner waits.
            const acked = this.held <= bufferBytes;
            piece.queue.push({ bytes: message.bytes, acked, from: runner });
            if (acked) ack(piece);
          } else {
            const { lines: n, streams, fixes, partial } = message;
            piece.end = { lines: n, streams, fixes, partial: partial && joinParts(piece.parts, partial) };
            piece.parts = [];
            piece.runner = undefined;
            idle.push(runner);
          }
          handOn();
        },
      };
      handOn();
    });
  }

  /** Why a finished range cannot stand for its bytes of the whole file, or undefined. */
  private ended(task: Task, end: TaskEnd, at: Plan['lines'][number]): Error | undefined {
    if (!task.range) return undefined;
    if (end.streams) return new Error(`${task.relative}: a range read as streams, which a file without '|' cannot hold`);
    if (at && !task.lastRange) {
      const counted = at.of.of(at.k + 1) - task.firstLine;
      if (counted !== end.lines) return new Error(`${task.relative}: ${end.lines} lines read in bytes ${task.range.start}-${task.range.end}, ${counted} counted`);
    }
    return undefined;
  }

  /** Bytes received from the runners and not yet handed on (at most about bufferBytes and a few chunks per runner). */
  get heldBytes(): number {
    return this.held;
  }

  /** Ends the worker threads (the next run starts them again): their heaps go back to the system meanwhile. */
  async release(): Promise<void> {
    const workers = this.runners.splice(1);
    await Promise.all(workers.map((runner) => runner.terminate()));
  }

  async close(): Promise<void> {
    this.current = undefined;
    await Promise.all(this.runners.map((runner) => runner.terminate()));
  }
}
