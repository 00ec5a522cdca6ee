import type { LogFile } from '../discover/discover.js';
import type { ConnectionEvent } from '../model/event.js';
import { closeSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { readLines, type ReadOptions } from '../read/lines.js';
import { checkedContext } from '../parse/field-ranges.js';
import { FALLBACK_FORMAT } from '../parse/formats.js';
import { ProblemLimiter } from './problem-limit.js';
import type { FormatParser, ParseContext } from '../parse/parser.js';
import type { InputProblem } from '../model/problem.js';
import { StreamRouter } from './stream-router.js';

/** The parsers' optional fast paths, for a consumer that does not need every event whole (the analysis), or writes records (`events`). */
export type FastPaths = Pick<ParseContext, 'ordinary' | 'unremarkable' | 'ordinaryBytes' | 'runs' | 'records'>;

/** What reading a file (or a range of it) saw, besides its events. */
export interface ScanInfo {
  lines: number;
  /** Some line named its program (a docker compose prefix): the file is read as several streams. */
  streams: boolean;
}

/** How much of a file's head tells whether it holds docker compose streams. */
const STREAM_HEAD_BYTES = 1024 * 1024;

/**
 * Bytes read at a time to scan a file: under glibc's mmap threshold (128 KiB), as a bigger block,
 * once freed, raises it for the whole run (partial-parts.ts says what that costs).
 */
export const SCAN_BYTES = 64 * 1024;

/**
 * Whether the first MiB of a file holds a '|' byte, which a docker compose prefix ("web-1  | ")
 * needs (cleaning a line only removes bytes, never adds a '|'). Unreadable: as if it did.
 */
export function headMayHoldStreams(absolute: string, held?: Buffer): boolean {
  if (held) return held.subarray(0, STREAM_HEAD_BYTES).indexOf(124) !== -1;
  let fd: number | undefined;
  try {
    fd = openSync(absolute, 'r');
    const block = Buffer.allocUnsafe(SCAN_BYTES);
    for (let pos = 0; pos < STREAM_HEAD_BYTES; ) {
      const n = readSync(fd, block, 0, block.length, pos);
      if (n <= 0) return false;
      if (block.subarray(0, n).indexOf(124) !== -1) return true;
      pos += n;
    }
    return false;
  } catch {
    return true;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * A file whose format may be read in byte ranges (FormatParser.splittable) is one program's log
 * when its head holds no compose prefix, and is read so throughout, whatever --jobs is: a range
 * read apart then gives what the whole read gives. (Its format was decided from its head too.)
 */
export function readsAsOneStream(file: LogFile): boolean {
  return file.format?.splittable !== undefined && !file.gzip && !headMayHoldStreams(file.absolute, file.held);
}

/** What a scan does with what it reads, and how far it reads. */
export interface ScanOptions {
  onEvent(event: ConnectionEvent): void;
  onProblem(problem: InputProblem): void;
  /** A promise while the consumer cannot take more: reading pauses until it settles. */
  congested?: () => Promise<void> | undefined;
  fast?: FastPaths;
  /** The run's formats (RunFormats.list): a console's streams are routed to them. */
  formats: readonly FormatParser[];
  /** Only a byte range of the file, or only until `stop` says so. */
  part?: Pick<ReadOptions, 'range' | 'firstLine' | 'fixed' | 'stop'>;
}

/** Reads one file through its format's parser (or the fallback for unclaimed files). */
export async function scanFile(file: LogFile, { onEvent, onProblem, congested, fast, formats, part }: ScanOptions): Promise<ScanInfo> {
  const format = file.format ?? FALLBACK_FORMAT;
  if (!format) return { lines: 0, streams: false };
  const problems = new ProblemLimiter(onProblem);
  const problem = (line: number | undefined, message: string) => problems.report({ file: file.relative, line, message });
  const ctx = checkedContext({ file: file.relative, emit: onEvent, problem, ...fast });
  const router = new StreamRouter(format.create(ctx), ctx, path.basename(file.relative), formats, FALLBACK_FORMAT);
  let streams = false;
  const lines = await readLines(
    file.absolute,
    // A range exists only of a file read as one stream (lineRanges cuts no other): its head is not read again per range.
    { gzip: file.gzip, held: file.held, congested, oneStream: part?.range !== undefined || readsAsOneStream(file), bytes: router.bytes, run: router.run, releaseBytes: router.releaseBytes, ...part },
    (text, no, prefixTime, stream) => {
      if (stream !== undefined) streams = true;
      router.line(text, no, prefixTime, stream);
    },
    problem,
  );
  router.end();
  problems.end();
  return { lines, streams };
}

/** Reads files one after another in the given order, so events come out in a deterministic order. */
export async function scanFiles(files: readonly LogFile[], options: Omit<ScanOptions, 'part'>): Promise<void> {
  for (const file of files) await scanFile(file, options);
}
