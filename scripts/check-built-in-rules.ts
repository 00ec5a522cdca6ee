/**
 * Build step (`npm run build`, after the validators are generated): checks the built-in rules in
 * full, as a user's (the schema, the event model, their patterns), and records their names and
 * texts in dist/. A run whose built-in rules are still those texts skips checking them again (a
 * tenth of a small run's start-up); any difference, and they are checked at load as before. A
 * broken built-in rule stops the build with its problems.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { BUILT_IN_RULES_DIR, BUILT_IN_RULES_STAMP, loadRules, ruleFilesIn, rulesStamp, type RuleProblem } from '../src/attribute/load.js';

rmSync(BUILT_IN_RULES_STAMP, { force: true });
await loadRules([]);
const problems: RuleProblem[] = [];
const files = await ruleFilesIn(BUILT_IN_RULES_DIR, problems);
writeFileSync(BUILT_IN_RULES_STAMP, rulesStamp(BUILT_IN_RULES_DIR, files, files.map((file) => readFileSync(file, 'utf8'))));
