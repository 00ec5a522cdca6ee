/**
 * The compiled reader of a DEBUG client log's bulk (core/python-log.ts, WebAssembly): runs of
 * urllib3's request lines and connections opened (a 431 MB client log parsed in 1.40 s against
 * 2.30 s in JavaScript). This module moves the lines into its memory and reads back what a run took.
 */
import { CoreLines, CorePool, coreInstance, toldRecords, type ToldRecords } from './core-lines.js';
import type { RecordProgram } from './record-program.js';

interface Exports {
  memory: WebAssembly.Memory;
  INPUT: WebAssembly.Global;
  PROGRAM_TEXTS: WebAssembly.Global;
  reserve(bytes: number): void;
  useSecond(ms: number, have: boolean): void;
  useRecords(slotLength: number, fixed: number): void;
  run(start: number, end: number, limit: number, callerRecord: boolean, requests: boolean, levels: number, ascii: boolean, no: number, records: boolean): number;
}

/** Offsets in the module's memory (core/python-log.ts says what each holds). */
const SECOND = 16;
const OUT = 64;
const PENDING = 128;
const SECONDS = 256;
const MAX_SECONDS = 256;
const AUTHS = SECONDS + MAX_SECONDS * 8;
const AUTH_BYTES = 64;
const SLOT = AUTHS + 8 * AUTH_BYTES;
const SLOT_BYTES = 32;
const PROGRAMS = SLOT + SLOT_BYTES + 64;
const RECORDS_OUT = PROGRAMS + 64;
/** Record programs, by kind (a connection opened, a request) and level (levelIn's number, 0 to 7). */
export const RECORD_PROGRAMS = 16;

/**
 * Where a header line's parts are, `start` to `end`: a completed request (`http://host:port "GET /x
 * HTTP/1.1" 200 17`) or a connection opened (`Starting new HTTP connection (1): host:port`), with its
 * `host:port` from authStart to authEnd.
 */
export interface HeaderParts {
  start: number;
  end: number;
  request: boolean;
  authStart: number;
  authEnd: number;
  pathStart: number;
  pathEnd: number;
  status: number;
}

/** The record a run read last, which the next line may continue (a traceback): its caller takes it over. */
export interface HeldRecord extends HeaderParts {
  /** 1 DEBUG … 7 FATAL as levelIn names them; 0: none. */
  level: number;
  no: number;
  time: number;
}

/** A pool's last request (or its last connection opened) in a run, at offsets of the caller's buffer. */
export interface PoolLine {
  start: number;
  end: number;
  authStart: number;
  authEnd: number;
  no: number;
  time: number;
}

export interface RunPolicy {
  /** The caller's parser holds a record (which a header taken ends: flushCaller). */
  callerRecord: boolean;
  requests: boolean;
  /** Bit n: connections opened at level n are taken. */
  levels: number;
  /** Write the records of the records ended in the run (useRecords' programs). */
  records: boolean;
}

// A pool's entry, in 32-bit words (AUTH_BYTES each from AUTHS), as core/python-log.ts writes it.
const A_REQ = 2;
const A_REQ_LINE = 3;
const A_OPEN = 8;
const A_OPEN_LINE = 9;
const A_TIMES = 12;

export class PythonLogRun {
  private readonly exports: Exports;
  /** The lines, and views of all the memory as words and doubles, and of SECONDS. */
  private readonly lines: CoreLines<{ words: Int32Array; doubles: Float64Array; seconds: Float64Array }>;
  private second = '';
  /** The programs in memory (useRecords), and the slot's text. */
  private programs: readonly (RecordProgram | undefined)[] | undefined;
  private slot = '';
  /** The most fixed bytes a loaded program writes. */
  private fixed = 0;
  /** The last run's record left held (heldRecord() fills it). */
  private readonly held: HeldRecord = { start: 0, end: 0, request: false, authStart: 0, authEnd: 0, pathStart: 0, pathEnd: 0, status: 0, level: 0, no: 0, time: 0 };

  constructor() {
    this.exports = coreInstance<Exports>('python-log');
    const input = this.exports.INPUT.value as number;
    this.lines = new CoreLines(
      this.exports.memory,
      (bytes) => {
        this.exports.reserve(bytes);
        return input;
      },
      (buffer) => ({ words: new Int32Array(buffer), doubles: new Float64Array(buffer), seconds: new Float64Array(buffer, SECONDS, MAX_SECONDS) }),
    );
  }

  /** Ready for another parser's lines. */
  reset(): void {
    this.lines.forget();
    this.programs = undefined;
    this.slot = '';
  }

