/**
 * The compiled reader of an nginx error log's bulk (core/error-log.ts, WebAssembly): runs of lines
 * naming no request, in the second of the stamp read last, whose message is one the string way
 * classified lately. This module moves the lines, the stamp and the messages into its memory and
 * reads back what a run took.
 */
import { CoreLines, CorePool, coreInstance } from './core-lines.js';

interface Exports {
  memory: WebAssembly.Memory;
  useStamp(have: boolean): void;
  useEntries(count: number, bytes: number): number;
  useEntry(index: number, at: number, levelLength: number, messageLength: number, takes: boolean): void;
  reserve(bytes: number): number;
  run(start: number, end: number, limit: number, ascii: boolean): number;
}

/** Offsets in the module's memory (core/error-log.ts says what each holds). */
const STAMP = 16;
const STAMP_BYTES = 19;
const OUT = 48;

/** A message the reader may take lines of: its level, its bytes, and whether its consumer only counts them. */
export interface RunMessage {
  level: string;
  bytes: Buffer;
  takes: boolean;
}

export class ErrorLogRun {
  private readonly exports: Exports;
  /** The lines, and a view of OUT. */
  private readonly lines: CoreLines<Int32Array>;
  private stamp: Buffer | undefined;
  private messages: readonly RunMessage[] | undefined;

  constructor() {
    this.exports = coreInstance<Exports>('error-log');
    this.lines = new CoreLines(this.exports.memory, (bytes) => this.exports.reserve(bytes), (buffer) => new Int32Array(buffer, OUT, 1));
    this.exports.useEntries(0, 0);
  }

  /** Ready for another parser's lines. */
  reset(): void {
    this.lines.forget();
    this.useStamp(undefined);
    this.messages = undefined;
    this.exports.useEntries(0, 0);
  }

  /** The stamp (its 19 bytes) runs may read lines of, or none; set again only when it is another buffer. */
  useStamp(stamp: Buffer | undefined): void {
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    const have = stamp !== undefined && stamp.length === STAMP_BYTES;
    if (have) new Uint8Array(this.exports.memory.buffer, STAMP, STAMP_BYTES).set(stamp);
    this.exports.useStamp(have);
  }

  /** The messages (at most 16): loaded again when the list is a new one. */
  useMessages(messages: readonly RunMessage[]): void {
    if (messages === this.messages) return;
    this.messages = messages;
    const levels = messages.map((message) => Buffer.from(message.level, 'latin1'));
    const bytes = messages.reduce((sum, message, i) => sum + levels[i]!.length + message.bytes.length, 0);
    let at = this.exports.useEntries(messages.length, bytes);
    // After useEntries: the memory it grew is a new buffer.
    const memory = new Uint8Array(this.exports.memory.buffer);
    for (const [index, message] of messages.entries()) {
      memory.set(levels[index]!, at);
      memory.set(message.bytes, at + levels[index]!.length);
      this.exports.useEntry(index, at, levels[index]!.length, message.bytes.length, message.takes);
      at += levels[index]!.length + message.bytes.length;
    }
    // The lines go past the messages' bytes: where they were held is no longer theirs.
    this.lines.forget();
  }

  /** Reads the lines of `buf` from `at` (a line start) while the module takes them; returns where it stopped (taken: how many). */
  run(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.run(at + shift, end + shift, Math.min(limit, end) + shift, ascii) - shift;
  }

  get taken(): number {
    return this.lines.views[0]!;
  }
}

export const errorLogRuns = new CorePool(() => new ErrorLogRun());
