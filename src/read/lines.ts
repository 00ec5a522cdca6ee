import { isAscii } from 'node:buffer';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { cleanLine } from './clean.js';
import { CiPrefixReader, prefixEnd, type UnwrapResult } from './ci-prefix.js';
import { sniffEncoding, TextNormalizer, type TextShape } from './encoding.js';

/** Longest line kept whole; longer ones are cut here and reported (bounds memory per line). */
export const MAX_LINE_BYTES = 1024 * 1024;

export type LineHandler = (text: string, no: number, prefixTime: number | undefined, stream: string | undefined) => void;
export type ProblemHandler = (line: number | undefined, message: string) => void;
/**
 * Offered a plain line as bytes, `start` to `end` (exclusive, no line end), before it is decoded:
 * true = handled, the line is not decoded; false = it goes to the LineHandler as text.
 * Plain: ASCII only, no ESC, NUL or CR (but a CRLF line end, left out), no docker compose "| " (unless
 * the file is one stream); a CI prefix (GitHub Actions, GitLab, Jenkins) is left out, `start` is past it,
 * so the bytes are exactly the text the LineHandler would get. The prefix's time is not told: a handler
 * takes only lines whose reading does not depend on it.
 */
export type ByteLineHandler = (bytes: Buffer, start: number, end: number, no: number) => boolean;
/** Takes plain lines in a run (LineParser.run says how). */
export type LineRunHandler = (bytes: Buffer, end: number, limit: number, ascii: boolean, run: LineRun) => void;
/** Where a run starts and the number of the line before it; then where it stopped and the number of the last line it took. */
export interface LineRun {
  at: number;
  no: number;
  /** Which block of lines the bytes are: a new number for each block plainLines reads. */
  block: number;
}

const CUT_MARK = 0; // a NUL byte put before the newline of a cut line, for the line handler to see
const CUT_LINE_END = Buffer.from([CUT_MARK, 10]);

/**
 * Cuts lines longer than the bound before they are cut into lines, so nothing buffers without limit.
 * The fast path costs one lastIndexOf per chunk: a chunk that cannot complete an over-long line
 * passes through untouched.
 */
class LineLengthGuard {
  private sinceNewline = 0;
  private dropping = false;
  constructor(private readonly max: number) {}
  cut(chunk: Buffer): Buffer {
    if (!this.dropping && this.sinceNewline + chunk.length <= this.max) {
      const last = chunk.lastIndexOf(10);
      this.sinceNewline = last === -1 ? this.sinceNewline + chunk.length : chunk.length - last - 1;
      return chunk;
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
    return Buffer.concat(out);
  }
}

export interface ReadOptions {
  gzip: boolean;
  maxLineBytes?: number;
  /** Returns a promise while the consumer cannot take more (a slow stdout pipe); reading pauses until it settles. */
  congested?: () => Promise<void> | undefined;
  /** The file is one program's log: no line is taken for a docker compose stream ("web-1  | …"). */
  oneStream?: boolean;
  /** Only these bytes of the file (end exclusive): a range cut at line starts (--jobs splits big files). */
  range?: { start: number; end: number };
  /** The number of the first line read (a range's, counted before it is read): lines are numbered as in the whole file. */
  firstLine?: number;
  /**
   * Takes the summaries of the lines reading changed (LineFix: how many, the first) instead of their
   * being reported as problems: the ranges of one file are summed into one message each, as if read whole.
   */
  fixed?: (fix: LineFix, lines: number, first: number) => void;
  /** Asked after each read with the lines read so far: true ends the reading there (a probe of the head). */
  stop?: (lines: number) => boolean;
  /** The file's bytes, held in memory (an archive's entry, stdin): read from there, not from the path. */
  held?: Buffer;
  /** A byte path: plain lines are offered as bytes first, and only those it declines are decoded. */
  bytes?: ByteLineHandler;
  /** Beside the byte path: plain lines taken in runs, each line it stops at offered as usual. */
  run?: LineRunHandler;
  /** Told after each read's lines: the bytes offered to `bytes` and `run` are overwritten by the next read. */
  releaseBytes?: () => void;
}

/**
 * Most bytes read from one compressed file: a gzip that expands without limit (a bomb, or a
 * runaway log) is read this far and reported. WHORESET_MAX_DECOMPRESSED_MIB (--max-decompressed) sets it.
 */
export function maxDecompressedBytes(): number {
  const mib = Number(process.env['WHORESET_MAX_DECOMPRESSED_MIB']);
  return (Number.isFinite(mib) && mib > 0 ? mib : DEFAULT_MAX_DECOMPRESSED_MIB) * 1024 * 1024;
}
export const DEFAULT_MAX_DECOMPRESSED_MIB = 1024;

/** Raised by ByteCap to end a pipeline: not a read error, a limit reached. */
class CapReached extends Error {}

/** Passes the first `max` bytes, then ends the reading. */
class ByteCap extends Transform {
  private passed = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    const room = this.max - this.passed;
    this.passed += chunk.length;
    if (chunk.length <= room) return done(null, chunk);
    if (room > 0) this.push(chunk.subarray(0, room));
    done(new CapReached());
  }
}

