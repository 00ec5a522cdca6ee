/**
 * One task of `whoreset events`, as a worker thread (event-worker.ts) or the main thread runs it
 * (event-pool.ts): a file or a byte range read through its format's parser, its events' bytes
 * posted in chunks.
 */
import type { DeclaredFormat } from '../parse/declared-format.js';
import { FORMATS } from '../parse/formats.js';
import type { LogFile } from '../discover/discover.js';
import type { InputProblem } from '../model/problem.js';
import { eventEncoder, type StreamFormat } from '../report/event-writer.js';
import { CHUNK_BYTES, ChunkBuffer } from '../report/output.js';
import { scanFile } from './scan.js';

/** One piece of the output: a file, or a byte range of one. */
export interface EventTask {
  /** Its place in the output. */
  index: number;
  relative: string;
  absolute: string;
  gzip: boolean;
  /** Index into FORMATS; -1: unclaimed, the fallback reads it. */
  format: number;
  /** Only these bytes (end exclusive), cut at line starts. */
  range?: { start: number; end: number };
  /** Lines of the file before the range: events and problems are numbered as in the whole file. */
  linesBefore: number;
  /** A range that is its file's last: the file's invalid UTF-8 summary comes after it. */
  lastRange?: boolean;
}

/** What reading a task saw besides its events. */
export interface TaskEnd {
  lines: number;
  streams: boolean;
  /** A range's invalid UTF-8 (lines, first line in the file): summed over the file's ranges. */
  invalidUtf8: [number, number] | undefined;
}

/** What a worker is started with: the same for all its tasks. */
export interface EventWorkerData {
  format: StreamFormat;
  incidentOf: ReadonlyMap<string, string> | undefined;
  /** The user's declared formats (--formats): the tasks' format indexes count them (the pool fills it in). */
  declared?: readonly DeclaredFormat[];
}

/** Worker to main thread. */
export type EventWorkerMessage =
  | { kind: 'chunk'; task: number; bytes: Uint8Array; problems: InputProblem[] }
  | ({ kind: 'done'; task: number; problems: InputProblem[] } & TaskEnd)
  | { kind: 'error'; task: number; error: string };

/**
 * Main thread to worker: a task; a chunk of the task taken (the worker may send one more); the
 * memory of a written chunk, for the worker's next chunks.
 */
export type EventWorkerRequest = { kind: 'task'; task: EventTask } | { kind: 'ack'; task: number } | { kind: 'memory'; buffer: ArrayBuffer } | { kind: 'stop' };

/** Chunks a worker may send ahead of the main thread's acknowledgements before it pauses reading. */
const CHUNKS_AHEAD = 4;

/**
 * Reads one task through its format's parser and writes its events' bytes to `emit`, chunk by
 * chunk. The workers and the main thread (one job) both read this way: the bytes are the same.
 */
export async function runEventTask(
  task: EventTask,
  format: StreamFormat,
  incidentOf: ReadonlyMap<string, string> | undefined,
  emit: (chunk: Uint8Array) => void,
  onProblem: (problem: InputProblem) => void,
  congested?: () => Promise<void> | undefined,
  allocate?: () => Buffer,
): Promise<TaskEnd> {
  const out = new ChunkBuffer(emit, allocate);
  const before = task.linesBefore;
  // Events and problems numbered as in the whole file, as parallel.ts does the analysis' (the
  // encoder renumbers an event as it writes it).
  const onEvent = eventEncoder(format, out, incidentOf, before);
  const problem = before === 0 ? onProblem : (p: InputProblem) => onProblem(p.line === undefined ? p : { ...p, line: p.line + before });
  let invalidUtf8: [number, number] | undefined;
  const file: LogFile = { relative: task.relative, absolute: task.absolute, gzip: task.gzip, format: task.format === -1 ? undefined : FORMATS[task.format] };
  const part = task.range && { range: task.range, invalidUtf8: (lines: number, first: number) => (invalidUtf8 = [lines, first + before]) };
  const info = await scanFile(file, { onEvent, onProblem: problem, congested, part });
  out.flush();
  return { ...info, invalidUtf8 };
}

/**
 * Runs one task at a time and posts what comes of it (`post`), as told by `request`s: the same in a
 * worker thread and in the main thread. Reading pauses while CHUNKS_AHEAD chunks of the task are
 * not acknowledged; the memory of written chunks comes back for the next ones.
 */
export function taskRunner(data: EventWorkerData, post: (message: EventWorkerMessage, transfer?: ArrayBuffer[]) => void): (request: EventWorkerRequest) => void {
  const { format, incidentOf } = data;
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
  const run = (task: EventTask) => {
    current = task.index;
    unacked = 0;
    let problems: InputProblem[] = [];
    const emit = (bytes: Uint8Array) => {
      unacked++;
      post({ kind: 'chunk', task: task.index, bytes, problems }, [bytes.buffer as ArrayBuffer]);
      problems = [];
    };
    const congested = () => (stopped || unacked >= CHUNKS_AHEAD ? new Promise<void>((resolve) => (resume = resolve)) : undefined);
    runEventTask(task, format, incidentOf, emit, (problem) => problems.push(problem), congested, allocate).then(
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
