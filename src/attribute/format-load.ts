/**
 * `--formats DIR`: log formats declared in JSON, loaded as rules are (load.ts): each file is checked
 * against formats/format.schema.json, then for what the schema cannot say (kinds and sides from the
 * event model, regexes that compile and cannot hang a run, groups the kinds table names), and last,
 * as lnav checks its formats, each sample line is parsed and must give the fields it declares. Any
 * problem stops the run with the file, the JSON pointer and what differed.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionEvent, Side, Source } from '../model/event.js';
import { COMPOSITE_FIELDS, compileDeclaredFormat, NUMBER_FIELDS, TEXT_FIELDS, type DeclaredFormat } from '../parse/declared-format.js';
import { BUILT_IN_SIDES } from '../parse/formats.js';
import { layoutProblem } from '../parse/declared-time.js';
import { parseLines } from '../parse/run-lines.js';
import { unwrapCiPrefix } from '../read/ci-prefix.js';
import { cleanLine } from '../read/clean.js';
import { didYouMean } from './did-you-mean.js';
import { readValidDocument, regexProblem, RuleLoadError, ruleFilesIn, type RuleProblem } from './load.js';
import { EVENT_KINDS, EVENT_SOURCES } from './vocabulary.js';

/** Malformed formats stop the run: the CLI prints every problem and exits 2. */
export class FormatLoadError extends RuleLoadError {}

/** Group names that set event fields; any other name is free for the kinds table. */
const FIELD_GROUPS: readonly string[] = ['time', ...TEXT_FIELDS, ...NUMBER_FIELDS, ...COMPOSITE_FIELDS];

/** The side a built-in source speaks for, or undefined for a name no built-in format gives. */
function knownSide(source: string): Side | undefined {
  const name = source as Source;
  if (BUILT_IN_SIDES.isFarSide(name)) return BUILT_IN_SIDES.sideOf(name);
  return EVENT_SOURCES.includes(name) || BUILT_IN_SIDES.declared.includes(name) ? 'client' : undefined;
}

/** The names a line gives: its regex's named groups, or its JSON keys. */
function lineNames(format: DeclaredFormat): string[] {
  if (format.line.json) return Object.keys(format.line.json);
  return [...format.line.regex.matchAll(/\(\?<([A-Za-z][A-Za-z0-9_]*)>/g)].map((m) => m[1]!);
}

/** Every regex of a format with its JSON pointer. */
function* regexesOf(format: DeclaredFormat): Generator<[string, string, string | undefined]> {
  yield ['/detect/regex', format.detect.regex, format.detect.flags];
  if (format.detect.fileName !== undefined) yield ['/detect/fileName', format.detect.fileName, 'i'];
  if (format.line.regex !== undefined) yield ['/line/regex', format.line.regex, undefined];
  for (const [i, entry] of format.kinds.entries()) {
    for (const [name, want] of Object.entries(entry.when ?? {})) {
      if (!Array.isArray(want)) yield [`/kinds/${i}/when/${name}/regex`, want.regex, want.flags];
    }
  }
}

/** What the schema cannot check: names from the event model, sides, regexes, the time layout. */
function semanticProblems(format: DeclaredFormat, file: string, sides: Map<string, [Side, string]>): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const at = (pointer: string, message: string) => problems.push({ file, pointer, message });
  const id = path.basename(file, '.json');
  if (format.id !== id) at('/id', `"${format.id}" must be the file's name without .json ("${id}")`);
  const side = sides.get(format.source)?.[0] ?? knownSide(format.source);
  if (side !== undefined && side !== format.side) at('/side', `source "${format.source}" speaks for the ${side} side (${sides.get(format.source)?.[1] ?? 'built in'}), not the ${format.side}`);
  const kinds: readonly string[] = [...EVENT_KINDS, 'from-status'];
  for (const [i, entry] of format.kinds.entries()) {
    if (!kinds.includes(entry.kind)) at(`/kinds/${i}/kind`, `unknown event kind "${entry.kind}"${didYouMean(entry.kind, kinds)}`);
  }
  for (const [pointer, regex, flags] of regexesOf(format)) {
    // A format's patterns run on every line of a file: checked as for text of any length.
    const problem = regexProblem(regex, flags, { boundedInput: false });
    if (problem) at(pointer, problem);
  }
  if (problems.length > 0) return problems; // the names below come from regexes that compile
  const names = lineNames(format);
  for (const [i, entry] of format.kinds.entries()) {
    for (const name of Object.keys(entry.when ?? {})) {
      if (!names.includes(name)) at(`/kinds/${i}/when/${name}`, `the line gives no field "${name}"${didYouMean(name, names)}; it gives: ${names.join(', ')}`);
    }
  }
  if (names.includes('time') && !format.time) at('/time', 'the line gives a time field: "time": { "layout": … } must say how to read it');
  const layout = format.time && layoutProblem(format.time.layout);
  if (layout) at('/time/layout', layout);
  const unused = names.filter((name) => !FIELD_GROUPS.includes(name) && !format.kinds.some((entry) => entry.when?.[name] !== undefined));
  if (unused.length > 0) at(format.line.json ? '/line/json' : '/line/regex', `${unused.map((n) => `"${n}"`).join(', ')}: neither an event field (${FIELD_GROUPS.join(', ')}) nor named by the kinds table${didYouMean(unused[0]!, FIELD_GROUPS)}`);
  return problems;
}

