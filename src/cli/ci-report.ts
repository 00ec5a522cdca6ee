/** `--format github` and `--format junit`: the reports a CI reads, written whole (they are one per incident). */
import { appendFileSync } from 'node:fs';
import type { Analysis } from '../analyze.js';
import { githubText, jobSummary } from '../report/github.js';
import { junitXml } from '../report/junit.js';

export function writeCiReport(analysis: Analysis, format: 'github' | 'junit', dir: string, env: NodeJS.ProcessEnv = process.env): void {
  if (format === 'junit') {
    process.stdout.write(junitXml(analysis));
    return;
  }
  // Log text in it is escaped already: shown, never acted on.
  process.stdout.write(githubText(analysis, dir, env));
  const summaryFile = env['GITHUB_STEP_SUMMARY'];
  // GitHub gives each step a file to append Markdown to; without it (a local run) there is none.
  if (summaryFile) appendFileSync(summaryFile, jobSummary(analysis) + '\n');
}
