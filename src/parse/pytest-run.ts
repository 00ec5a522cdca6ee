/**
 * The compiled reader of a pytest console's bulk (core/pytest.ts, WebAssembly): runs of the lines
 * PytestParser.bytes passes over, behind their CI prefixes. This module moves the lines into its
 * memory and reads back how many a run took.
 */
import { CoreLines, CorePool, coreInstance } from './core-lines.js';

interface Exports {
  memory: WebAssembly.Memory;
  reserve(bytes: number): number;
  run(start: number, end: number, limit: number, ascii: boolean, mode: number): number;
}

/** Offsets in the module's memory (core/pytest.ts says what each holds). */
const OUT = 16;

/** Where the parser stands, which says what a run passes over (core/pytest.ts). */
export const PYTEST_MODE = { outside: 1, captured: 2, traceback: 3 } as const;
export type PytestMode = (typeof PYTEST_MODE)[keyof typeof PYTEST_MODE];

export class PytestRun {
  private readonly exports: Exports;
  /** The lines, and a view of OUT. */
  private readonly lines: CoreLines<Int32Array>;

  constructor() {
    this.exports = coreInstance<Exports>('pytest');
    this.lines = new CoreLines(this.exports.memory, (bytes) => this.exports.reserve(bytes), (buffer) => new Int32Array(buffer, OUT, 2));
  }

  /** Ready for another parser's lines. */
  reset(): void {
    this.lines.forget();
  }

  /** Reads the lines of `buf` from `at` (a line start) while the module takes them; returns where it stopped (taken: how many). */
  run(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean, mode: PytestMode): number {
    this.lines.hold(buf, block, at, end);
    const shift = this.lines.shift;
    return this.exports.run(at + shift, end + shift, Math.min(limit, end) + shift, ascii, mode) - shift;
  }

  get taken(): number {
    return this.lines.views[0]!;
  }

  /** How many of the lines taken were a traceback's locations (line() counts them). */
  get locations(): number {
    return this.lines.views[1]!;
  }
}

export const pytestRuns = new CorePool(() => new PytestRun());
