/**
 * The facts about a file that the runners share, decided once before its parsing starts: its
 * size, whether it is read whole or in byte ranges, and each range's first line number, so that
 * the parsers number every line as a whole read does and nothing is renumbered afterwards.
 *
 * A big file of a splittable format (FormatParser.splittable: access logs; Python client logs, cut
 * before record headers; FormatParser.statefulAfter: an nginx error log holding none of those
 * texts) is cut into byte ranges. A file whose head holds docker compose prefixes (per-stream
 * parsers keep state), gzip (no seeking) or UTF-16 (a 0x0A byte is no line end) is read whole.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { LogFile } from '../discover/discover.js';
import { cleanLine } from '../read/clean.js';
import { unwrapCiPrefix } from '../read/ci-prefix.js';
import { sniffEncoding } from '../read/encoding.js';
import { headMayHoldStreams, SCAN_BYTES } from './scan.js';

/** Files smaller than this are never split: a range's partial and its merge cost more than they save. */
export const SPLIT_MIN_BYTES = Number(process.env.WHORESET_SPLIT_MIN_BYTES) || 16 * 1024 * 1024; // env: tests split small files

/** The longest line start looked at to tell whether a record starts there. */
const RECORD_START_BYTES = 512;
/** How far past a share's point a record start is looked for. */
const RECORD_SEARCH_BYTES = 1024 * 1024;

export interface ByteRange {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * Byte ranges of a file cut at line starts, about `pieces` of them; one range when it cannot or
 * must not be cut (its head holds docker compose streams: scan.ts reads it whole, as streams).
 * With `cutBefore`, only before a line it accepts, as the parser will see the line (cleaned,
 * without its CI prefix).
 */
export function lineRanges(absolute: string, size: number, pieces: number, cutBefore?: (line: string) => boolean): ByteRange[] {
  const cuts = [0];
  if (pieces > 1) {
    const fd = openSync(absolute, 'r');
    try {
      if (headMayHoldStreams(absolute)) pieces = 1;
      const buffer = Buffer.alloc(SCAN_BYTES);
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

/** The files' sizes summed (sizeOf each). */
export function sizeOfAll(files: readonly LogFile[]): number {
  return files.reduce((sum, file) => sum + sizeOf(file), 0);
}

/**
 * Whether a file may be worth reading in byte ranges: a splittable format (with `statefulAfter`,
 * also one stateful only after some lines, which fileRanges looks for), not gzip (no seeking),
 * big enough (`minBytes`: events, with no partial to merge, split smaller files).
 */
export function splitsWell(file: LogFile, size = sizeOf(file), statefulAfter = false, minBytes = 2 * SPLIT_MIN_BYTES): boolean {
  const format = file.format;
  return (format?.splittable !== undefined || (statefulAfter && format?.statefulAfter !== undefined)) && !file.gzip && size >= minBytes;
}

/**
 * A file's byte ranges of about `rangeBytes`, cut where its format allows; [] when it is read
 * whole. With `statefulAfter`, a file of a format stateful only after some lines is cut too when
 * it holds none of them: one scan of its bytes, which pays where the file would otherwise be the
 * last piece, parsed alone (events); the analysis's far side is balanced without it.
 */
export function fileRanges(file: LogFile, size: number, rangeBytes: number, statefulAfter = false, minBytes?: number): ByteRange[] {
  if (!splitsWell(file, size, statefulAfter, minBytes) || !isUtf8(file.absolute)) return [];
  const format = file.format!;
  const splittable = format.splittable;
  if (splittable === undefined && holdsAnyOf(file.absolute, ['|', ...format.statefulAfter!].map((text) => Buffer.from(text)))) return [];
  const ranges = lineRanges(file.absolute, size, Math.ceil(size / rangeBytes), typeof splittable === 'object' ? splittable.cutBefore : undefined);
  return ranges.length > 1 ? ranges : [];
}

/** Whether a file's head reads as UTF-8, where each 0x0A byte is a line end (the reader's count). */
function isUtf8(absolute: string): boolean {
  const head = Buffer.alloc(4096);
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    return sniffEncoding(head.subarray(0, readSync(fd, head, 0, head.length, 0))).encoding === 'utf8';
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Whether a file holds any of `needles` (an unreadable one: as if it did, it is then read whole). */
function holdsAnyOf(absolute: string, needles: readonly Buffer[]): boolean {
  // A needle cut by a block's end is found in the next block, which starts with the last bytes of this one.
  const overlap = Math.max(...needles.map((needle) => needle.length)) - 1;
  const buffer = Buffer.allocUnsafe(SCAN_BYTES);
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

/** Line ends (0x0A bytes) in a byte range of a file: the lines of a range cut at line starts, its file's last range aside. */
export function newlines(absolute: string, range: ByteRange): number {
  const fd = openSync(absolute, 'r');
  const buffer = Buffer.allocUnsafe(SCAN_BYTES);
  let count = 0;
  try {
    for (let pos = range.start; pos < range.end; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, range.end - pos), pos);
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

/** The first line numbers of a file's ranges, each range's newlines counted once, when a range after it is about to start. */
export class FirstLines {
  private readonly known = [1];
  constructor(
    private readonly absolute: string,
    private readonly ranges: readonly ByteRange[],
  ) {}

  /** The number of range k's first line in its file (k = ranges.length: one past the file's last line). */
  of(k: number): number {
    while (this.known.length <= k) {
      const i = this.known.length - 1;
      this.known.push(this.known[i]! + newlines(this.absolute, this.ranges[i]!));
    }
    return this.known[k]!;
  }
}
