/** Where a report's text goes, piece by piece: BufferedOutput (as text) or ByteOutput (as bytes). */
export interface ReportOutput {
  push(text: string): void;
  flush(): void;
}

/**
 * Batches small writes into large ones: one syscall per 64 KiB instead of one per event.
 * Writes to a file or pipe are synchronous on Linux, so memory stays bounded without backpressure.
 */
export class BufferedOutput implements ReportOutput {
  private pending: string[] = [];
  private size = 0;
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly limit = 64 * 1024,
  ) {}

  push(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}

/**
 * BufferedOutput's batches as UTF-8 bytes, each piece encoded straight into them: no joined copy of
 * the text (a JSON report at 1 GiB is 80 MB of it, and two bytes a character once an excerpt holds
 * '…'). For well-formed pieces only (JSON.stringify's text): a surrogate pair cut between two
 * pieces would become two U+FFFD.
 */
export class ByteOutput implements ReportOutput {
  private bytes: Buffer;
  private pos = 0;
  constructor(
    private readonly write: (bytes: Buffer) => void,
    private readonly limit = 64 * 1024,
  ) {
    this.bytes = Buffer.allocUnsafe(limit);
  }

  push(text: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    const most = 3 * text.length;
    if (this.pos + most > this.bytes.length) {
      this.flush();
      if (most > this.bytes.length) this.bytes = Buffer.allocUnsafe(most);
    }
    this.pos += this.bytes.write(text, this.pos, 'utf8');
  }

  flush(): void {
    if (this.pos === 0) return;
    // A new batch each time: the stream may hold the last one until it is written.
    this.write(this.bytes.subarray(0, this.pos));
    this.bytes = Buffer.allocUnsafe(this.limit);
    this.pos = 0;
  }
}

/** Bytes of output chunks: big enough that a write costs little, small enough to hand between threads often. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes written straight into a chunk by the encoders; a full chunk is handed to `emit` whole and
 * never touched again (a worker transfers it to the main thread), and the next one comes from
 * `allocate` (a worker reuses the memory of chunks the main thread has written and sent back); a
 * chunk for more than that holds is made to measure.
 */
export class ChunkBuffer {
  buf: Buffer;
  pos = 0;
  constructor(
    private readonly emit: (chunk: Uint8Array) => void,
    private readonly allocate: () => Buffer = () => Buffer.allocUnsafeSlow(CHUNK_BYTES),
  ) {
    this.buf = allocate();
  }

  /** Makes room for `n` more bytes: hands on what the chunk holds when they would not fit. */
  room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafeSlow(n);
  }

  /** ASCII text (keys, digits, ISO times). */
  ascii(text: string): void {
    const n = text.length;
    this.room(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = text.charCodeAt(i);
    this.pos = p;
  }

  /** Any text, as UTF-8 (a lone surrogate becomes U+FFFD, as a stream's string write makes it). */
  utf8(text: string): void {
    this.room(3 * text.length);
    this.pos += this.buf.write(text, this.pos, 'utf8');
  }

  flush(): void {
    if (this.pos === 0) return;
    this.emit(this.buf.subarray(0, this.pos));
    this.buf = this.allocate();
    this.pos = 0;
  }
}

/**
 * A stream of events' bytes to a writable (stdout): the head, the pieces in order, the tail. A
 * piece's write returns a promise while the stream is congested (a full pipe), for the caller to
 * stop producing until it drains.
 */
export class ByteStream {
  constructor(
    private readonly stream: NodeJS.WritableStream & { writableNeedDrain: boolean },
    /** Drop the body's first byte: the comma before the first JSON event. */
    private dropFirst: boolean,
  ) {}

  text(text: string): void {
    if (text.length > 0) this.stream.write(text);
  }

  /** Writes a piece's bytes; `written` is called once the stream is done with their memory. */
  chunk(bytes: Uint8Array, written?: () => void): Promise<void> | undefined {
    if (this.dropFirst && bytes.length > 0) {
      bytes = bytes.subarray(1);
      this.dropFirst = false;
    }
    if (bytes.length > 0) this.stream.write(bytes, written && (() => written()));
    else written?.();
    return this.stream.writableNeedDrain ? new Promise((resolve) => this.stream.once('drain', () => resolve())) : undefined;
  }
}

/**
 * Control characters that a terminal would act on (ESC sequences, unterminated OSC, `ESC c`, DCS,
 * C1 codes, backspace, CR) and bidirectional overrides, as visible `\xHH` / `\uHHHH` text. Tab
 * stays; newline stays only where the text is a layout of lines (a table), never in a one-line
 * message, where a newline from a file name would forge a line of its own.
 */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
const CONTROLS_AND_NEWLINE = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function escapeControls(text: string, keepNewlines: boolean): string {
  return text.replace(keepNewlines ? CONTROLS : CONTROLS_AND_NEWLINE, visible);
}

/** C1 codes and DEL inside JSON text, written as the \u escapes JSON has for them: the same value, no raw control byte. */
export function escapeJsonControls(json: string): string {
  return json.replace(/[\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Whether UTF-8 bytes hold a character escapeJsonControls escapes: DEL (7f), a C1 code (c2 80-9f),
 * a bidi override (e2 80 aa-ae, e2 81 a6-a9). Native byte searches: a regexp over a report's text
 * costs several times more, and most reports hold none.
 */
export function holdsJsonControls(bytes: Buffer): boolean {
  if (bytes.indexOf(0x7f) !== -1) return true;
  for (let at = bytes.indexOf(0xc2); at !== -1; at = bytes.indexOf(0xc2, at + 1)) {
    const next = bytes[at + 1] ?? 0;
    if (next >= 0x80 && next <= 0x9f) return true;
  }
  for (let at = bytes.indexOf(0xe2); at !== -1; at = bytes.indexOf(0xe2, at + 1)) {
    const next = bytes[at + 1];
    const last = bytes[at + 2] ?? 0;
    if ((next === 0x80 && last >= 0xaa && last <= 0xae) || (next === 0x81 && last >= 0xa6 && last <= 0xa9)) return true;
  }
  return false;
}
