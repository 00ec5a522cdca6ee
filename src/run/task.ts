/**
 * One task of the runners, the same in a worker thread (worker.ts) and in the main thread
 * (pool.ts): a file, or a byte range of a big one (ranges.ts), read through its format's parser
 * with its lines numbered as in the whole file. What comes of it goes to the task's output: a
 * collector's partial (the analysis), or its events' bytes posted in chunks (`whoreset events`).
 */
import { EvidenceCollector, type CollectorPartial } from '../correlate/collect.js';
import type { JoinWindowsInput } from '../correlate/windows.js';
import type { LogFile } from '../discover/discover.js';
import type { InputProblem } from '../model/problem.js';
import type { DeclaredFormat } from '../parse/declared-format.js';
import { runFormats, type RunFormats } from '../parse/formats.js';
import { eventEncoder, type StreamFormat } from '../report/event-writer.js';
import { CHUNK_BYTES, ChunkBuffer } from '../report/output.js';
import type { PartialPart } from './partial-parts.js';
import type { ByteRange } from './ranges.js';
import type { LineFix } from '../read/lines.js';
import { scanFile, type ScanOptions } from './scan.js';

/** What a task's events become. */
export type TaskOutput =
  /** A fresh collector's partial; `windows`: the far side's incidents' windows, to keep only the requests they can join. */
  | { kind: 'partial'; failedPaths: readonly string[]; windows?: JoinWindowsInput }
  /** The events' bytes in this format (the runner's setup holds the incident ids, if any). */
  | { kind: 'bytes'; format: StreamFormat };

export interface Task {
  /** Its place in the output. */
  index: number;
  relative: string;
  absolute: string;
  gzip: boolean;
  /** The file's bytes held in memory (LogFile.held): only such input's runner, this thread, reads it. */
  held?: Buffer;
  /** Index into the run's formats (RunFormats.list); -1: unclaimed, the fallback reads it. */
  format: number;
  /** Only these bytes, cut at line starts. */
  range?: ByteRange;
  /** The number of the first line read: 1, or a range's as counted before it starts. */
  firstLine: number;
  /** A range that is its file's last: the file's invalid UTF-8 summary comes after it. */
  lastRange?: boolean;
  output: TaskOutput;
}

/** What reading a task saw besides its events. */
export interface TaskEnd {
  lines: number;
  streams: boolean;
  /** A range's lines reading changed (per LineFix: how many, the first in the file): summed over the file's ranges. */
  fixes: Partial<Record<LineFix, [number, number]>>;
  /** The collector's partial, for a task whose output is one. */
  partial?: CollectorPartial;
}

/** What every runner is started with: the same for all its tasks (a worker thread gets it as workerData). */
export interface RunnerSetup {
  /** The user's declared formats (--formats): the tasks' format indexes count them. */
  declared: readonly DeclaredFormat[];
  /** `events --incidents`: the incident of each event id. */
  incidentOf?: ReadonlyMap<string, string>;
}

/** What a runner reads its tasks with: its setup, and the formats the tasks' indexes name. */
export interface RunnerContext extends Pick<RunnerSetup, 'incidentOf'> {
  formats: RunFormats;
}

/** The context a runner builds from its setup: the same formats, in the same order, in every thread. */
export function runnerContext(setup: RunnerSetup): RunnerContext {
  return { formats: runFormats(setup.declared), incidentOf: setup.incidentOf };
}

/** Runner to main thread. */
export type RunnerMessage =
  | { kind: 'chunk'; task: number; bytes: Uint8Array; problems: InputProblem[] }
  /** A part of the task's partial, ahead of its done message (partial-parts.ts). */
  | { kind: 'part'; task: number; part: PartialPart }
  | ({ kind: 'done'; task: number; problems: InputProblem[] } & TaskEnd)
  | { kind: 'error'; task: number; error: string };

/**
 * Main thread to runner: a task; a chunk of the task taken (the runner may send one more); the
 * memory of a written chunk, for the runner's next chunks; stop (the run failed).
 */
export type RunnerRequest = { kind: 'task'; task: Task } | { kind: 'ack'; task: number } | { kind: 'memory'; buffer: ArrayBuffer } | { kind: 'stop' };

