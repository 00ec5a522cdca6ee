/**
 * `whoreset events --jobs N`: files, and byte ranges of big splittable files (parallel.ts
 * fileRanges, which also cuts a big nginx error log whose lines stand alone), parsed by N runners
 * (N - 1 worker threads, event-worker.ts, and the main thread) that write their events' bytes;
 * the main thread writes the pieces in file and range order, so the output is the same whatever
 * N is.
 *
 * Memory stays flat: a runner sends its bytes in chunks and may have only a few not yet taken
 * (acknowledged); the main thread takes the chunks of a piece that is not next in order only
 * while it holds less than BUFFER_BYTES of them, and starts no piece beyond that. Ranges are small
 * (RANGE_BYTES), so a range read ahead fits in that; a slow stdout stops every runner in turn.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { LogFile } from '../discover/discover.js';
import type { InputProblem } from '../model/problem.js';
import { FORMATS, userDeclaredFormats } from '../parse/formats.js';
import { invalidUtf8Message } from '../read/lines.js';
import type { StreamFormat } from '../report/event-writer.js';
import { runEventTask, taskRunner, type EventTask, type EventWorkerData, type EventWorkerMessage, type EventWorkerRequest, type TaskEnd } from './event-task.js';
import { fileRanges, sizeOf, SPLIT_MIN_BYTES } from './parallel.js';

/** Ranges a big splittable file is cut into: small, as a range read ahead of its turn is held whole. */
const RANGE_BYTES = Math.min(SPLIT_MIN_BYTES, 4 * 1024 * 1024);
/** Bytes the main thread holds of pieces that are not yet their turn. */
const BUFFER_BYTES = 32 * 1024 * 1024;
/**
 * The pieces of the output in order: each file whole, or (with several jobs) a big splittable
 * file as ranges of about RANGE_BYTES. `linesBefore` of a range is filled in when it starts.
 */
export function eventTasks(files: readonly LogFile[], jobs: number): EventTask[] {
  const tasks: EventTask[] = [];
  for (const file of files) {
    const whole = { relative: file.relative, absolute: file.absolute, gzip: file.gzip, format: file.format ? FORMATS.indexOf(file.format) : -1, linesBefore: 0 };
    // The nginx error log too (statefulAfter): read whole, it was the stream's last piece, alone.
    const ranges = jobs > 1 ? fileRanges(file, sizeOf(file), RANGE_BYTES, true) : [];
    if (ranges.length > 0) ranges.forEach((range, i) => tasks.push({ ...whole, index: tasks.length, range, lastRange: i === ranges.length - 1 }));
    else tasks.push({ ...whole, index: tasks.length });
  }
  return tasks;
}

