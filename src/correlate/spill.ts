import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConnectionEvent } from '../model/event.js';

/**
 * Notable far-side events held in memory before they are written to a run on disk: an error log
 * of nothing but failures is millions of them, and the analysis needs only those within a window
 * of the failure it decides (sweep.ts). About 10 MB of events.
 */
export const DEFAULT_SPILL_EVENTS = 4_096;

/** A run of events on disk (one JSON event a line), sorted by UTC time, untimed last (or the client's incidents in their order); plain data, posted between threads. */
export interface SpilledRun {
  file: string;
  count: number;
}

/** The time a run is sorted by: UTC, untimed last. */
export type SortTime = (event: ConnectionEvent) => number;

/** Sorts by time, keeping the order added among equal times (Array.prototype.sort is stable). */
export function sortByTime(events: ConnectionEvent[], time: SortTime): ConnectionEvent[] {
  const keyed = events.map((event) => ({ event, at: time(event) }));
  keyed.sort((a, b) => (a.at === b.at ? 0 : a.at < b.at ? -1 : 1));
  return keyed.map(({ event }) => event);
}

/** Text written to a run at a time: its UTF-8 copy (up to three bytes a character) stays under glibc's mmap threshold (128 KiB; partial-parts.ts says why). */
const WRITE_CHARS = 32 * 1024;

/**
 * Writes `events` as one run in a directory of its own under the system's temporary directory
 * (never inside the analysed one); `dir` is reused once made.
 */
export function writeRun(dir: string | undefined, index: number, events: ConnectionEvent[], time: SortTime): { dir: string; run: SpilledRun } {
  return writeItems(dir, `run-${index}.ndjson`, sortByTime(events, time));
}

/** Writes `items` in their order, one JSON a line, as the file `name` of a spill directory (made when `dir` is undefined). */
export function writeItems(dir: string | undefined, name: string, items: Iterable<unknown>): { dir: string; run: SpilledRun } {
  const own = dir ?? mkdtempSync(join(tmpdir(), 'whoreset-spill-'));
  const file = join(own, name);
  let count = 0;
  // Written a piece at a time: a run of a hundred thousand events is tens of MB of text.
  const fd = openSync(file, 'w');
  try {
    let text = '';
    for (const item of items) {
      text += JSON.stringify(item) + '\n';
      count++;
      if (text.length >= WRITE_CHARS) {
        writeSync(fd, text);
        text = '';
      }
    }
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return { dir: own, run: { file, count } };
}

/** Blocks read back: one per run is held while the runs are merged, and a long analysis merges hundreds. */
const READ_BYTES = 16 * 1024;

/** The events (or other items) of a run, read back block by block (the file is opened for each block: no descriptor is held between them). */
export function* readRun<T = ConnectionEvent>(run: SpilledRun): Generator<T> {
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let position = 0;
  // The bytes after the last newline read: a line cut by the block's end, whole with the next block.
  let carry = Buffer.alloc(0);
  for (;;) {
    const fd = openSync(run.file, 'r');
    let n: number;
    try {
      n = readSync(fd, buffer, 0, READ_BYTES, position);
    } finally {
      closeSync(fd);
    }
    if (n <= 0) break;
    position += n;
    const block = carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, n)]) : buffer.subarray(0, n);
    const end = block.lastIndexOf(10);
    carry = Buffer.from(block.subarray(end + 1));
    if (end === -1) continue;
    for (const line of block.toString('utf8', 0, end).split('\n')) yield JSON.parse(line) as T;
  }
  if (carry.length > 0) yield JSON.parse(carry.toString('utf8')) as T;
}

/** Removes the runs' directories (and whatever else the spill left in them). */
export function removeRuns(runs: readonly SpilledRun[]): void {
  for (const dir of new Set(runs.map((run) => dirname(run.file)))) rmSync(dir, { recursive: true, force: true });
}