  /**
   * The record programs (RECORD_PROGRAMS: a connection opened at levels 0 to 7, then a request) and
   * the slot's text (the second's ISO time up to its milliseconds), loaded again when either is a
   * new one. Programs beyond the room for them are left out: their records go the usual way.
   */
  useRecords(programs: readonly (RecordProgram | undefined)[], slot: string): void {
    if (programs === this.programs && slot === this.slot) return;
    const memory = new Uint8Array(this.exports.memory.buffer);
    const words = new Int32Array(this.exports.memory.buffer);
    if (programs !== this.programs) {
      this.programs = programs;
      let at = this.exports.PROGRAM_TEXTS.value as number;
      const room = this.exports.INPUT.value as number;
      let fixed = 0;
      for (let k = 0; k < RECORD_PROGRAMS; k++) {
        const program = programs[k];
        const fits = program !== undefined && at + program.bytes.length <= room;
        words[PROGRAMS / 4 + k] = fits ? at : 0;
        if (!fits) continue;
        memory.set(program.bytes, at);
        at += program.bytes.length;
        fixed = Math.max(fixed, program.fixedBytes);
      }
      this.fixed = fixed;
    }
    this.slot = slot;
    const length = slot.length <= SLOT_BYTES ? slot.length : 0;
    for (let i = 0; i < length; i++) memory[SLOT + i] = slot.charCodeAt(i);
    this.exports.useRecords(length, this.fixed);
  }

  /** The second a run may read lines of: `second` (19 bytes) at `ms`, or none (undefined). */
  useSecond(second: string | undefined, ms: number | undefined): void {
    if (second === undefined || ms === undefined) {
      this.exports.useSecond(0, false);
      this.second = '';
      return;
    }
    if (second === this.second) return;
    this.second = second;
    const bytes = new Uint8Array(this.exports.memory.buffer, SECOND, 19);
    for (let i = 0; i < 19; i++) bytes[i] = second.charCodeAt(i);
    this.exports.useSecond(ms, true);
  }

  /** Reads the lines of `buf` from `at` (a line start) while the module takes them; returns where it stopped. */
  run(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean, no: number, policy: RunPolicy): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.run(at + shift, end + shift, Math.min(limit, end) + shift, policy.callerRecord, policy.requests, policy.levels, ascii, no, policy.records) - shift;
  }

  /** The records the last run wrote (policy.records). */
  get told(): ToldRecords {
    return toldRecords(this.exports.memory.buffer, RECORDS_OUT);
  }

  // What the last run did.
  get taken(): number {
    return this.lines.views.words[OUT / 4]!;
  }
  /** The caller's record ended in the run: the caller ends it before it takes in the run's effects. */
  get flushCaller(): boolean {
    return this.lines.views.words[OUT / 4 + 1] === 1;
  }
  /** The record the last run left held, for the caller to take over (an object reused run after run); undefined for none. */
  heldRecord(): Readonly<HeldRecord> | undefined {
    if (this.lines.views.words[OUT / 4 + 2] !== 1) return undefined;
    const w = this.lines.views.words;
    const at = PENDING / 4;
    const held = this.held;
    held.start = w[at]! - this.lines.shift;
    held.end = w[at + 1]! - this.lines.shift;
    held.request = w[at + 2] === 1;
    held.authStart = w[at + 3]! - this.lines.shift;
    held.authEnd = w[at + 4]! - this.lines.shift;
    held.pathStart = w[at + 5]! - this.lines.shift;
    held.pathEnd = w[at + 6]! - this.lines.shift;
    held.status = w[at + 7]!;
    held.level = w[at + 8]!;
    held.no = w[at + 9]!;
    held.time = this.lines.views.doubles[(PENDING + 48) / 8]!;
    return held;
  }
  /** The seconds the run's records fell in (Math.floor(time / 1000)), in order, a new one at each change: the first secondCount. */
  get seconds(): Float64Array {
    return this.lines.views.seconds;
  }
  get secondCount(): number {
    return this.lines.views.words[OUT / 4 + 3]!;
  }
  get latest(): number {
    return this.lines.views.doubles[(OUT + 32) / 8]!;
  }
  /** How many pools the run's records named, in the order first named. */
  get pools(): number {
    return this.lines.views.words[OUT / 4 + 4]!;
  }
  /** Pool i's last request into `into`: false when the run read none. */
  request(i: number, into: PoolLine): boolean {
    return this.poolLine(i, A_REQ, A_REQ_LINE, 0, into);
  }
  /** Pool i's last connection opened into `into` (start and end unset): false when the run read none. */
  opened(i: number, into: PoolLine): boolean {
    return this.poolLine(i, A_OPEN, A_OPEN_LINE - 2, 1, into);
  }
  /** Whether pool i's last line opened a connection after its last request. */
  openedLast(i: number): boolean {
    const req = this.lines.views.words[(AUTHS + i * AUTH_BYTES) / 4 + A_REQ];
    return req === 2 || (req === 0 && this.lines.views.words[(AUTHS + i * AUTH_BYTES) / 4 + A_OPEN] === 1);
  }

  private poolLine(i: number, flag: number, line: number, time: number, into: PoolLine): boolean {
    const w = this.lines.views.words;
    const at = (AUTHS + i * AUTH_BYTES) / 4;
    if (w[at + flag] === 0) return false;
    if (flag === A_REQ) {
      into.start = w[at + line]! - this.lines.shift;
      into.end = w[at + line + 1]! - this.lines.shift;
    }
    into.authStart = w[at + line + 2]! - this.lines.shift;
    into.authEnd = w[at + line + 3]! - this.lines.shift;
    into.no = w[at + line + 4]!;
    into.time = this.lines.views.doubles[(AUTHS + i * AUTH_BYTES) / 8 + A_TIMES / 2 + time]!;
    return true;
  }
}

export const pythonLogRuns = new CorePool(() => new PythonLogRun());
