import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coreInstance } from '../../src/parse/core-lines.js';

const PAGE = 65536;

/** What the test needs of a compiled reader: its memory, room for lines (where they go), and a run from the first line. */
interface Reader {
  memory: WebAssembly.Memory;
  place(bytes: number): number;
  run(start: number, end: number): number;
  /** The reader takes the test's line (a pytest progress line naming no failure): its run ends past it. */
  takes?: boolean;
}

const readers: Record<string, () => Reader> = {
  'python-log': () => {
    const core = coreInstance<{ memory: WebAssembly.Memory; INPUT: WebAssembly.Global; reserve(bytes: number): void; run(...args: (number | boolean)[]): number }>('python-log');
    return {
      memory: core.memory,
      place: (bytes) => (core.reserve(bytes), core.INPUT.value as number),
      run: (start, end) => core.run(start, end, end, false, true, 0, true, 0),
    };
  },
  'access-log': () => {
    const core = coreInstance<{ memory: WebAssembly.Memory; usePaths(count: number, bytes: number): number; reserve(bytes: number): number; run(...args: (number | boolean)[]): number }>('access-log');
    core.usePaths(0, 0);
    return { memory: core.memory, place: (bytes) => core.reserve(bytes), run: (start, end) => core.run(start, end, end, true, true) };
  },
  'error-log': () => {
    const core = coreInstance<{ memory: WebAssembly.Memory; useEntries(count: number, bytes: number): number; reserve(bytes: number): number; run(...args: (number | boolean)[]): number }>('error-log');
    core.useEntries(0, 0);
    return { memory: core.memory, place: (bytes) => core.reserve(bytes), run: (start, end) => core.run(start, end, end, true) };
  },
  // Between sections (mode 1), where a line's first space is searched for too.
  pytest: () => {
    const core = coreInstance<{ memory: WebAssembly.Memory; reserve(bytes: number): number; run(...args: (number | boolean)[]): number }>('pytest');
    return { memory: core.memory, place: (bytes) => core.reserve(bytes), run: (start, end) => core.run(start, end, end, true, 1), takes: true };
  },
};

/**
 * The readers find line ends sixteen bytes at a time, so they read up to 15 bytes past a line:
 * their memory must hold that much past the lines, or a run over lines that end where a page of it
 * ends traps (RuntimeError: memory access out of bounds).
 */
describe("a compiled reader's scans stay within its memory", () => {
  for (const [name, make] of Object.entries(readers)) {
    it(`${name}: a line ending on the last byte of a page, from any alignment`, () => {
      for (let skip = 0; skip < 16; skip++) {
        const reader = make();
        const at = reader.place(0);
        const bytes = PAGE * Math.ceil((at + 1) / PAGE) - at;
        assert.equal(reader.place(bytes), at);
        // One line from `skip` on (declined after its scan for the line end, or taken after a scan for a space).
        new Uint8Array(reader.memory.buffer, at, bytes).fill(0x78)[bytes - 1] = 10;
        assert.equal(reader.run(at + skip, at + bytes), reader.takes ? at + bytes : at + skip);
      }
    });
  }
});