/**
 * The shape of a byte range's text, from the file's own head (the range's first bytes say nothing
 * of a BOM), and the range moved to whole UTF-16 code units: a range is cut after a 0x0A byte,
 * which in UTF-16 LE is the first byte of a line end.
 */
function rangeShape(absPath: string, range: { start: number; end: number }): { shape: TextShape; range: { start: number; end: number } } {
  const head = Buffer.alloc(4096);
  const fd = openSync(absPath, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  const sniffed = sniffEncoding(head.subarray(0, n));
  const shape = { encoding: sniffed.encoding, bom: range.start === 0 ? sniffed.bom : 0 };
  if (shape.encoding === 'utf8') return { shape, range };
  const even = (at: number) => (at > 0 && at % 2 === 1 ? at + 1 : at);
  return { shape, range: { start: even(range.start), end: even(range.end) } };
}

/** Lines reading changes, each kind summed into one problem a file, in this order: invalid UTF-8 (bytes replaced), NUL bytes (left out). */
export const LINE_FIXES = ['invalidUtf8', 'nul'] as const;
export type LineFix = (typeof LINE_FIXES)[number];

export function lineFixMessage(fix: LineFix, lines: number, first: number): string {
  return fix === 'invalidUtf8'
    ? `${lines} line(s) with invalid UTF-8, first at line ${first}: bytes replaced with U+FFFD`
    : `${lines} line(s) with NUL bytes, first at line ${first}: the NUL bytes left out`;
}

/** Bytes decoded at a time: a chunk decodes to a string small enough for V8's young generation. */
export const CHUNK_BYTES = 64 * 1024;
/**
 * Bytes read at a time, decoded a chunk at a time: each read is a round trip to libuv's thread pool,
 * and at 64 KiB the reader waited on them more than it worked (1 MiB would pass LineLengthGuard's bound).
 */
export const READ_BYTES = 4 * CHUNK_BYTES;

/**
 * Streams a file's lines to `onLine`, cleaned (CR, ANSI, CI prefix with its time). Problems with
 * the content (invalid UTF-8, cut lines, a truncated gzip) go to `onProblem`; reading goes on.
 * Returns the number of lines read.
 *
 * Lines are cut by indexOf in each decoded chunk and handed over in the same call: no stream event
 * and no array per line. Chunks are 64 KiB so that their strings are young objects (a 256 KiB string
 * goes to V8's large-object space, freed only by a full collection: the heap grew by hundreds of MB
 * of dead chunks between two). A final line without newline counts,
 * an empty remainder after the last newline does not.
 *
 * With `options.bytes` (a parser's byte path), each read is cut into lines as bytes instead, and a
 * plain line is offered to it before anything is decoded: only the lines it declines become strings.
 */
export async function readLines(
  absPath: string,
  options: ReadOptions,
  onLine: LineHandler,
  onProblem: ProblemHandler,
): Promise<number> {
  const before = (options.firstLine ?? 1) - 1;
  let no = before;
  let invalidUtf8 = 0;
  let firstInvalid = 0;
  let nulLines = 0;
  let firstNul = 0;
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const unwrapped: UnwrapResult = { text: '', time: undefined, stream: undefined };
  const prefixes = new CiPrefixReader();
  /**
   * `noisy`: the line may hold a CR or an ESC, so cleanLine has work to do; `bar`: it may hold "| ",
   * a docker compose prefix. feed knows where both are in a chunk.
   */
  const line = (raw: string, suspect: boolean, noisy: boolean, bar: boolean, nul = false) => {
    no++;
    take(raw, suspect, noisy, bar, nul);
  };
  /** Line `no`'s text, as `line` but numbered already (the byte path counts the lines it takes). */
  const take = (raw: string, suspect: boolean, noisy: boolean, bar: boolean, nul: boolean) => {
    let text = raw;
    if (text.charCodeAt(text.length - 1) === CUT_MARK) {
      text = text.slice(0, -1);
      onProblem(no, `line longer than ${maxLineBytes} bytes: cut, the rest of the line skipped`);
    }
    if (suspect && text.includes('\uFFFD')) {
      if (invalidUtf8++ === 0) firstInvalid = no;
    }
    // NUL bytes (a copytruncate hole before the first line, a torn write) are no text: left out.
    if (nul && text.includes('\0')) {
      text = text.replaceAll('\0', '');
      if (nulLines++ === 0) firstNul = no;
    }
    // Removing colour codes may bring a '|' and a space together: a noisy line may hold a bar.
    prefixes.unwrapInto(noisy ? cleanLine(text) : text, unwrapped, !options.oneStream && (noisy || bar));
    try {
      onLine(unwrapped.text, no, unwrapped.time, unwrapped.stream);
    } catch (error) {
      parserBug(error);
    }
  };
  // A parser's bug costs its line, not the rest of the file.
  const parserBug = (error: unknown) => onProblem(no, `internal error while parsing this line, please report it (${(error as Error).message}): line skipped`);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let restSuspect = false;
  let restNul = false;
  const feed = (text: string) => {
    // U+FFFD marks bytes the decoder replaced: only lines of a chunk that has one are searched for it (NUL alike).
    const suspect = text.includes('\uFFFD');
    const nul = text.includes('\0');
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl === -1) {
      rest += text;
      restSuspect ||= suspect;
      restNul ||= nul;
      return;
    }
    if (rest.length > 0) {
      line(rest + text.slice(0, nl), suspect || restSuspect, true, true, nul || restNul);
      rest = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    // The chunk's next CR, ESC and "| " (its length for none): a line that ends before one does not
    // hold it. Most chunks hold none at all, and their lines are then spared a scan each for them.
    let cr = nextOf(text, '\r', start);
    let esc = nextOf(text, '\x1b', start);
    let bar = nextOf(text, '| ', start);
    while (nl !== -1) {
      if (cr < start) cr = nextOf(text, '\r', start);
      if (esc < start) esc = nextOf(text, '\x1b', start);
      if (bar < start) bar = nextOf(text, '| ', start);
      line(text.slice(start, nl), suspect, cr < nl || esc < nl, bar < nl, nul);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    rest = text.slice(start);
    restSuspect = suspect;
    restNul = nul;
  };
  const offer = options.bytes;
  const run = options.run;
  const lineRun: LineRun = { at: 0, no: 0, block: 0 };
  /** Reads left to decode whole, after one whose lines the byte path nearly all declined (each then decoded alone, which costs more). */
  let resting = 0;
  /** The byte path over whole lines: `buf` from `start` to `end`, where `end - 1` holds a line end. */
  const plainLines = (buf: Buffer, start: number, end: number) => {
    if (resting > 0) {
      resting--;
      // Decoded and cut as without a byte path (up to a line end, so nothing is left in `rest`).
      for (let at = start; at < end; at += CHUNK_BYTES) feed(decoder.write(buf.subarray(at, Math.min(at + CHUNK_BYTES, end))));
      return;
    }
    // Most reads are ASCII throughout; in one that is not, each line is looked at.
    const ascii = isAscii(buf.subarray(start, end));
    let declined = 0;
    const first = no;
    // As in feed: the next CR, ESC, NUL (a cut line's mark too) and "| ", each searched again once passed.
    let cr = nextByte(buf, 13, start, end);
    let esc = nextByte(buf, 27, start, end);
    let nul = nextByte(buf, CUT_MARK, start, end);
    let bar = options.oneStream ? end : nextBar(buf, start, end);
    /** Where a plain line's text starts, past its CI prefix. */
    let text: number;
    /** The line a run stopped at: offered as a line of its own. */
    let runStop = -1;
    lineRun.block++;
    for (let at = start; at < end; ) {
      if (cr < at) cr = nextByte(buf, 13, at, end);
      if (esc < at) esc = nextByte(buf, 27, at, end);
      if (nul < at) nul = nextByte(buf, CUT_MARK, at, end);
      if (bar < at) bar = nextBar(buf, at, end);
      if (run !== undefined && at !== runStop) {
        lineRun.at = at;
        lineRun.no = no;
        try {
          run(buf, end, Math.min(cr, esc, nul, bar), ascii, lineRun);
        } catch (error) {
          parserBug(error);
        }
        runStop = lineRun.at;
        if (runStop !== at) {
          no = lineRun.no;
          at = runStop;
          continue;
        }
      }
      const nl = buf.indexOf(10, at);
      // A CRLF line end is no noise: the line is the bytes before it, as cleanLine makes it.
      const stop = cr === nl - 1 ? cr : nl;
      no++;
      if (!ascii && !isAscii(buf.subarray(at, nl))) {
        declined++;
        take(buf.toString('utf8', at, nl), true, cr < nl || esc < nl, bar < nl, nul < nl);
      } else if (cr >= stop && esc > nl && nul > nl && bar > nl && (text = prefixEnd(buf, at, stop)) !== -1) {
        let taken: boolean;
        try {
          taken = offer!(buf, text, stop, no);
        } catch (error) {
          parserBug(error);
          taken = true;
        }
        if (!taken) {
          declined++;
          take(buf.toString('latin1', at, stop), false, false, false, false);
        }
      } else {
        declined++;
        take(buf.toString('latin1', at, nl), false, cr < nl || esc < nl, bar < nl, nul < nl);
      }
      at = nl + 1;
    }
    // Judged on a read's lines, not on the one line joined from two reads.
    if (no - first >= 64 && declined * 8 > (no - first) * 7) resting = RESTING_READS;
  };
  /** A line's first bytes, read in earlier chunks (byte path): copies, as the next read overwrites a chunk. */
  const carry: Buffer[] = [];
  /** Cuts a chunk at line ends for the byte path; the bytes after its last line end wait in `carry`. */
  const cutBytes = (chunk: Buffer) => {
    let start = 0;
    if (carry.length > 0) {
      const nl = chunk.indexOf(10);
      if (nl === -1) {
        carry.push(Buffer.from(chunk));
        return;
      }
      carry.push(chunk.subarray(0, nl + 1));
      const joined = Buffer.concat(carry);
      carry.length = 0;
      plainLines(joined, 0, joined.length);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(10);
    if (last >= start) {
      plainLines(chunk, start, last + 1);
      start = last + 1;
    }
    if (start < chunk.length) carry.push(Buffer.from(chunk.subarray(start)));
  };
  let range = options.range;
  let shape: TextShape | undefined;
  if (range) ({ shape, range } = rangeShape(absPath, range));
  const normalizer = new TextNormalizer(shape);
  const guard = new LineLengthGuard(maxLineBytes);
  /** A piece of the file's bytes (or the decoder's last), made UTF-8 with LF ends, long lines cut, to the lines. */
  const lines = (piece: Buffer) => {
    const bytes = guard.cut(piece);
    if (offer) {
      cutBytes(bytes);
      options.releaseBytes?.();
    } else for (let at = 0; at < bytes.length; at += CHUNK_BYTES) feed(decoder.write(bytes.subarray(at, at + CHUNK_BYTES)));
  };
  let stopped = false;
  const consume = async (chunks: AsyncIterable<Buffer> | Iterable<Buffer>) => {
    for await (const chunk of chunks) {
      lines(normalizer.write(chunk));
      if (options.stop?.(no - before)) {
        // Ending here aborts the pipeline: that is no reading problem.
        stopped = true;
        return;
      }
      // Pause reading while the consumer cannot take more (a slow stdout pipe).
      const wait = options.congested?.();
      if (wait) await wait;
    }
    const last = normalizer.end();
    if (last !== undefined && last.length > 0) lines(last);
    const tail = rest + decoder.end() + (carry.length > 0 ? Buffer.concat(carry).toString('utf8') : '');
    rest = '';
    if (tail.length > 0) line(tail, true, true, true, true);
  };
  const held = options.held;
  // An archive's entry or stdin, held in memory: read in pieces of the same size as a file's.
  const heldChunks = held && chunksOf(range ? held.subarray(range.start, range.end) : held);
  const cap = maxDecompressedBytes();
  try {
    if (options.gzip) {
      const read = heldChunks ? Readable.from(heldChunks) : createReadStream(absPath, streamRange(range));
      await pipeline(read, createGunzip(), new ByteCap(cap), consume);
    } else if (heldChunks) await consume(heldChunks);
    else await consume(fileChunks(absPath, range));
  } catch (error) {
    if (error instanceof CapReached) onProblem(no > before ? no : undefined, `decompressed to more than ${cap / 1024 / 1024} MiB: the rest is not read (--max-decompressed raises the limit)`);
    else if (!stopped) onProblem(no > before ? no : undefined, `${describeReadError(error)}; the lines before it were analysed`);
  } finally {
    const summarise = (fix: LineFix, lines: number, first: number) => {
      if (lines === 0) return;
      if (options.fixed) options.fixed(fix, lines, first);
      else onProblem(first, lineFixMessage(fix, lines, first));
    };
    summarise('invalidUtf8', invalidUtf8, firstInvalid);
    summarise('nul', nulLines, firstNul);
  }
  return no - before;
}

function* chunksOf(bytes: Buffer): Generator<Buffer> {
  for (let at = 0; at < bytes.length; at += READ_BYTES) yield bytes.subarray(at, at + READ_BYTES);
}

/** createReadStream's options for the file or a range of it (its `end` is inclusive). */
function streamRange(range: { start: number; end: number } | undefined): { highWaterMark: number; start?: number; end?: number } {
  return range ? { highWaterMark: READ_BYTES, start: range.start, end: range.end - 1 } : { highWaterMark: READ_BYTES };
}

/**
 * A file's bytes (or a range's), read by the reading thread itself: through libuv's thread pool each
 * read came back only after a round trip, and the reader waited on it between chunks (about a tenth
 * of its time, the main thread's too). The event loop turns between reads (workers' messages,
 * stdout). Every read goes into one buffer: a chunk holds until the next read, and the consumer
 * copies what it keeps longer (ReadOptions.releaseBytes). With a new buffer a read, V8 counted every
 * byte read as external memory and started a full collection for each 64 MB of it: 44 in a
 * server-heavy 1 GiB job where there are now 9, which took 5.4 s against 4.7 s, at 106 against 96 MB.
 */
async function* fileChunks(absPath: string, range: { start: number; end: number } | undefined): AsyncGenerator<Buffer> {
  const fd = openSync(absPath, 'r');
  try {
    let position = range?.start ?? 0;
    const end = range?.end ?? Infinity;
    const buffer = Buffer.allocUnsafeSlow(Math.min(READ_BYTES, end - position));
    while (position < end) {
      const want = Math.min(buffer.length, end - position);
      const n = readSync(fd, buffer, 0, want, position);
      if (n === 0) return;
      position += n;
      // A new view each read: a search that remembers where it looked (ByteSearch) knows it by identity.
      yield buffer.subarray(0, n);
      // Between reads the thread's event loop runs (a message from the pool).
      await new Promise(setImmediate);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads (of READ_BYTES) decoded whole after one whose lines the byte path nearly all declined, before it
 * is offered lines again: a log it cannot read (a debug log, a quiet one whose every line has a new
 * stamp) costs a ninth of its lines decoded one by one.
 */
const RESTING_READS = 8;

/** Where `byte` next occurs in `buf` from `from` on, or `end` where it does not before it. */
function nextByte(buf: Buffer, byte: number, from: number, end: number): number {
  const at = buf.indexOf(byte, from);
  return at === -1 || at > end ? end : at;
}

/** Where "| " next starts in `buf` from `from` on, or `end` where it does not before it. */
function nextBar(buf: Buffer, from: number, end: number): number {
  for (let at = nextByte(buf, 124, from, end); at < end; at = nextByte(buf, 124, at + 1, end)) if (buf[at + 1] === 32) return at;
  return end;
}

/** Where `char` next occurs in `text` from `from` on, or text.length where it does not. */
function nextOf(text: string, char: string, from: number): number {
  const at = text.indexOf(char, from);
  return at === -1 ? text.length : at;
}

export function describeReadError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'Z_BUF_ERROR' || e.code === 'Z_DATA_ERROR') return `gzip data is truncated or corrupt (${e.message})`;
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  return e.message ?? String(error);
}
