/**
 * Property-based fuzzing of every parser from its own real example lines, mutated: inserted
 * hostile tokens (huge numbers, NaN, control characters, other formats' fragments), cut ranges,
 * digits replaced. Every parser must take every line without an exception, and every event must
 * carry only valid fields (a time from 1970 to 9999, ports 0..65535, statuses 100..999, no NaN).
 * The run count is bounded so the suite stays fast; the seed is fixed so a failure reproduces.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EXCERPT_MAX, type ConnectionEvent } from '../../src/model/event.js';
import { MAX_TIME_MS, MIN_TIME_MS } from '../../src/parse/field-ranges.js';
import { FALLBACK_FORMAT, FORMATS } from '../../src/parse/formats.js';
import type { FormatParser } from '../../src/parse/parser.js';
import { parseLines } from '../../src/parse/run-lines.js';

const RUNS_PER_FORMAT = 300;
const SEED = 20261203;

/** Tokens that broke parsers elsewhere: numbers out of every range, text where numbers go. */
const HOSTILE = [
  '1e308', '-1', '99999999999999999999', 'NaN', 'Infinity', '-0', '0x1F', '65536', '4294967296', '9999-12-31T23:59:60Z',
  '10000-01-01', '2026-02-30', '2026/13/01', '99:99:99', '+99:99', '\x1b[31m', '\x1b]0;x', '\u0000', '\r', '\uFFFD', '\uD800',
  '"', "'", '[', ']', '{', '}', '(', ')', ':', '/', '->', ' | ', '\t', '%', '\\', '<', '>', '&amp;', 'time="1e308"',
];

const mutation = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 8 })) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 20 }) }),
  fc.record({ op: fc.constant('digits' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom('99999', '0', '00', '1e308', '65536', '-5', '999999999999'), fc.bigInt({ min: 0n, max: 10n ** 20n }).map(String)) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(line: string, m: Mutation): string {
  const at = line.length === 0 ? 0 : m.at % (line.length + 1);
  if (m.op === 'insert') return line.slice(0, at) + m.text + line.slice(at);
  if (m.op === 'delete') return line.slice(0, at) + line.slice(at + m.length);
  // Replace the run of digits at or after `at` with another number.
  const digits = /\d+/g;
  digits.lastIndex = at;
  const found = digits.exec(line) ?? /\d+/.exec(line);
  return found ? line.slice(0, found.index) + m.text + line.slice(found.index + found[0].length) : line;
}

const INTEGER_RANGES = { port: [0, 65535], clientPort: [0, 65535], status: [100, 999], errno: [-65535, 65535], pid: [0, 2 ** 31 - 1], utcOffset: [-840, 840] } as const;

/** Why an event is invalid, or undefined. */
function invalidField(event: ConnectionEvent, lineCount: number): string | undefined {
  if (event.time !== null && !(Number.isFinite(event.time) && event.time >= MIN_TIME_MS && event.time <= MAX_TIME_MS)) return `time ${event.time}`;
  for (const [field, [min, max]] of Object.entries(INTEGER_RANGES)) {
    const value = event[field as keyof typeof INTEGER_RANGES];
    if (value !== undefined && !(Number.isInteger(value) && value >= min && value <= max)) return `${field} ${value}`;
  }
  if (!(Number.isInteger(event.line) && event.line >= 1 && event.line <= lineCount)) return `line ${event.line}`;
  if (event.excerpt.length > EXCERPT_MAX) return `excerpt of ${event.excerpt.length} characters`;
  if (/NaN|Infinity/.test(JSON.stringify(event, (_k, v: unknown) => (typeof v === 'number' ? String(v) : v)).replace(/"[^"]*":"(?:[^"\\]|\\.)*"/g, ''))) return 'a NaN or Infinity';
  return undefined;
}

describe('fuzzing every parser with its own example lines, mutated', () => {
  const formats: FormatParser[] = [...FORMATS, ...(FALLBACK_FORMAT ? [FALLBACK_FORMAT] : [])];
  // `dropped`: fields a parser read out of range, caught by the edge check (field-ranges.ts) and reported.
  const totals = { runs: 0, events: 0, exceptions: 0, invalid: 0, dropped: 0 };
  for (const format of formats) {
    it(`${format.title}: no exception, every field valid or absent`, () => {
      const examples = format.examples.map((e) => e.lines);
      fc.assert(
        fc.property(fc.nat(examples.length - 1), fc.nat(), fc.array(mutation, { minLength: 1, maxLength: 4 }), (e, l, mutations) => {
          const lines = [...examples[e]!];
          const i = l % lines.length;
          lines[i] = mutations.reduce(mutate, lines[i]!);
          totals.runs++;
          let events: ConnectionEvent[];
          try {
            const parsed = parseLines(format, lines);
            events = parsed.events;
            totals.dropped += parsed.problems.filter((p) => p.message.startsWith('out of range, field dropped')).length;
          } catch (error) {
            totals.exceptions++;
            throw error;
          }
          totals.events += events.length;
          for (const event of events) {
            const why = invalidField(event, lines.length);
            if (why) totals.invalid++;
            assert.equal(why, undefined, `${JSON.stringify(lines[i])} gave ${why}`);
          }
        }),
        { numRuns: RUNS_PER_FORMAT, seed: SEED },
      );
    });
  }
  it('ran them all', (t) => {
    t.diagnostic(`fuzz: ${formats.length} parsers, ${totals.runs} runs, ${totals.events} events, ${totals.exceptions} exceptions, ${totals.invalid} invalid fields (${totals.dropped} out-of-range fields dropped at the edge)`);
    assert.equal(totals.runs, formats.length * RUNS_PER_FORMAT);
    assert.equal(totals.exceptions + totals.invalid, 0);
  });
});
