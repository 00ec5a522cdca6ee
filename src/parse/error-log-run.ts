/**
 * The compiled reader of an nginx error log's bulk (core/error-log.ts, WebAssembly): runs of lines
 * naming no request, in the second of the stamp read last, whose message is one the string way
 * classified lately. This module moves the lines, the stamp and the messages into its memory and
 * reads back what a run took.
 */
import { CoreLines, CorePool, coreInstance, toldRecords, type RecordReader, type ToldRecords } from './core-lines.js';
import type { RecordProgram } from './record-program.js';

interface Exports {
  memory: WebAssembly.Memory;
  useStamp(have: boolean): void;
  useEntries(count: number, bytes: number): number;
  useEntry(index: number, at: number, levelLength: number, messageLength: number, takes: boolean, program: number, connProgram: number): void;
  useSlot(length: number): void;
  reserve(bytes: number): number;
  run(start: number, end: number, limit: number, ascii: boolean): number;
  records(start: number, end: number, limit: number, ascii: boolean, lineNumber: number, fixed: number): number;
}

/** Offsets in the module's memory (core/error-log.ts says what each holds). */
const STAMP = 16;
const STAMP_BYTES = 19;
const OUT = 48;
const SLOT = 64 + 16 * 28;
const SLOT_BYTES = 32;

/**
 * A message the reader may take lines of: its level, its bytes, whether its consumer only counts
 * them, and (records) the programs writing its lines' records without and with a connection's number.
 */
export interface RunMessage {
  level: string;
  bytes: Buffer;
  takes: boolean;
  programs?: readonly [RecordProgram | undefined, RecordProgram | undefined];
}

export class ErrorLogRun implements RecordReader {
  private readonly exports: Exports;
  /** The lines, and a view of OUT. */
  private readonly lines: CoreLines<Int32Array>;
  private stamp: Buffer | undefined;
  private messages: readonly RunMessage[] | undefined;
  /** The most fixed bytes a record program of the messages writes. */
  private fixed = 0;

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

  /**
   * The stamp (its 19 bytes) runs may read lines of, or none; set again only when it is another
   * buffer. `slot`: the records' time of its lines (records), ASCII.
   */
  useStamp(stamp: Buffer | undefined, slot = ''): void {
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    const have = stamp !== undefined && stamp.length === STAMP_BYTES;
    if (have) new Uint8Array(this.exports.memory.buffer, STAMP, STAMP_BYTES).set(stamp);
    this.exports.useStamp(have);
    const length = slot.length <= SLOT_BYTES ? slot.length : 0;
    new Uint8Array(this.exports.memory.buffer, SLOT, length).set(Buffer.from(slot.slice(0, length), 'latin1'));
    this.exports.useSlot(length);
  }

  /** The messages (at most 16): loaded again when the list is a new one. */
  useMessages(messages: readonly RunMessage[]): void {
    if (messages === this.messages) return;
    this.messages = messages;
    const levels = messages.map((message) => Buffer.from(message.level, 'latin1'));
    const programs = messages.map((message) => message.programs ?? []);
    const programBytes = (k: number) => programs[k]!.reduce((sum, program) => sum + (program?.bytes.length ?? 0), 0);
    const bytes = messages.reduce((sum, message, k) => sum + levels[k]!.length + message.bytes.length + programBytes(k), 0);
    let at = this.exports.useEntries(messages.length, bytes);
    // After useEntries: the memory it grew is a new buffer.
    const memory = new Uint8Array(this.exports.memory.buffer);
    this.fixed = 0;
    for (const [index, message] of messages.entries()) {
      memory.set(levels[index]!, at);
      memory.set(message.bytes, at + levels[index]!.length);
      let programAt = at + levels[index]!.length + message.bytes.length;
      // Each program's offset, after the message; 0: none.
      const offsets = [0, 1].map((k) => {
        const program = programs[index]![k];
        if (program === undefined) return 0;
        memory.set(program.bytes, programAt);
        this.fixed = Math.max(this.fixed, program.fixedBytes);
        programAt += program.bytes.length;
        return programAt - program.bytes.length;
      });
      this.exports.useEntry(index, at, levels[index]!.length, message.bytes.length, message.takes, offsets[0]!, offsets[1]!);
      at = programAt;
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

  /**
   * Writes the records of the lines of `buf` from `at` the module reads as one of the messages with
   * a program for them, the first line numbered `lineNumber`; returns where it stopped (`told`).
   */
  records(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean, lineNumber: number): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.records(at + shift, end + shift, Math.min(limit, end) + shift, ascii, lineNumber, this.fixed) - shift;
  }

  get told(): ToldRecords {
    return toldRecords(this.exports.memory.buffer, OUT);
  }

  get taken(): number {
    return this.lines.views[0]!;
  }
}

export const errorLogRuns = new CorePool(() => new ErrorLogRun());
