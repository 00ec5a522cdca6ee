import { readdirSync, readFileSync, realpathSync, statSync, type Dirent, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { didYouMean } from './did-you-mean.js';
import { PLACEHOLDERS, unknownPlaceholders } from './advice.js';
import { locateProblems, syntaxErrorPosition } from './json-location.js';
import type { Rule, RuleFile, TextPattern } from './rule.js';
import { superLinearReason, unsafeRegexReason } from './safe-regex.js';
import { EVENT_KINDS, EVENT_SOURCES } from './vocabulary.js';
import { runFormats, type RunFormats } from '../parse/formats.js';

/** The rules shipped in the package: <package>/rules. */
export const BUILT_IN_RULES_DIR = fileURLToPath(new URL('../../../rules/', import.meta.url));
/** Written by the build once the built-in rules passed every check (scripts/check-built-in-rules.ts): their names and texts. */
export const BUILT_IN_RULES_STAMP = fileURLToPath(new URL('./built-in-rules.checked', import.meta.url));

/** A problem in a rule file: where (file, JSON pointer, and line:column in its text when known) and what was expected. */
export interface RuleProblem {
  file: string;
  pointer: string;
  message: string;
  line?: number;
  column?: number;
}

/** A problem as a compiler says it: file:line:column: /pointer: what. */
export function describeProblem(p: RuleProblem): string {
  const where = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column}`;
  return `${where}: ${p.pointer ? `${p.pointer}: ` : ''}${p.message}`;
}

/** Malformed rules stop the run: the CLI prints every problem and exits 2. */
export class RuleLoadError extends Error {
  constructor(readonly problems: RuleProblem[]) {
    super(problems.map(describeProblem).join('\n'));
  }
}

export function describeSchemaError(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') {
    const key = String(params.additionalProperty);
    const allowed = Object.keys((error.parentSchema as { properties?: object })?.properties ?? {});
    return `unknown key "${key}"${didYouMean(key, allowed)}; expected one of: ${allowed.join(', ')}`;
  }
  if (error.keyword === 'enum') {
    const allowed = (params.allowedValues as unknown[]).map(String);
    return `${JSON.stringify(error.data)} is not allowed${typeof error.data === 'string' ? didYouMean(error.data, allowed) : ''}; expected one of: ${allowed.join(', ')}`;
  }
  if (error.keyword === 'required') return `missing required key "${String(params.missingProperty)}"`;
  return `${error.message ?? error.keyword} (got ${JSON.stringify(error.data)})`;
}


/** Every pattern of a rule, with its JSON pointer, to check they cannot hang a run. */
function* patternsOf(rule: RuleFile): Generator<[string, TextPattern]> {
  const anchor = rule.when.anchor;
  if (anchor) {
    for (const key of ['exception', 'cause', 'path', 'host', 'text'] as const) {
      const pattern = anchor[key];
      if (pattern) yield [`/when/anchor/${key}`, pattern];
    }
  }
  for (const [i, present] of (rule.when.present ?? []).entries()) {
    if (present.text) yield [`/when/present/${i}/text`, present.text];
    if (present.proxyCode) yield [`/when/present/${i}/proxyCode`, present.proxyCode];
  }
}

type NameList = 'kind' | 'source';

/** Every event kind and source a rule names, with its JSON pointer: a misspelt one would never match. */
function* namesOf(rule: RuleFile): Generator<[string, NameList, string]> {
  const each = function* (pointer: string, list: NameList, names: readonly string[] | undefined): Generator<[string, NameList, string]> {
    for (const [i, name] of (names ?? []).entries()) yield [`${pointer}/${i}`, list, name];
  };
  const { anchor, present, absent, context } = rule.when;
  yield* each('/when/anchor/kind', 'kind', anchor?.kind);
  yield* each('/when/anchor/source', 'source', anchor?.source);
  for (const [i, p] of (present ?? []).entries()) {
    yield* each(`/when/present/${i}/kind`, 'kind', p.kind);
    yield* each(`/when/present/${i}/source`, 'source', p.source);
  }
  for (const [i, a] of (absent ?? []).entries()) {
    yield* each(`/when/absent/${i}/kind`, 'kind', a.kind);
    yield* each(`/when/absent/${i}/source`, 'source', a.source);
  }
  yield* each('/when/context/present', 'source', context?.present);
  yield* each('/when/context/missing', 'source', context?.missing);
  for (const group of ['match', 'noMatch'] as const) {
    for (const [i, fixture] of rule.examples[group].entries()) {
      const at = `/examples/${group}/${i}`;
      const events: Array<[string, { source: string; kind: string }]> = [
        [`${at}/anchor`, fixture.anchor],
        ...(fixture.records ?? []).map((e, j) => [`${at}/records/${j}`, e] as [string, { source: string; kind: string }]),
        ...(fixture.events ?? []).map((e, j) => [`${at}/events/${j}`, e] as [string, { source: string; kind: string }]),
      ];
      for (const [pointer, event] of events) {
        yield [`${pointer}/source`, 'source', event.source];
        yield [`${pointer}/kind`, 'kind', event.kind];
      }
      yield* each(`${at}/sources`, 'source', fixture.sources);
      yield* each(`${at}/silent`, 'source', fixture.silent);
    }
  }
}

/**
 * Checks the schema cannot express: names from the event model, ordered time ranges, safe patterns
 * (a user's patterns analysed by recheck too; the built-in ones are analysed by the suite).
 */
function semanticProblems(rule: RuleFile, file: string, builtIn: boolean, sources: readonly string[]): RuleProblem[] {
  const problems: RuleProblem[] = [];
  for (const [pointer, list, name] of namesOf(rule)) {
    const known: readonly string[] = list === 'kind' ? EVENT_KINDS : sources;
    if (!known.includes(name)) problems.push({ file, pointer, message: `unknown event ${list} "${name}"${didYouMean(name, known)}` });
  }
  for (const [i, present] of (rule.when.present ?? []).entries()) {
    if (present.between && present.between[0] > present.between[1]) {
      problems.push({ file, pointer: `/when/present/${i}/between`, message: `[from, to] must have from <= to (got [${present.between.join(', ')}])` });
    }
  }
  for (const name of unknownPlaceholders(rule.advice)) {
    problems.push({ file, pointer: '/advice', message: `unknown placeholder {${name}}${didYouMean(name, Object.keys(PLACEHOLDERS))}; known: ${Object.keys(PLACEHOLDERS).join(', ')}` });
  }
  for (const [pointer, pattern] of patternsOf(rule)) {
    // Request paths and hosts are as long as a line may be; the other texts are short. Built-in rules are ours, checked by the suite.
    const problem = regexProblem(pattern.regex, pattern.flags, builtIn ? undefined : { boundedInput: !/\/(path|host)$/.test(pointer) });
    if (problem) problems.push({ file, pointer: `${pointer}/regex`, message: problem });
  }
  return problems;
}

/**
 * Why a user's regular expression cannot be used (it does not compile, or could hang a run), or
 * undefined. With `analyse`, a real analyser (recheck) also looks for super-linear matching.
 */
export function regexProblem(regex: string, flags?: string, analyse?: { boundedInput: boolean }): string | undefined {
  try {
    new RegExp(regex, flags);
  } catch (error) {
    return (error as Error).message;
  }
  const unsafe = unsafeRegexReason(regex) ?? (analyse && superLinearReason(regex, flags ?? '', analyse.boundedInput));
  return unsafe ? `unsafe regular expression: ${unsafe}` : undefined;
}

/** Deeper than any rule needs: a deeper document is refused before the parser and the validator recurse into it. */
const MAX_JSON_DEPTH = 64;

/** The deepest nesting of brackets in a JSON text, outside its strings. */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92) i++;
    } else if (c === 91 || c === 123) deepest = Math.max(deepest, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return deepest;
}

/**
 * A JSON document that a schema and then `check` accept, read from a file (a rule or a declared
 * format); what is wrong (unreadable, too deep, not JSON, against the schema, what `check` finds)
 * goes to `problems` as data, each at its line:column in the file.
 */
export async function readValidDocument<T>(file: string, validator: ValidateFunction, check: (document: T) => RuleProblem[], problems: RuleProblem[]): Promise<T | undefined> {
  let text: string;
  try {
    // Read at once: fs/promises' readFile cost start-up more than a synchronous read over the built-in rules.
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({ file, pointer: '', message: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
    return undefined;
  }
  if (jsonDepth(text) > MAX_JSON_DEPTH) {
    problems.push({ file, pointer: '', message: `nested more than ${MAX_JSON_DEPTH} levels deep` });
    return undefined;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    problems.push({ file, pointer: '', message: `invalid JSON: ${(error as Error).message}`, ...(await syntaxErrorPosition(text)) });
    return undefined;
  }
  const found = validator(data) ? check(data as T) : (validator.errors ?? []).map((error) => ({ file, pointer: pointerOf(error), message: describeSchemaError(error) }));
  if (found.length === 0) return data as T;
  problems.push(...(await locateProblems(text, found)));
  return undefined;
}

/** The pointer a schema error names: an unknown key's own (so its line is the key's), else the value's. */
function pointerOf(error: ErrorObject): string {
  if (error.keyword !== 'additionalProperties') return error.instancePath || '/';
  const key = String((error.params as { additionalProperty: unknown }).additionalProperty);
  return `${error.instancePath}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
}

