/** `--explain`: per incident the evidence, the deciding line, near misses and next steps. */
import type { Analysis } from './analysis.js';
import { RuleIndex } from '../attribute/rule-index.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { nearMisses } from '../attribute/verdict.js';
import { urlOf } from './incident-record.js';
import { escapeControls } from './output.js';
import { paintDeciding, paintVerdict, type TableView } from './table-style.js';

const NEAR_MISSES_SHOWN = 6;

/** Every verdict explained; a list of near misses already printed for an earlier incident is named, not repeated. */
export function explainVerdicts(verdicts: readonly BurstVerdict[], rules: Analysis['rules'], view: TableView): string[] {
  const printed = new Map<string, string>();
  const out: string[] = [];
  const index = new RuleIndex(rules);
  for (const v of verdicts) out.push('', ...explainVerdict(v, index, view, printed));
  return out;
}

/** Log text made visible (a line's escapes must not act on the terminal) before any colour is added. */
const shown = (text: string) => escapeControls(text, false);

function explainVerdict(v: BurstVerdict, rules: RuleIndex, view: TableView, printed: Map<string, string>): string[] {
  const i = v.incident;
  const burst = v.count > 1 ? ` ×${v.count}` : '';
  const verdict = paintVerdict(`${v.attribution} — ${shown(v.cause)}`, v.attribution, view);
  const out = [shown(`${i.id}${burst} ${urlOf(v) ?? ''} ${i.test ?? ''}`.trim()), `  verdict: ${verdict}${v.ruleId ? ` (rule ${shown(v.ruleId)}, confidence ${v.confidence.toFixed(2)})` : ''}`];
  if (i.origin !== 'client') out.push(`  opened by: the ${i.origin}'s own log (no client record of this failure)`);
  if (v.count > 1) out.push(shown(`  requests: ${v.requests.filter((r) => r !== '').join(', ') || 'not named'}`));
  for (const reason of v.reasons) out.push(shown(`  why unknown: ${reason}`));
  out.push('  evidence (→ decided the verdict):');
  // With no joined event used, the failure's own record decided (the client's text, a hop's record).
  const recordDecided = v.ruleId !== null && v.deciding.length === 0;
  const line = (decided: boolean, text: string) => (decided ? paintDeciding(`  → ${shown(text)}`, view) : `    ${shown(text)}`);
  for (const record of i.records) out.push(line(recordDecided && record === i.anchor, `${record.file}:${record.line} [${record.source} ${record.kind}] ${record.excerpt}`));
  for (const join of v.evidence) {
    const dt = join.dtMs === null ? 'untimed' : `${join.dtMs >= 0 ? '+' : ''}${(join.dtMs / 1000).toFixed(3)}s`;
    out.push(line(v.deciding.includes(join), `${join.event.file}:${join.event.line} [${join.event.source} ${join.event.kind}, ${dt}, ${join.tie}] ${join.event.excerpt}`));
  }
  const silent = i.witnesses.filter((w) => w.alive && !w.sawRequest).map((w) => w.source);
  if (silent.length > 0) out.push(`  alive but silent about this request: ${silent.join(', ')}`);
  out.push(...nearMissLines(v, rules, printed));
  if (v.advice.length > 0) {
    out.push('  next steps:');
    for (const advice of v.advice) out.push(shown(`    - ${advice}`));
  }
  return out;
}

/**
 * Closest first: rules that had all their evidence but one absence, then the weightiest rules whose
 * sources are here; rules looking for logs the directory does not hold are not listed. A long run's
 * incidents mostly miss the same rules the same way: the list is printed once and named after.
 */
function nearMissLines(v: BurstVerdict, rules: RuleIndex, printed: Map<string, string>): string[] {
  const near = nearMisses(v.incident, rules.fitting(v.incident))
    .filter((m) => (m.stage === 'present' && !m.lacksSource) || m.stage === 'absent')
    .sort((a, b) => (a.stage === b.stage ? b.priority - a.priority : a.stage === 'absent' ? -1 : 1));
  if (near.length === 0) return [];
  const lines = near.slice(0, NEAR_MISSES_SHOWN).map((miss) => shown(`    ${miss.ruleId}: ${miss.failed}`));
  if (near.length > NEAR_MISSES_SHOWN) lines.push(`    … ${near.length - NEAR_MISSES_SHOWN} more rules fit the client's error but found none of their evidence`);
  const key = lines.join('\n');
  const first = printed.get(key);
  if (first !== undefined) return [`  near misses: the same as ${first}'s`];
  printed.set(key, v.incident.id);
  return ['  near misses:', ...lines];
}