/** Newlines in a byte range of a file: the lines a range cut at line starts holds (but its file's last). */
function newlines(absolute: string, start: number, end: number): number {
  const fd = openSync(absolute, 'r');
  const buffer = Buffer.allocUnsafe(1024 * 1024);
  let count = 0;
  try {
    for (let pos = start; pos < end; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - pos), pos);
      if (n <= 0) break;
      const bytes = buffer.subarray(0, n);
      for (let i = bytes.indexOf(10); i !== -1; i = bytes.indexOf(10, i + 1)) count++;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

/** Where a stream's pieces go, in order: a chunk's write returns a promise while the output is congested. */
export interface EventSink {
  /** `written` is called once the sink is done with the chunk's memory. */
  chunk(bytes: Uint8Array, written?: () => void): Promise<void> | undefined;
  problem(problem: InputProblem): void;
}

/** Writes the tasks in the main thread, one after another (one job): whole files, each reports its own invalid UTF-8. */
export async function streamInline(tasks: readonly EventTask[], format: StreamFormat, incidentOf: ReadonlyMap<string, string> | undefined, sink: EventSink): Promise<void> {
  let waiting: Promise<void> | undefined;
  const emit = (bytes: Uint8Array) => {
    waiting = sink.chunk(bytes) ?? waiting;
  };
  // Reading pauses while stdout's pipe is full, so a slow reader never makes us buffer the input.
  const congested = () => {
    const wait = waiting;
    waiting = undefined;
    return wait;
  };
  for (const task of tasks) {
    if (task.range) throw new Error(`${task.relative}: a range to read inline`);
    await runEventTask(task, format, incidentOf, emit, (problem) => sink.problem(problem), congested);
    const wait = congested();
    if (wait) await wait;
  }
}

/** What the pool needs of a runner: a Worker, or the main thread's own. */
interface Runner {
  postMessage(request: EventWorkerRequest, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (message: EventWorkerMessage) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  terminate(): Promise<unknown>;
}

/** The main thread as a runner: messages both ways are delivered on later turns, as a worker's are. */
class MainThreadRunner extends EventEmitter implements Runner {
  private readonly handle: (request: EventWorkerRequest) => void;
  constructor(data: EventWorkerData) {
    super();
    this.handle = taskRunner(data, (message) => setImmediate(() => this.emit('message', message)));
  }
  postMessage(request: EventWorkerRequest): void {
    setImmediate(() => this.handle(request));
  }
  async terminate(): Promise<void> {
    this.handle({ kind: 'stop' });
  }
}

/** A piece's state in the main thread: what came of it and is not yet written. */
interface Piece {
  task: EventTask;
  runner: Runner | undefined;
  /** Chunks (with whether they were acknowledged when they came, and their runner) and problems, in order. */
  queue: Array<{ bytes: Uint8Array; acked: boolean; from: Runner } | { problems: InputProblem[] }>;
  end: TaskEnd | undefined;
  /** Lines counted by the main thread (a range not its file's last), to check the worker's count. */
  counted: number | undefined;
}

export class EventPool {
  private readonly runners: Runner[] = [];
  /** Bytes of chunks received and not yet written. */
  private held = 0;

  /** `size` runners: the main thread and size - 1 workers; `bufferBytes`: what the main thread holds of pieces ahead. */
  constructor(
    size: number,
    data: EventWorkerData,
    private readonly bufferBytes = BUFFER_BYTES,
  ) {
    this.runners.push(new MainThreadRunner(data));
    // A young generation of 16 MB: smaller ones collect more often (slower), bigger ones hold more memory.
    for (let i = 1; i < size; i++) this.runners.push(new Worker(new URL('./event-worker.js', import.meta.url), { workerData: { ...data, declared: userDeclaredFormats() }, resourceLimits: { maxYoungGenerationSizeMb: 16 } }));
  }

  /** Runs the tasks and hands their chunks and problems to `sink` in task order. */
  stream(tasks: readonly EventTask[], sink: EventSink): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const pieces: Piece[] = tasks.map((task) => ({ task, runner: undefined, queue: [], end: undefined, counted: undefined }));
      const idle = [...this.runners];
      let next = 0; // the next task to start
      let head = 0; // the task being written
      let blocked = false; // waiting for stdout to drain
      let failed = false;
      // The file's invalid UTF-8 over its ranges, summed as if it were read whole.
      let invalidLines = 0;
      let firstInvalid = 0;
      // Lines of the current split file before the next range to start.
      let linesBefore = 0;

      const fail = (error: Error) => {
        failed = true;
        reject(error);
      };
      const start = () => {
        // Only the piece being written is started when the main thread holds enough of those after it.
        while (!failed && idle.length > 0 && next < tasks.length && (next === head || this.held < this.bufferBytes)) {
          const piece = pieces[next++]!;
          const { task } = piece;
          if (task.range) {
            if (task.range.start === 0) linesBefore = 0;
            task.linesBefore = linesBefore;
            if (!task.lastRange) {
              try {
                piece.counted = newlines(task.absolute, task.range.start, task.range.end);
              } catch (error) {
                return fail(new Error(`${task.relative}: counting the lines of bytes ${task.range.start}-${task.range.end}: ${(error as Error).message}`));
              }
              linesBefore += piece.counted;
            }
          }
          piece.runner = idle.pop()!;
          piece.runner.postMessage({ kind: 'task', task });
        }
      };
      const ack = (piece: Piece) => piece.runner?.postMessage({ kind: 'ack', task: piece.task.index });
      const write = () => {
        while (!blocked && !failed && head < pieces.length) {
          const piece = pieces[head]!;
          const item = piece.queue.shift();
          if (item && 'problems' in item) {
            item.problems.forEach((problem) => sink.problem(problem));
          } else if (item) {
            this.held -= item.bytes.length;
            const buffer = item.bytes.buffer as ArrayBuffer;
            // The memory goes back to its worker, for its next chunks: no garbage for the main thread to collect.
            const wait = sink.chunk(item.bytes, () => item.from.postMessage({ kind: 'memory', buffer }, [buffer]));
            if (wait) {
              blocked = true;
              wait.then(() => {
                blocked = false;
                if (!item.acked) ack(piece);
                write();
              }, fail);
              return;
            }
            if (!item.acked) ack(piece);
          } else if (piece.end) {
            const { task, end } = piece;
            if (task.range && end.streams) return fail(new Error(`${task.relative}: a range read as streams, which a file without '|' cannot hold`));
            if (piece.counted !== undefined && piece.counted !== end.lines) return fail(new Error(`${task.relative}: ${end.lines} lines read in bytes ${task.range!.start}-${task.range!.end}, ${piece.counted} counted`));
            if (end.invalidUtf8) {
              if (invalidLines === 0) firstInvalid = end.invalidUtf8[1];
              invalidLines += end.invalidUtf8[0];
            }
            if (task.lastRange && invalidLines > 0) sink.problem({ file: task.relative, line: firstInvalid, message: invalidUtf8Message(invalidLines, firstInvalid) });
            if (!task.range || task.lastRange) invalidLines = 0;
            head++;
          } else {
            break; // the piece's next chunk is not in yet
          }
        }
        start();
        if (head === pieces.length && !failed) resolve();
      };
      const onMessage = (message: EventWorkerMessage, runner: Runner) => {
        const piece = pieces[message.task]!;
        if (message.kind === 'error') return fail(new Error(`reading ${piece.task.relative}: ${message.error}`));
        if (message.problems.length > 0) piece.queue.push({ problems: message.problems });
        if (message.kind === 'chunk') {
          this.held += message.bytes.length;
          // Taken at once while the main thread holds little; otherwise when written, and the worker waits.
          const acked = this.held <= this.bufferBytes;
          piece.queue.push({ bytes: message.bytes, acked, from: runner });
          if (acked) ack(piece);
        } else {
          piece.end = { lines: message.lines, streams: message.streams, invalidUtf8: message.invalidUtf8 };
          piece.runner = undefined;
          idle.push(runner);
        }
        write();
      };
      for (const runner of this.runners) {
        runner.on('message', (message: EventWorkerMessage) => onMessage(message, runner));
        runner.on('error', fail);
      }
      write();
    });
  }

  /** Bytes received from the runners and not yet written (at most about bufferBytes and a few chunks per runner). */
  get heldBytes(): number {
    return this.held;
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((runner) => runner.terminate()));
  }
}