async function loadFile(file: string, builtIn: boolean, sources: readonly string[], problems: RuleProblem[]): Promise<Rule | undefined> {
  // Loaded when a file is checked: a run whose built-in rules are as the build checked them needs no validator.
  const { validateRule } = await import('./schema-validators.js');
  const rule = await readValidDocument<RuleFile>(file, validateRule, (document) => semanticProblems(document, file, builtIn, sources), problems);
  return rule === undefined ? undefined : { ...rule, file, builtIn };
}

/** A folder's rule files, each file's name (from the folder) and text, as one text: what the build's stamp records. */
export function rulesStamp(dir: string, files: readonly string[], texts: readonly string[]): string {
  // A valid JSON text holds no NUL: the files cannot run into each other.
  return files.map((file, i) => `${path.relative(dir, file)}\n${texts[i]}`).join('\0');
}

/**
 * The built-in rules, without checking them again, when their files are still what the build
 * checked (the stamp records each name and text); undefined when anything differs or the stamp is
 * missing: the files are then checked one by one, as users' are.
 */
export function stampedRules(dir: string, files: readonly string[], stampFile: string): Rule[] | undefined {
  try {
    const texts = files.map((file) => readFileSync(file, 'utf8'));
    if (rulesStamp(dir, files, texts) !== readFileSync(stampFile, 'utf8')) return undefined;
    return texts.map((text, i) => ({ ...(JSON.parse(text) as RuleFile), file: files[i]!, builtIn: true }));
  } catch {
    return undefined;
  }
}

