/**
 * `whoreset events` on the pool: files, and byte ranges of big splittable files (ranges.ts, which
 * also cuts a big nginx error log whose lines stand alone), read by the runners into their events'
 * bytes, written in file and range order, so the output is the same whatever --jobs is. Ranges are
 * small, as one read ahead of its turn is held whole.
 */
import type { LogFile } from '../discover/discover.js';
import { runFormats, type RunFormats } from '../parse/formats.js';
import type { StreamFormat } from '../report/event-writer.js';
import { plan, runnersFor, WorkerPool, type Plan, type Sink } from './pool.js';
import { sizeOf, sizeOfAll, SPLIT_MIN_BYTES } from './ranges.js';

/** Ranges a big splittable file is cut into: small, as a range read ahead of its turn is held whole. */
const RANGE_BYTES = Math.min(SPLIT_MIN_BYTES, 4 * 1024 * 1024);
/** Bytes the main thread holds of tasks that are not yet their turn. */
const BUFFER_BYTES = 32 * 1024 * 1024;

export type EventSink = Required<Pick<Sink, 'chunk' | 'problem'>>;

/**
 * The tasks of `files` in output order: with several runners, a splittable file of two ranges or
 * more as ranges (no partial to merge: a range costs little), so that no file is one runner's alone
 * while the other waits for its turn in the output.
 */
export function eventPlan(files: readonly LogFile[], format: StreamFormat, runners: number, formats: RunFormats = runFormats()): Plan {
  return plan(files, { kind: 'bytes', format }, formats.list, runners > 1 ? RANGE_BYTES : undefined, true, 2 * RANGE_BYTES);
}

/**
 * The big files read whole (no range), biggest first, to start before the ranges: one left to the
 * end would keep one runner busy while the others wait. At most `runners` − 1 of them, so that one
 * runner at least takes the tasks in order and the task being handed on is always under way (a
 * task ahead of its turn waits once the main thread holds its buffer's worth).
 */
export function wholeFirst({ tasks }: Plan, runners: number): number[] {
  const whole = tasks.filter((task) => task.range === undefined).map((task) => ({ index: task.index, bytes: sizeOf({ ...task, format: undefined }) }));
  return whole
    .filter((task) => task.bytes > 2 * RANGE_BYTES)
    .sort((a, b) => b.bytes - a.bytes || a.index - b.index)
    .slice(0, runners - 1)
    .map((task) => task.index);
}

/**
 * Writes the events of `files` to `sink` in order: with several jobs (and input enough to gain
 * from them), read by worker threads too; otherwise in this thread alone.
 */
export async function streamEvents(files: readonly LogFile[], format: StreamFormat, incidentOf: ReadonlyMap<string, string> | undefined, jobs: number, sink: EventSink, formats: RunFormats = runFormats(), bufferBytes = BUFFER_BYTES): Promise<void> {
  const runners = runnersFor(sizeOfAll(files), jobs);
  const tasks = eventPlan(files, format, runners, formats);
  // A young generation of 16 MB: smaller ones collect more often (slower), bigger ones hold more memory.
  const pool = new WorkerPool(Math.min(runners, tasks.tasks.length), { incidentOf, youngGenerationMb: 16, formats });
  try {
    await pool.run(tasks, sink, { bufferBytes, startFirst: wholeFirst(tasks, pool.size) });
  } finally {
    await pool.close();
  }
}
