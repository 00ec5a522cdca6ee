/**
 * The real-world corpus (test/realworld/<slug>/): log lines copied from public threads, each with
 * the truth the thread established. This module loads it, turns whoreset's JSON output and a
 * keyword baseline into one prediction per snippet, and scores both.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const TRUTHS = ['server', 'proxy-firewall', 'client', 'network', 'not-a-problem', 'unknown'] as const;
export type Truth = (typeof TRUTHS)[number];
/** Truths a verdict can be right about; precision and recall are measured over these. */
export const KNOWN: readonly Truth[] = ['server', 'proxy-firewall', 'client', 'network'];
export const TRUTH_FILE = 'truth.json';

export interface TruthRecord {
  source: string;
  title: string;
  truth: Truth;
  cause: string;
  evidence: string;
}

export interface Snippet extends TruthRecord {
  slug: string;
  dir: string;
  /** Log files of the snippet, relative to its directory. */
  files: string[];
}

/** No verdict, one attribution, or several different ones (always counted wrong). */
export type Prediction = { kind: 'none' } | { kind: 'verdict'; attribution: string } | { kind: 'conflict'; attributions: string[] };

function listFiles(dir: string, under = dir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(join(dir, e.name), under) : [relative(under, join(dir, e.name))]))
    .sort();
}

/** Problems with one snippet's truth.json, as messages; empty when it is well formed. */
export function truthProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['not a JSON object'];
  const rec = value as Record<string, unknown>;
  const problems = ['source', 'title', 'truth', 'cause', 'evidence']
    .filter((key) => typeof rec[key] !== 'string' || (rec[key] as string).trim() === '')
    .map((key) => `"${key}" must be a non-empty string`);
  if (typeof rec.truth === 'string' && !(TRUTHS as readonly string[]).includes(rec.truth)) {
    problems.push(`"truth" is "${rec.truth}", not one of ${TRUTHS.join(', ')}`);
  }
  if (typeof rec.source === 'string' && !/^https?:\/\//.test(rec.source)) problems.push('"source" must be a URL');
  return problems;
}

/** Every snippet under `root`, sorted by slug; a malformed truth.json throws with its path. */
export function loadCorpus(root: string): Snippet[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((slug) => {
      const dir = join(root, slug);
      const truthPath = join(dir, TRUTH_FILE);
      const record = JSON.parse(readFileSync(truthPath, 'utf8')) as unknown;
      const problems = truthProblems(record);
      if (problems.length > 0) throw new Error(`${truthPath}: ${problems.join('; ')}`);
      const files = listFiles(dir).filter((f) => f !== TRUTH_FILE);
      return { ...(record as TruthRecord), slug, dir, files };
    });
}

function fromAttributions(attributions: Iterable<string>): Prediction {
  const set = [...new Set(attributions)].filter((a) => a !== 'unknown').sort();
  if (set.length === 0) return { kind: 'none' };
  return set.length === 1 ? { kind: 'verdict', attribution: set[0]! } : { kind: 'conflict', attributions: set };
}

/** whoreset's `--format json` output → the snippet's prediction. */
export function predictFromReport(json: string): Prediction {
  const report = JSON.parse(json) as { incidents?: Array<{ attribution?: string }> };
  return fromAttributions((report.incidents ?? []).map((i) => i.attribution ?? 'unknown'));
}

/**
 * The baseline: a dozen keyword regexes over every line, what a person grepping the logs would
 * try first. Not whoreset; it is here to show what the engine adds over grep.
 */
export const BASELINE: ReadonlyArray<readonly [RegExp, string]> = [
  [/upstream prematurely closed|upstream timed out|recv\(\) failed.*upstream/, 'server'],
  [/no live upstreams|connect\(\) failed .* while connecting to upstream/, 'server'],
  [/client intended to send too large body|413 Request Entity Too Large/, 'server'],
  [/WORKER TIMEOUT|worker process \d+ exited on signal/, 'server'],
  [/\b50[234]\b.*(Bad Gateway|Service Unavailable|Gateway Time-?out)/, 'server'],
  [/proxy|tunnel|CONNECT|firewall/, 'proxy-firewall'],
  [/\b(REJECT|DROP)\b|TCP_DENIED/, 'proxy-firewall'],
  [/Read timed out|timeout=|timed out after/, 'client'],
  [/NXDOMAIN|Name or service not known|nodename nor servname|getaddrinfo ENOTFOUND/, 'client'],
  [/\b429\b|Too Many Requests|limiting requests/, 'client'],
  [/client prematurely closed|\b499\b/, 'client'],
  [/Network is unreachable|No route to host/, 'network'],
];