/** Chunks a runner may send ahead of the main thread's acknowledgements before it pauses reading. */
const CHUNKS_AHEAD = 4;

/** The file a task reads. */
export function taskFile(task: Task, formats: RunFormats): LogFile {
  return { relative: task.relative, absolute: task.absolute, gzip: task.gzip, held: task.held, format: task.format === -1 ? undefined : formats.list[task.format] };
}

/**
 * Reads one task through its format's parser into its output: a partial, or bytes written to
 * `emit` chunk by chunk. Every runner reads this way, so the result does not depend on which read it.
 */
export async function runTask(
  task: Task,
  setup: RunnerContext,
  emit: (chunk: Uint8Array) => void,
  onProblem: (problem: InputProblem) => void,
  congested?: () => Promise<void> | undefined,
  allocate?: () => Buffer,
): Promise<TaskEnd> {
  const fixes: TaskEnd['fixes'] = {};
  const part = { range: task.range, firstLine: task.firstLine, fixed: task.range && ((fix: LineFix, lines: number, first: number) => (fixes[fix] = [lines, first])) };
  const options: Omit<ScanOptions, 'onEvent'> = { onProblem, congested, formats: setup.formats.list, part };
  const file = taskFile(task, setup.formats);
  if (task.output.kind === 'partial') {
    const collector = new EvidenceCollector(setup.formats.sides);
    collector.useFailedPaths(task.output.failedPaths);
    if (task.output.windows) collector.useWindows(task.output.windows);
    const info = await scanFile(file, { ...options, onEvent: (event) => collector.add(event), fast: collector.fastPaths() });
    return { ...info, fixes, partial: collector.partial() };
  }
  const out = new ChunkBuffer(emit, allocate);
  const encoder = eventEncoder(task.output.format, out, setup.incidentOf);
  const info = await scanFile(file, { ...options, onEvent: encoder.event, fast: encoder.records && { records: encoder.records } });
  out.flush();
  return { ...info, fixes };
}

/**
 * Runs one task at a time and posts what comes of it (`post`), as told by `request`s: the same in a
 * worker thread and in the main thread. Reading pauses while CHUNKS_AHEAD chunks of the task are
 * not acknowledged; the memory of written chunks comes back for the next ones.
 */
export function taskRunner(setup: RunnerContext, post: (message: RunnerMessage, transfer?: ArrayBuffer[]) => void): (request: RunnerRequest) => void {
  // Memory of written chunks, for the next ones (bounded: a few chunks' worth).
  const spare: ArrayBuffer[] = [];
  const allocate = () => {
    const buffer = spare.pop();
    return buffer && buffer.byteLength >= CHUNK_BYTES ? Buffer.from(buffer) : Buffer.allocUnsafeSlow(CHUNK_BYTES);
  };
  let current = -1;
  let unacked = 0;
  let resume: (() => void) | undefined;
  // Stopped (the run failed): reading waits for ever, and the main thread is not kept busy.
  let stopped = false;
  const run = (task: Task) => {
    current = task.index;
    unacked = 0;
    let problems: InputProblem[] = [];
    const emit = (bytes: Uint8Array) => {
      unacked++;
      post({ kind: 'chunk', task: task.index, bytes, problems }, [bytes.buffer as ArrayBuffer]);
      problems = [];
    };
    const congested = () => (stopped || unacked >= CHUNKS_AHEAD ? new Promise<void>((resolve) => (resume = resolve)) : undefined);
    runTask(task, setup, emit, (problem) => problems.push(problem), congested, allocate).then(
      (end) => post({ kind: 'done', task: task.index, problems, ...end }),
      (error: unknown) => post({ kind: 'error', task: task.index, error: (error as Error).stack ?? String(error) }),
    );
  };
  return (request) => {
    if (request.kind === 'task') return run(request.task);
    if (request.kind === 'stop') {
      stopped = true;
      return;
    }
    if (request.kind === 'memory') {
      if (spare.length < 8) spare.push(request.buffer);
      return;
    }
    if (request.task !== current) return;
    unacked--;
    if (resume && unacked < CHUNKS_AHEAD && !stopped) {
      const wake = resume;
      resume = undefined;
      wake();
    }
  };
}
