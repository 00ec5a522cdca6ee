/**
 * One long token in a line (a logged base64 body, a JWT) once cost seconds to hours in our own
 * patterns, which backtracked quadratically. Each case is a real example line of its format with a
 * 512 KiB token put where a pattern scanned from: quadratic, each took minutes; linear, it takes
 * milliseconds. The bound is the test's generous timeout; `npm run bench:adversarial` measures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS, FALLBACK_FORMAT } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';

const TOKEN_BYTES = 512 * 1024;
const token = (unit: string) => unit.repeat(Math.ceil(TOKEN_BYTES / unit.length));

/** [format source, the example line's index among that format's lines, the token's unit, where it goes]. */
const CASES: ReadonlyArray<readonly [string, string, (line: string, t: string) => string]> = [
  ['client', 'a.', (line, t) => `${line} ${t}`], // the node-id pattern, on a run of path characters
  ['client', 'eyJhbGciOiJIUzI1NiJ9.', (line, t) => `${line} ${t}`], // the quoted-exception pattern, on a JWT
  ['haproxy', ':', (line, t) => t + line], // the client address, on a run of colons
  ['haproxy', '/', (line, t) => line.replace(' [', ` [${t}`)],
  ['go', '1:1-', (line, t) => `${t} ${line}`], // the address pair, on a long token
  ['other', 'a', (line, t) => `${line.slice(0, 5)}${t}:1->`],
  ['junit', 'a', (line, t) => line.replace('<testcase ', `<testcase ${t} `)], // attribute names
  ['junit', '<error ', (line, t) => t + line], // tags never closed
  ['pytest', 'a.py::', (line, t) => t + line], // the progress line's node id
  ['go', 'lookup ', (line, t) => `${line} ${t}`], // a failure text repeating its first words
  ['go', 'dial tcp ', (line, t) => `${line} ${t}`],
];

describe('a long token costs linear time in every pattern that once backtracked', () => {
  const formats = [...FORMATS, FALLBACK_FORMAT!];
  for (const [source, unit, place] of CASES) {
    it(`${source}: ${JSON.stringify(unit)} × ${TOKEN_BYTES / 1024} KiB`, { timeout: 20_000 }, () => {
      const format = formats.find((f) => f.source === source)!;
      const example = format.examples.find((e) => e.expect !== null)!;
      const lines = [place(example.lines[0]!, token(unit)), ...example.lines.slice(1)];
      const { events } = parseLines(format, lines);
      // One line gives at most one event, however long.
      assert.ok(events.length <= lines.length, `${events.length} events from ${lines.length} lines`);
    });
  }
});