export function predictBaseline(snippet: Snippet): Prediction {
  const found: string[] = [];
  for (const file of snippet.files) {
    for (const line of readFileSync(join(snippet.dir, file), 'utf8').split('\n')) {
      for (const [re, attribution] of BASELINE) if (re.test(line)) found.push(attribution);
    }
  }
  return fromAttributions(found);
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** Runs the built CLI on one snippet as a user would (truth.json left out), one parse thread. */
export function runOnSnippet(cli: string, snippet: Snippet): Promise<CliRun> {
  const t0 = process.hrtime.bigint();
  const args = [cli, snippet.dir, '--format', 'json', '--exclude', TRUTH_FILE, '--jobs', '1'];
  return new Promise((resolve) => {
    execFile(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, seconds: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
  });
}

/** Maps `items` through `task` with at most `limit` in flight, keeping the input order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await task(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export interface Outcome {
  snippet: Snippet;
  prediction: Prediction;
  /** Why the CLI gave no usable output (exit code and first stderr line), when it did not. */
  error?: string;
}

/** A CLI run → the snippet's outcome; an exit code other than 0 counts as no verdict, noted. */
export function outcomeOf(snippet: Snippet, run: CliRun): Outcome {
  if (run.code !== 0) {
    return { snippet, prediction: { kind: 'none' }, error: `exit ${run.code}: ${run.stderr.trim().split('\n').pop() ?? ''}` };
  }
  return { snippet, prediction: predictFromReport(run.stdout) };
}

export interface Score {
  byTruth: Record<Truth, number>;
  /** Snippets of known truth (server/proxy-firewall/client/network). */
  known: number;
  /** Verdicts given on snippets of known truth (a conflict counts as a verdict). */
  verdicts: number;
  correct: number;
  precision: number;
  recall: number;
  /** not-a-problem snippets that got a verdict: every one is a false alarm. */
  nonProblemsWithVerdict: number;
  /** Verdicts on snippets whose thread did not establish a cause: not scored, only shown. */
  verdictsOnUnknown: number;
}

export function score(outcomes: readonly Outcome[]): Score {
  const byTruth = Object.fromEntries(TRUTHS.map((t) => [t, 0])) as Record<Truth, number>;
  let verdicts = 0;
  let correct = 0;
  let nonProblemsWithVerdict = 0;
  let verdictsOnUnknown = 0;
  for (const { snippet, prediction } of outcomes) {
    byTruth[snippet.truth]++;
    const given = prediction.kind !== 'none';
    if (KNOWN.includes(snippet.truth)) {
      if (given) verdicts++;
      if (prediction.kind === 'verdict' && prediction.attribution === snippet.truth) correct++;
    } else if (snippet.truth === 'not-a-problem' && given) nonProblemsWithVerdict++;
    else if (snippet.truth === 'unknown' && given) verdictsOnUnknown++;
  }
  const known = KNOWN.reduce((n, t) => n + byTruth[t], 0);
  return {
    byTruth,
    known,
    verdicts,
    correct,
    // No verdict at all is not a wrong one: precision is 1 over an empty set, and recall shows the gap.
    precision: verdicts === 0 ? 1 : correct / verdicts,
    recall: known === 0 ? 0 : correct / known,
    nonProblemsWithVerdict,
    verdictsOnUnknown,
  };
}

export function describePrediction(p: Prediction): string {
  if (p.kind === 'none') return '-';
  return p.kind === 'verdict' ? p.attribution : `conflict(${p.attributions.join(',')})`;
}

/** The two scores side by side, as a plain-text table. */
export function formatScores(whoreset: Score, baseline: Score): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  const rows: Array<[string, string, string]> = [
    ...TRUTHS.map((t): [string, string, string] => [`snippets: ${t}`, String(whoreset.byTruth[t]), String(baseline.byTruth[t])]),
    ['snippets of known truth', String(whoreset.known), String(baseline.known)],
    ['verdicts given (known truth)', String(whoreset.verdicts), String(baseline.verdicts)],
    ['correct', String(whoreset.correct), String(baseline.correct)],
    ['precision = correct / verdicts', pct(whoreset.precision), pct(baseline.precision)],
    ['recall = correct / known', pct(whoreset.recall), pct(baseline.recall)],
    ['not-a-problem given a verdict', String(whoreset.nonProblemsWithVerdict), String(baseline.nonProblemsWithVerdict)],
    ['verdicts on unknown truth (not scored)', String(whoreset.verdictsOnUnknown), String(baseline.verdictsOnUnknown)],
  ];
  const head: [string, string, string] = ['', 'whoreset', 'baseline: keyword regexes'];
  const width = [0, 1, 2].map((c) => Math.max(...[head, ...rows].map((r) => r[c]!.length)));
  const line = (r: [string, string, string]) => `${r[0].padEnd(width[0]!)}  ${r[1].padStart(width[1]!)}  ${r[2].padStart(width[2]!)}`;
  return [line(head), ...rows.map(line)].join('\n');
}

/** Whether `path` is a directory (the corpus root given on the command line). */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
