import { runRuleExamples } from '../attribute/examples.js';
import { loadFormats } from '../attribute/format-load.js';
import { loadRules } from '../attribute/load.js';
import { runFormats } from '../parse/formats.js';
import { EXIT } from './exit.js';

/** `whoreset rules list|validate|test [dir] [--formats DIR]`. */
export async function rulesCommand(action: 'list' | 'validate' | 'test', dirs: string[], formats: string[] = []): Promise<number> {
  // Declared formats first: a rule may name their sources.
  const run = runFormats(await loadFormats(formats));
  // With a folder, `validate` and `test` look at that folder's rules only; `list` shows what a run uses.
  const rules = await loadRules(dirs, { builtIn: action === 'list' || dirs.length === 0, formats: run });
  if (action === 'list') {
    for (const rule of rules) {
      process.stdout.write(`${rule.id.padEnd(36)} ${rule.attribution.padEnd(15)} p${String(rule.priority).padEnd(4)} ${rule.confidence.toFixed(2)}  ${rule.title}${rule.builtIn ? '' : `  (${rule.file})`}\n`);
    }
    return EXIT.ok;
  }
  if (action === 'validate') {
    process.stdout.write(`${rules.length} rule(s) valid\n`);
    return EXIT.ok;
  }
  const results = runRuleExamples(rules, run.sides);
  const failed = results.filter((r) => !r.passed);
  for (const result of failed) process.stdout.write(`FAIL ${result.ruleId} ${result.expected} "${result.name}": ${result.detail}\n`);
  process.stdout.write(`${results.length - failed.length} passed, ${failed.length} failed\n`);
  return failed.length === 0 ? EXIT.ok : EXIT.verdictFound;
}
