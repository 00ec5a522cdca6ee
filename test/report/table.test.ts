import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { analyze, DEFAULT_WINDOW_MS, loadRules, type Analysis } from '../../src/index.js';
import { renderTable } from '../../src/report/table.js';
import { cutMiddle, shrinkWidest } from '../../src/report/table-fit.js';
import { stdoutView, wantsColour } from '../../src/report/table-style.js';
import { testList } from '../../src/report/summary.js';
import { REPO } from '../helpers.js';

const SAMPLES = path.join(REPO, 'samples');
const scenarios = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();
const analyses = new Map<string, Analysis>();

before(async () => {
  const rules = await loadRules([]);
  for (const scenario of scenarios) {
    analyses.set(scenario, await analyze({ dir: path.join(SAMPLES, scenario), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules }));
  }
});

/** The table's lines: from its head (`id  …`) to the first line that is not a row. */
function tableLines(text: string): string[] {
  const lines = text.split('\n');
  const head = lines.findIndex((line) => line.startsWith('id '));
  const end = lines.findIndex((line, i) => i > head && !/^I\d+ /.test(line));
  return head < 0 ? [] : lines.slice(head, end);
}

describe('the terminal table at a fixed width', () => {
  for (const width of [80, 200]) {
    it(`has one line per incident, no wider than ${width} columns, naming the request, in every sample`, () => {
      let rows = 0;
      for (const [scenario, analysis] of analyses) {
        const text = renderTable(analysis, false, { width, colour: false });
        const table = tableLines(text);
        if (analysis.verdicts.length === 0) {
          assert.equal(table.length, 0, scenario);
          continue;
        }
        assert.equal(table.length, analysis.verdicts.length + 1, `${scenario}: one head and one line per incident\n${text}`);
        for (const line of table) assert.ok([...line].length <= width, `${scenario}: ${line.length} > ${width}: ${line}`);
        assert.match(table[0]!, /\brequest\b/, scenario);
        for (const [r, verdict] of analysis.verdicts.entries()) {
          // The verdict is never cut; a method the incident names is on its line.
          assert.match(table[r + 1]!, new RegExp(`^${verdict.incident.id} .* ${verdict.attribution} `), `${scenario}: ${table[r + 1]}`);
          const method = verdict.incident.method;
          if (method !== undefined) assert.match(table[r + 1]!, new RegExp(`\\b${method} `), `${scenario}: ${table[r + 1]}`);
          rows++;
        }
      }
      assert.ok(rows > 50, `only ${rows} rows`);
    });
  }

  it('shows the whole request where the width allows (sample 29 at 200 columns)', () => {
    const text = renderTable(analyses.get('29-busy-same-second')!, false, { width: 200, colour: false });
    assert.match(text, /request \(http:\/\/127\.0\.0\.1:28580\)/);
    assert.match(text, /GET \/api\/search\/recent\?q=widget/);
  });

  it('begins with the summary: incidents grouped by verdict and cause, with their tests', () => {
    const text = renderTable(analyses.get('29-busy-same-second')!, false, { width: 200, colour: false });
    const [count, first, second] = text.split('\n');
    assert.equal(count, '4 incident(s) in 5 file(s): server 4, proxy-firewall 0, client 0, unknown 0');
    assert.equal(first, '  server/upstream-reset ×3 — tests/test_api.py::test_search_recent, ::test_export_csv, 1 with no test named');
    assert.equal(second, '  server/body-too-large ×1 — no test named');
  });

  it('colours the verdict and the deciding line only when asked', () => {
    const analysis = analyses.get('05-upstream-reset')!;
    const plain = renderTable(analysis, true, { width: 120, colour: false });
    assert.doesNotMatch(plain, /\x1b/);
    const coloured = renderTable(analysis, true, { width: 120, colour: true });
    assert.match(coloured, /\x1b\[31mserver\b/);
    assert.match(coloured, /\x1b\[1m {2}→ nginx\/error\.log:10 /);
    // The colour codes are the only escapes: the rest is the plain text.
    assert.equal(coloured.replace(/\x1b\[\d+m/g, ''), plain);
  });
});

describe('fitting text', () => {
  it('cuts in the middle, keeping both ends', () => {
    assert.equal(cutMiddle('tests/test_api.py::test_export_csv', 15), 'tests/t…ort_csv');
    assert.equal(cutMiddle('short', 15), 'short');
    assert.equal([...cutMiddle('x'.repeat(40), 9)].length, 9);
  });
  it('shrinks the widest column first, never below the minimum', () => {
    assert.deepEqual(shrinkWidest([10, 40, 20], 60, 8), [10, 30, 20]);
    assert.deepEqual(shrinkWidest([10, 40, 30], 50, 8), [10, 20, 20]);
    assert.deepEqual(shrinkWidest([10, 10], 5, 8), [8, 8]);
  });
  it('names a test in the file of the one before it from ::', () => {
    assert.deepEqual(testList(['tests/test_pay.py::test_a', 'tests/test_pay.py::test_b', 'tests/test_x.py::test_c']), ['tests/test_pay.py::test_a', '::test_b', 'tests/test_x.py::test_c']);
  });
});

describe('colour and width from the environment', () => {
  it('colours a terminal, never a pipe, as NO_COLOR and FORCE_COLOR say', () => {
    assert.equal(wantsColour(true, { TERM: 'xterm-256color' }), true);
    assert.equal(wantsColour(false, { TERM: 'xterm-256color' }), false);
    assert.equal(wantsColour(true, { TERM: 'xterm', NO_COLOR: '1' }), false);
    assert.equal(wantsColour(true, { TERM: 'xterm', NO_COLOR: '' }), true, 'no-color.org: an empty NO_COLOR does not count');
    assert.equal(wantsColour(false, { FORCE_COLOR: '1' }), true);
    assert.equal(wantsColour(false, { FORCE_COLOR: '' }), true);
    assert.equal(wantsColour(true, { TERM: 'xterm', FORCE_COLOR: '0' }), false);
    assert.equal(wantsColour(true, { TERM: 'xterm', NO_COLOR: '1', FORCE_COLOR: '1' }), true);
    assert.equal(wantsColour(true, { TERM: 'dumb' }), false);
  });
  it('takes the terminal\'s columns, else COLUMNS, else 120', () => {
    assert.equal(stdoutView({ isTTY: true, columns: 93 }, {}).width, 93);
    assert.equal(stdoutView({ isTTY: false }, { COLUMNS: '150' }).width, 150);
    assert.equal(stdoutView({ isTTY: false }, {}).width, 120);
  });
});
