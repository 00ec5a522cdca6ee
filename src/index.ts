/**
 * whoreset as a library: the same stages the CLI wires together.
 *
 *   const formats = runFormats(await loadFormats(['./my-formats'])); // with formats declared in JSON, if any
 *   const rules = await loadRules([], { formats }); // a rule may name a declared format's source
 *   const { verdicts } = await analyze({ dir, include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules, formats });
 */
export { analyze, analyzeStreaming, DEFAULT_WINDOW_MS, type AnalysisRest, type AnalyzeOptions } from './analyze.js';
export type { Analysis } from './report/analysis.js';
export { discover, InputError, type Discovery, type LogFile } from './discover/discover.js';
export { FORMATS, FALLBACK_FORMAT, BUILT_IN_FORMATS_DIR, BUILT_IN_SIDES, runFormats, type RunFormats } from './parse/formats.js';
export { compileDeclaredFormat, type DeclaredFormat } from './parse/declared-format.js';
export { loadFormats, FormatLoadError } from './attribute/format-load.js';
export { parseLines } from './parse/run-lines.js';
export type { FormatParser, LineParser, ParseContext } from './parse/parser.js';
export type { InputProblem } from './model/problem.js';
export { SourceSides, type ConnectionEvent, type EventKind, type Side, type Source, type TimeQuality } from './model/event.js';
export type { Incident, Join, SourceWitness } from './correlate/incident.js';
export { loadRules, RuleLoadError, BUILT_IN_RULES_DIR, type RuleProblem } from './attribute/load.js';
export { decide, type Verdict, type NearMiss } from './attribute/verdict.js';
export { runRuleExamples, type ExampleResult } from './attribute/examples.js';
export type { Rule, RuleFile, Attribution } from './attribute/rule.js';
