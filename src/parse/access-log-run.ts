/**
 * The compiled reader of an access log's bulk (core/access-log.ts, WebAssembly): runs of request
 * lines in the second of the stamp read last. This module moves the lines, the stamp and the
 * failed paths into its memory and reads back what a run took.
 */
import { CoreLines, CorePool, coreInstance, toldRecords, type RecordReader, type ToldRecords } from './core-lines.js';
import type { QuietSpan } from './parser.js';
import type { RecordProgram } from './record-program.js';

interface Exports {
  memory: WebAssembly.Memory;
  useStamp(length: number, instant: number): void;
  usePaths(count: number, bytes: number): number;
  useKey(index: number, at: number, length: number): void;
  reserve(bytes: number): number;
  begin(changed: boolean): void;
  useFlag(entry: number, takes: boolean, quietFrom: number, quietTo: number): void;
  run(start: number, end: number, limit: number, requests: boolean, ascii: boolean): number;
  records(start: number, end: number, limit: number, ascii: boolean, lineNumber: number, fixed: number): number;
}

/** Offsets in the module's memory (core/access-log.ts says what each holds). */
const STAMP = 16;
const MAX_STAMP = 96;
const OUT = 128;
const RECORDS_OUT = OUT + 16;
const PRESENT = 256;
const MAX_PRESENT = 1024;
const PROGRAM = PRESENT + MAX_PRESENT * 4;
const MAX_PROGRAM = 8192;

export class AccessLogRun implements RecordReader {
  private readonly exports: Exports;
  /** The lines, and views of all the memory as words and of PRESENT. */
  private readonly lines: CoreLines<{ words: Int32Array; present: Int32Array }>;
  private stamp: Buffer | undefined;
  private paths: readonly string[] | undefined;
  private joins = NaN;
  /** The record program in memory (useProgram). */
  private program: RecordProgram | undefined;

  constructor() {
    this.exports = coreInstance<Exports>('access-log');
    this.lines = new CoreLines(this.exports.memory, (bytes) => this.exports.reserve(bytes), (buffer) => ({ words: new Int32Array(buffer), present: new Int32Array(buffer, PRESENT, MAX_PRESENT) }));
    this.exports.usePaths(0, 0);
  }

  /** Ready for another parser's lines: its stamps, and its failed paths (the spans asked are of its source). */
  reset(): void {
    this.lines.forget();
    this.useStamp(undefined, 0);
    this.paths = undefined;
    this.joins = NaN;
    this.program = undefined;
  }

  /** Whether runs read lines of this stamp (useStamp). */
  uses(stamp: Buffer | undefined): boolean {
    return stamp === this.stamp;
  }

  /** The stamp runs may read lines of (its bytes as they stand between the brackets) and its instant, or none. */
  useStamp(stamp: Buffer | undefined, instant: number): void {
    this.stamp = stamp;
    if (stamp === undefined || stamp.length === 0 || stamp.length > MAX_STAMP) return this.exports.useStamp(0, 0);
    new Uint8Array(this.exports.memory.buffer, STAMP, stamp.length).set(stamp);
    this.exports.useStamp(stamp.length, instant);
  }

  /** The failed paths (path keys): loaded again when the list is a new one. */
  usePaths(paths: readonly string[]): void {
    if (paths === this.paths) return;
    this.paths = paths;
    const keys = paths.map((path) => Buffer.from(path, 'utf8'));
    const base = this.exports.usePaths(keys.length, keys.reduce((sum, key) => sum + key.length, 0));
    for (const [index, key] of keys.entries()) {
      new Uint8Array(this.exports.memory.buffer, base, key.length).set(key);
      this.exports.useKey(index, base, key.length);
    }
    this.lines.forget();
  }

  /** A new call of runs; `joins` (RunSink.joins): when it changed, what was asked of the failed paths no longer holds. */
  begin(joins: number): void {
    this.exports.begin(joins !== this.joins);
    this.joins = joins;
  }

  /** Reads the lines of `buf` from `at` (a line start) while the module takes them; returns where it stopped. */
  run(buf: Buffer, block: number, at: number, end: number, limit: number, requests: boolean, ascii: boolean): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.run(at + shift, end + shift, Math.min(limit, end) + shift, requests, ascii) - shift;
  }

  /** Whether `records` can write by this program (it fits in the module's room for one). */
  static fits(program: RecordProgram): boolean {
    return program.bytes.length <= MAX_PROGRAM;
  }

  /** The program `records` writes by (one that `fits`): loaded when it is another. */
  useProgram(program: RecordProgram): void {
    if (program === this.program) return;
    this.program = program;
    new Uint8Array(this.exports.memory.buffer, PROGRAM, program.bytes.length).set(program.bytes);
  }

  /** Writes the records of the lines of `buf` from `at` the module takes (useProgram's), the first numbered `lineNumber`; returns where it stopped. */
  records(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean, lineNumber: number): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.records(at + shift, end + shift, Math.min(limit, end) + shift, ascii, lineNumber, this.program!.fixedBytes) - shift;
  }

  get told(): ToldRecords {
    return toldRecords(this.exports.memory.buffer, RECORDS_OUT);
  }

  get taken(): number {
    return this.lines.views.words[OUT / 4]!;
  }
  /** The failed path (its number in the list) the run stopped to ask about: whether its requests are taken at this stamp. -1: none. */
  get asked(): number {
    return this.lines.views.words[OUT / 4 + 1]!;
  }
  /** The answer to `asked`, and the instants between which the path's requests are all taken (RunSink.takesFailed). */
  answer(takes: boolean, quiet: QuietSpan): void {
    this.exports.useFlag(this.lines.views.words[OUT / 4 + 3]!, takes, quiet.from, quiet.to);
  }
  /** The failed paths (their numbers) whose requests the runs of this call took, in the order first taken: the first presentCount. */
  get present(): Int32Array {
    return this.lines.views.present;
  }
  get presentCount(): number {
    return this.lines.views.words[OUT / 4 + 2]!;
  }
}

export const accessLogRuns = new CorePool(() => new AccessLogRun());
