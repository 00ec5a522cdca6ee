/** The report's first lines: incidents grouped by verdict and cause, with their tests and counts. */
import type { BurstVerdict } from '../attribute/burst.js';
import type { Attribution } from '../attribute/rule.js';
import { escapeControls } from './output.js';
import { cutMiddle } from './table-fit.js';
import { paintVerdict, type TableView } from './table-style.js';

const ORDER: readonly Attribution[] = ['server', 'proxy-firewall', 'client', 'unknown'];

export interface CauseGroup {
  attribution: Attribution;
  cause: string;
  /** Its incidents, in time order. */
  verdicts: BurstVerdict[];
  /** The tests that failed this way, each once, in order of first failure. */
  tests: string[];
}

/** Groups by verdict and cause: server first, then proxy-firewall, client, unknown; within one, the largest group first. */
export function causeGroups(verdicts: readonly BurstVerdict[]): CauseGroup[] {
  const groups = new Map<string, CauseGroup>();
  for (const verdict of verdicts) {
    const key = `${verdict.attribution}\u0000${verdict.cause}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { attribution: verdict.attribution, cause: verdict.cause, verdicts: [], tests: [] }));
    group.verdicts.push(verdict);
    const test = verdict.incident.test;
    if (test !== undefined && !group.tests.includes(test)) group.tests.push(test);
  }
  return [...groups.values()].sort(
    (a, b) => ORDER.indexOf(a.attribution) - ORDER.indexOf(b.attribution) || b.verdicts.length - a.verdicts.length || (a.cause < b.cause ? -1 : a.cause > b.cause ? 1 : 0),
  );
}

/** The cause as read: `server/upstream-reset`; a cause outside its verdict's name says both. */
export function causeLabel(attribution: Attribution, cause: string): string {
  return cause.startsWith(`${attribution}/`) ? cause : `${attribution}: ${cause}`;
}

/** `tests/test_pay.py::test_a, ::test_b`: a test in the file of the one before it is named from `::`. */
export function testList(tests: readonly string[]): string[] {
  return tests.map((test, i) => {
    const file = test.indexOf('::');
    const previous = tests[i - 1];
    return file > 0 && previous !== undefined && previous.startsWith(test.slice(0, file + 2)) ? test.slice(file) : test;
  });
}

/**
 * `server/upstream-reset ×2 — tests/test_pay.py::test_a, ::test_b`, one line per group within the
 * width: the tests that fit are named, the rest counted (`+3 more`).
 */
export function summaryLines(verdicts: readonly BurstVerdict[], filesRead: number, view: TableView): string[] {
  const counts = ORDER.map((a) => `${a} ${verdicts.filter((v) => v.attribution === a).length}`).join(', ');
  const lines = [`${verdicts.length} incident(s) in ${filesRead} file(s): ${counts}`];
  for (const group of causeGroups(verdicts)) {
    // Names come from the logs: their control characters shown, not acted on, before any colour is added.
    const label = escapeControls(causeLabel(group.attribution, group.cause), false);
    const failures = group.verdicts.reduce((n, v) => n + v.count, 0);
    const head = `  ${label} ×${group.verdicts.length}${failures > group.verdicts.length ? ` (${failures} failures)` : ''}`;
    const untested = group.verdicts.filter((v) => v.incident.test === undefined).length;
    const names = testList(group.tests).map((name) => escapeControls(name, false));
    if (untested > 0) names.push(untested === group.verdicts.length ? 'no test named' : `${untested} with no test named`);
    let line = head;
    for (const [i, name] of names.entries()) {
      const next = `${i === 0 ? ' — ' : ', '}${name}`;
      const rest = names.length - i - 1;
      // Room for this name and, when more follow, for the count of those left out.
      if (i > 0 && line.length + next.length + (rest > 0 ? `, +${rest} more`.length : 0) > view.width) {
        line += `${i === 0 ? ' — ' : ', '}+${names.length - i} more`;
        break;
      }
      line += next;
    }
    // The first test is always named, cut in its middle when it alone is too long.
    lines.push(paintVerdict(head, group.attribution, view) + cutMiddle(line.slice(head.length), Math.max(view.width - head.length, 8)));
  }
  return lines;
}
