import type { LogFile } from '../discover/discover.js';
import type { ConnectionEvent } from '../model/event.js';
import path from 'node:path';
import { readLines, type ReadOptions } from '../read/lines.js';
import { FORMATS } from './formats.js';
import type { FormatParser, InputProblem, ParseContext } from './parser.js';
import { StreamRouter } from './stream-router.js';

/** The parsers' optional fast paths, for a consumer that does not need every event whole (the analysis). */
export type FastPaths = Pick<ParseContext, 'ordinary' | 'unremarkable'>;

/** What reading a file (or a range of it) saw, besides its events. */
export interface ScanInfo {
  lines: number;
  /** Some line named its program (a docker compose prefix): the file is read as several streams. */
  streams: boolean;
}

/** Reads one file through its format's parser (or the fallback for unclaimed files). */
export async function scanFile(
  file: LogFile,
  fallback: FormatParser | undefined,
  onEvent: (event: ConnectionEvent) => void,
  onProblem: (problem: InputProblem) => void,
  congested?: () => Promise<void> | undefined,
  fast?: FastPaths,
  part?: Pick<ReadOptions, 'range' | 'invalidUtf8'>,
): Promise<ScanInfo> {
  const format = file.format ?? fallback;
  if (!format) return { lines: 0, streams: false };
  const ctx: ParseContext = {
    file: file.relative,
    emit: onEvent,
    problem: (line, message) => onProblem({ file: file.relative, line, message }),
    ...fast,
  };
  const router = new StreamRouter(format.create(ctx), ctx, path.basename(file.relative), FORMATS, fallback);
  let streams = false;
  const lines = await readLines(
    file.absolute,
    { gzip: file.gzip, congested, ...part },
    (text, no, prefixTime, stream) => {
      if (stream !== undefined) streams = true;
      router.line(text, no, prefixTime, stream);
    },
    (line, message) => onProblem({ file: file.relative, line, message }),
  );
  router.end();
  return { lines, streams };
}

/** Reads files one after another in the given order, so events come out in a deterministic order. */
export async function scanFiles(
  files: readonly LogFile[],
  fallback: FormatParser | undefined,
  onEvent: (event: ConnectionEvent) => void,
  onProblem: (problem: InputProblem) => void,
  congested?: () => Promise<void> | undefined,
  fast?: FastPaths,
): Promise<void> {
  for (const file of files) await scanFile(file, fallback, onEvent, onProblem, congested, fast);
}
