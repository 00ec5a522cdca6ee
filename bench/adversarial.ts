#!/usr/bin/env node
/**
 * Adversarial lines against every parser: each format's real example lines with one long token
 * (a logged base64 body, a JWT, a run of digits, of spaces…) put at its start, after its first
 * fields, in its middle and at its end. A linear parser reads a 1 MiB line in milliseconds; a
 * backtracking pattern takes seconds to hours. Reports the slowest line per parser.
 *
 *   npm run bench:adversarial [-- --bytes 1048576] [--budget-ms 5000] [--only haproxy]
 *
 * Exit 1 when a line exceeds the budget: the time budget lives here, measured, not in a unit test.
 */
import { performance } from 'node:perf_hooks';
import { FALLBACK_FORMAT, FORMATS } from '../src/parse/formats.js';
import type { FormatParser } from '../src/parse/parser.js';
import { parseLines } from '../src/parse/run-lines.js';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : process.argv[at + 1]!;
}

const BYTES = Number(option('bytes', String(2 ** 20)));
const BUDGET_MS = Number(option('budget-ms', '5000'));
const ONLY = option('only', '');

/** One repeated unit per character class the patterns use (and words some start with): a token is this unit repeated. */
const UNITS: Record<string, string> = {
  letters: 'a',
  digits: '7',
  base64: 'QmFzZTY0IGJvZHkgb2YgYSByZXF1ZXN0Lw+/=',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.',
  spaces: ' ',
  tabs: '\t',
  colons: ':',
  dots: '.',
  slashes: '/',
  dashes: '-',
  equals: 'a=',
  brackets: '[',
  parens: '(',
  quotes: '"',
  hex: 'f0',
  words: 'reset ',
  ip: '10.0.0.1:',
  errno: '(104: ',
  // The first words of patterns of the shape "words … more words": each occurrence starts a scan.
  lookup: 'lookup ',
  dial: 'dial tcp ',
  tags: '<error ',
  attributes: 'x="',
  nodeIds: 'a.py::',
  dotted: 'a.B',
  arrows: '1:1->',
};

/** Where in a line the token goes: before it, after its first fields, in its middle, after it. */
function cuts(line: string): number[] {
  const spaces = [...line.matchAll(/ /g)].map((m) => m.index);
  return [...new Set([0, spaces[1] ?? 0, spaces[Math.floor(spaces.length / 2)] ?? 0, line.length])];
}

interface Worst {
  ms: number;
  what: string;
}

function measure(format: FormatParser): { lines: number; totalMs: number; worst: Worst } {
  let lines = 0;
  let totalMs = 0;
  const worst: Worst = { ms: 0, what: '' };
  for (const [e, example] of format.examples.entries()) {
    for (const [i, line] of example.lines.entries()) {
      for (const cut of cuts(line)) {
        for (const [name, unit] of Object.entries(UNITS)) {
          const token = unit.repeat(Math.ceil(BYTES / unit.length)).slice(0, BYTES);
          const lines_ = example.lines.map((l, j) => (j === i ? line.slice(0, cut) + token + line.slice(cut) : l));
          const start = performance.now();
          parseLines(format, lines_);
          const ms = performance.now() - start;
          lines++;
          totalMs += ms;
          if (ms > worst.ms) Object.assign(worst, { ms, what: `example ${e} line ${i}, ${name} at ${cut}` });
          if (ms > BUDGET_MS) process.stdout.write(`  over budget: ${format.source} example ${e} line ${i}, ${name} token at ${cut}: ${ms.toFixed(0)} ms\n`);
        }
      }
    }
  }
  return { lines, totalMs, worst };
}

const formats = [...FORMATS, ...(FALLBACK_FORMAT ? [FALLBACK_FORMAT] : [])].filter((f) => ONLY === '' || f.source === ONLY || f.title.includes(ONLY));
process.stdout.write(`Adversarial lines of ${BYTES} bytes, budget ${BUDGET_MS} ms per line\n\n`);
process.stdout.write(`${'parser'.padEnd(34)} ${'lines'.padStart(6)} ${'total s'.padStart(8)} ${'worst ms'.padStart(9)}  worst line\n`);
let over = 0;
for (const format of formats) {
  const { lines, totalMs, worst } = measure(format);
  if (worst.ms > BUDGET_MS) over++;
  process.stdout.write(`${format.title.slice(0, 34).padEnd(34)} ${String(lines).padStart(6)} ${(totalMs / 1000).toFixed(1).padStart(8)} ${worst.ms.toFixed(0).padStart(9)}  ${worst.what}\n`);
}
process.stdout.write(over === 0 ? '\nEvery parser within budget.\n' : `\n${over} parser(s) over budget.\n`);
process.exitCode = over === 0 ? 0 : 1;