/** The value as the example states it: a time as epoch ms. */
function expected(key: string, value: unknown): unknown {
  return key === 'time' && typeof value === 'string' ? Date.parse(value) : value;
}

/** Parses each sample line and compares its event with what the sample declares, as lnav does at load. */
function sampleProblems(format: DeclaredFormat, file: string): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const parser = compileDeclaredFormat(format);
  const detect = new RegExp(format.detect.regex, format.detect.flags);
  const lineRegex = format.line.regex !== undefined ? new RegExp(format.line.regex) : undefined;
  for (const [i, example] of format.examples.entries()) {
    const at = `/examples/${i}`;
    const { events } = parseLines(parser, [example.line]);
    const event = events[0];
    if (example.expect !== null && !detect.test(example.line)) {
      problems.push({ file, pointer: `${at}/line`, message: `does not match /detect/regex: a file of such lines would not be read as this format` });
    }
    if (example.expect === null) {
      if (event) problems.push({ file, pointer: `${at}/expect`, message: `expected no event, got kind "${event.kind}" from: ${example.line}` });
      continue;
    }
    if (!event) {
      // The parser sees the line as the reader gives it: without a CI prefix (a leading ISO UTC stamp is one).
      const text = unwrapCiPrefix(cleanLine(example.line)).text;
      const seen = text === example.line ? '' : ` (the reader removed a CI prefix; the parser sees: ${text})`;
      const why = lineRegex && !lineRegex.test(text) ? `/line/regex does not match it${seen}` : format.line.json ? 'it is not a JSON object, or no /kinds entry takes its fields' : 'no /kinds entry takes its fields';
      problems.push({ file, pointer: `${at}/line`, message: `gives no event: ${why}: ${example.line}` });
      continue;
    }
    for (const [key, value] of Object.entries(example.expect)) {
      const want = expected(key, value);
      const got = event[key as keyof ConnectionEvent];
      if (got !== want) {
        const shown = key === 'time' && typeof got === 'number' ? new Date(got).toISOString() : got;
        problems.push({ file, pointer: `${at}/expect/${key}`, message: `expected ${JSON.stringify(value)}, the line gives ${shown === undefined ? 'none' : JSON.stringify(shown)}: ${example.line}` });
      }
    }
  }
  return problems;
}

async function loadFile(file: string, sides: Map<string, [Side, string]>, problems: RuleProblem[]): Promise<DeclaredFormat | undefined> {
  const { validateFormat } = await import('./schema-validators.js');
  return readValidDocument<DeclaredFormat>(file, validateFormat, (format) => {
    const found = semanticProblems(format, file, sides);
    return found.length > 0 ? found : sampleProblems(format, file);
  }, problems);
}

/**
 * Loads and checks the declared formats of each folder in turn (not yet in use: runFormats
 * does that). Two formats with one id, or one source declared for two sides, are refused.
 */
export async function loadFormats(dirs: readonly string[]): Promise<DeclaredFormat[]> {
  const problems: RuleProblem[] = [];
  const formats: DeclaredFormat[] = [];
  const ids = new Map<string, string>();
  const sides = new Map<string, [Side, string]>();
  for (const dir of dirs) {
    const folder = await stat(dir).catch(() => undefined);
    if (!folder?.isDirectory()) {
      problems.push({ file: dir, pointer: '', message: folder ? 'not a folder' : 'formats folder not found' });
      continue;
    }
    const files = await ruleFilesIn(dir, problems);
    for (const file of files) {
      const format = await loadFile(file, sides, problems);
      if (!format) continue;
      const twin = ids.get(format.id);
      if (twin) {
        problems.push({ file, pointer: '/id', message: `id "${format.id}" is already used by ${twin}` });
        continue;
      }
      ids.set(format.id, file);
      if (!sides.has(format.source)) sides.set(format.source, [format.side, file]);
      formats.push(format);
    }
  }
  if (problems.length > 0) throw new FormatLoadError(problems);
  return formats;
}
