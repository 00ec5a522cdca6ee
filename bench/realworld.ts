#!/usr/bin/env node
/**
 * Scores whoreset on the real-world corpus (test/realworld/), next to a keyword baseline.
 *
 *   npm run realworld [-- --list] [--concurrency N] [--cli PATH] [DIR]
 *
 * --list prints every snippet's truth and both predictions; --cli scores another build's
 * dist/src/cli/main.js (e.g. main's, next to this branch's); DIR defaults to test/realworld.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  describePrediction,
  formatScores,
  isDirectory,
  loadCorpus,
  mapLimited,
  outcomeOf,
  predictBaseline,
  runOnSnippet,
  score,
} from './lib/realworld.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const args = process.argv.slice(2);
const valueOf = (option: string): string | undefined => {
  const at = args.indexOf(option);
  return at >= 0 ? args[at + 1] : undefined;
};
const list = args.includes('--list');
const concurrency = Number(valueOf('--concurrency') ?? 2);
const cli = resolve(valueOf('--cli') ?? join(ROOT, 'dist', 'src', 'cli', 'main.js'));
const dir = resolve(args.find((a, i) => !a.startsWith('--') && !['--concurrency', '--cli'].includes(args[i - 1]!)) ?? join(ROOT, 'test', 'realworld'));
if (!isDirectory(dir) || !(concurrency >= 1) || !existsSync(cli)) {
  process.stderr.write(`usage: npm run realworld [-- --list] [--concurrency N>=1] [--cli PATH] [DIR]; corpus ${dir}, CLI ${cli}\n`);
  process.exit(2);
}

const corpus = loadCorpus(dir);
const t0 = process.hrtime.bigint();
const runs = await mapLimited(corpus, concurrency, (s) => runOnSnippet(cli, s));
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const outcomes = corpus.map((s, i) => outcomeOf(s, runs[i]!));
const baseline = corpus.map((s) => ({ snippet: s, prediction: predictBaseline(s) }));

if (list) {
  for (const [i, o] of outcomes.entries()) {
    const mark = o.prediction.kind === 'verdict' && o.prediction.attribution === o.snippet.truth ? 'ok' : '  ';
    const error = o.error ? `  [${o.error}]` : '';
    process.stdout.write(`${mark} ${o.snippet.slug.padEnd(48)} truth=${o.snippet.truth.padEnd(14)} whoreset=${describePrediction(o.prediction).padEnd(16)} baseline=${describePrediction(baseline[i]!.prediction)}${error}\n`);
  }
  process.stdout.write('\n');
}
process.stdout.write(`${formatScores(score(outcomes), score(baseline))}\n`);
const errors = outcomes.filter((o) => o.error).length;
process.stdout.write(`\n${corpus.length} snippets, ${runs.length} CLI runs in ${seconds.toFixed(1)} s (${concurrency} at a time)${errors ? `, ${errors} runs failed (counted as no verdict; --list shows them)` : ''}\n`);
process.stdout.write('The baseline is a dozen keyword regexes (bench/lib/realworld.ts BASELINE), not whoreset.\n');