/** What a path names, or undefined when it cannot be known (a dangling link, a loop, no permission). */
function statOrNone(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * The JSON files (not *.schema.json) of a folder of rules or formats, sorted. Links are followed, each real
 * folder walked once: a folder linking to itself ends. Unreadable folders are problems. Synchronous, as
 * the reading of the files: a few small files, read before anything else runs.
 */
export async function ruleFilesIn(dir: string, problems: RuleProblem[]): Promise<string[]> {
  const files: string[] = [];
  const visited = new Set<string>();
  const walk = (folder: string): void => {
    let entries: Dirent[];
    try {
      const real = realpathSync.native(folder);
      if (visited.has(real)) return;
      visited.add(real);
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      problems.push({ file: folder, pointer: '', message: `folder cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const name = entry.name;
      if (name === 'node_modules') continue;
      const full = path.join(folder, name);
      // Only a link needs a stat, to what it names.
      const info: Dirent | Stats | undefined = entry.isSymbolicLink() ? statOrNone(full) : entry;
      if (info?.isDirectory()) walk(full);
      // A dangling link or an unreadable file named *.json is still a rule file: reading it tells why not.
      else if (name.endsWith('.json') && !name.endsWith('.schema.json') && (!info || info.isFile())) files.push(full);
    }
  };
  walk(dir);
  return files.sort();
}

/**
 * Loads the built-in rules and each user folder in turn. A later rule with the same id replaces
 * the earlier one; `"disabled": true` removes it. Any malformed file stops the load. A rule may
 * name the sources of the run's formats (`formats`: runFormats, with the --formats declared ones).
 */
export async function loadRules(userDirs: readonly string[], options: { builtIn?: boolean; formats?: RunFormats } = {}): Promise<Rule[]> {
  const problems: RuleProblem[] = [];
  const knownSources = [...EVENT_SOURCES, ...(options.formats ?? runFormats()).list.map((format) => format.source)];
  const byId = new Map<string, Rule>();
  const sources: Array<[string, boolean]> = [
    ...(options.builtIn === false ? [] : [[BUILT_IN_RULES_DIR, true] as [string, boolean]]),
    ...userDirs.map((dir) => [dir, false] as [string, boolean]),
  ];
  for (const [dir, builtIn] of sources) {
    const folder = await stat(dir).catch(() => undefined);
    if (!folder?.isDirectory()) {
      problems.push({ file: dir, pointer: '', message: folder ? 'not a folder' : 'no such folder' });
      continue;
    }
    const files = await ruleFilesIn(dir, problems);
    const stamped = builtIn ? stampedRules(dir, files, BUILT_IN_RULES_STAMP) : undefined;
    const seenHere = new Map<string, string>();
    for (const [i, file] of files.entries()) {
      const rule = stamped ? stamped[i] : await loadFile(file, builtIn, knownSources, problems);
      if (!rule) continue;
      const twin = seenHere.get(rule.id);
      if (twin) {
        problems.push({ file, pointer: '/id', message: `id "${rule.id}" is already used by ${twin}` });
        continue;
      }
      seenHere.set(rule.id, file);
      byId.set(rule.id, rule);
    }
  }
  if (problems.length > 0) throw new RuleLoadError(problems);
  return [...byId.values()].filter((rule) => !rule.disabled).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
