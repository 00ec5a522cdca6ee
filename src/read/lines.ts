import { createReadStream } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import split2 from 'split2';
import { cleanLine } from './clean.js';
import { unwrapCiPrefix } from './ci-prefix.js';

/** Longest line kept whole; longer ones are cut here and reported (bounds memory per line). */
export const MAX_LINE_BYTES = 1024 * 1024;

export type LineHandler = (text: string, no: number, prefixTime: number | undefined, stream: string | undefined) => void;
export type ProblemHandler = (line: number | undefined, message: string) => void;

const CUT_MARK = 0; // a NUL byte put before the newline of a cut line, for the line handler to see
const CUT_LINE_END = Buffer.from([CUT_MARK, 10]);

/**
 * Cuts lines longer than the bound before split2 sees them, so neither buffers without limit.
 * The fast path costs one lastIndexOf per chunk: a chunk that cannot complete an over-long line
 * passes through untouched.
 */
class LineLengthGuard extends Transform {
  private sinceNewline = 0;
  private dropping = false;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    if (!this.dropping && this.sinceNewline + chunk.length <= this.max) {
      const last = chunk.lastIndexOf(10);
      this.sinceNewline = last === -1 ? this.sinceNewline + chunk.length : chunk.length - last - 1;
      done(null, chunk);
      return;
    }
    const out: Buffer[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl === -1 ? chunk.length : nl;
      if (this.dropping) {
        if (nl !== -1) this.dropping = false;
      } else {
        const room = this.max - this.sinceNewline;
        if (end - pos > room) {
          out.push(chunk.subarray(pos, pos + room), CUT_LINE_END);
          this.dropping = nl === -1;
        } else {
          out.push(chunk.subarray(pos, nl === -1 ? end : nl + 1));
          this.sinceNewline += end - pos;
        }
      }
      if (nl === -1) break;
      this.sinceNewline = 0;
      pos = nl + 1;
    }
    done(null, Buffer.concat(out));
  }
}

export interface ReadOptions {
  gzip: boolean;
  maxLineBytes?: number;
  /** Returns a promise while the consumer cannot take more (a slow stdout pipe); reading pauses until it settles. */
  congested?: () => Promise<void> | undefined;
}

/**
 * Streams a file's lines to `onLine`, cleaned (CR, ANSI, CI prefix with its time). Problems with
 * the content (invalid UTF-8, cut lines, a truncated gzip) go to `onProblem`; reading goes on.
 */
export async function readLines(
  absPath: string,
  options: ReadOptions,
  onLine: LineHandler,
  onProblem: ProblemHandler,
): Promise<void> {
  let no = 0;
  let invalidUtf8 = 0;
  let firstInvalid = 0;
  const splitter = split2('\n');
  splitter.on('data', (raw: string) => {
    no++;
    let text = raw;
    if (text.charCodeAt(text.length - 1) === CUT_MARK) {
      text = text.slice(0, -1);
      onProblem(no, `line longer than ${options.maxLineBytes ?? MAX_LINE_BYTES} bytes: cut, the rest of the line skipped`);
    }
    if (text.includes('\uFFFD')) {
      if (invalidUtf8++ === 0) firstInvalid = no;
    }
    const cleaned = cleanLine(text);
    const { text: content, time, stream } = unwrapCiPrefix(cleaned);
    onLine(content, no, time, stream);
    const wait = options.congested?.();
    if (wait) {
      splitter.pause();
      void wait.then(() => splitter.resume());
    }
  });
  const stages: NodeJS.ReadWriteStream[] = [];
  if (options.gzip) stages.push(createGunzip());
  stages.push(new LineLengthGuard(options.maxLineBytes ?? MAX_LINE_BYTES), splitter);
  try {
    await pipeline(createReadStream(absPath, { highWaterMark: 256 * 1024 }), ...(stages as [NodeJS.ReadWriteStream]));
  } catch (error) {
    onProblem(no || undefined, `${describeReadError(error)}; the lines before it were analysed`);
  } finally {
    if (invalidUtf8 > 0) {
      onProblem(firstInvalid, `${invalidUtf8} line(s) with invalid UTF-8, first at line ${firstInvalid}: bytes replaced with U+FFFD`);
    }
  }
}

export function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR') return `gzip data is truncated or corrupt (${e.message})`;
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(error);
}
