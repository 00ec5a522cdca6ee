import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analyze.js';
import { evaluate } from '../../src/attribute/evaluate.js';
import { incidentFromFixture } from '../../src/attribute/fixture.js';
import { loadRules } from '../../src/attribute/load.js';
import { RuleIndex } from '../../src/attribute/rule-index.js';
import { EVENT_KINDS, EVENT_SOURCES } from '../../src/attribute/vocabulary.js';
import { decide, nearMisses } from '../../src/attribute/verdict.js';
import type { Incident } from '../../src/correlate/incident.js';
import { BUILT_IN_SIDES } from '../../src/parse/formats.js';
import { REPO } from '../helpers.js';

const rules = await loadRules([]);

/** Every rule's own examples (each a failure some rule is about), and the incidents of samples of each side. */
async function incidents(): Promise<Incident[]> {
  const fixtures = rules.flatMap((rule) => [...rule.examples.match, ...rule.examples.noMatch]).map((fixture) => incidentFromFixture(fixture, BUILT_IN_SIDES));
  const samples = ['03-nginx-444', '05-upstream-reset', '12-firewall-reset', '16-stale-keepalive', '18-no-server-logs', '23-squid-denied', '42-far-haproxy-sd', '50-parallel-resets'];
  const analyses = await Promise.all(
    samples.map((sample) => analyze({ dir: path.join(REPO, 'samples', sample), include: [], exclude: [], zones: new Map(), windowMs: 10_000, rules })),
  );
  return [...fixtures, ...analyses.flatMap((analysis) => analysis.verdicts.flatMap((verdict) => verdict.members))];
}

// The index is a shortcut: an incident must get the verdict and the near misses that trying every rule gives.
describe('RuleIndex', () => {
  it('leaves out only rules that fail at the context or the anchor (fitting), or cannot match (matchable), in the rules\' order', async () => {
    const index = new RuleIndex(rules);
    const left = { fitting: 0, matchable: 0 };
    for (const incident of await incidents()) {
      const fitting = index.fitting(incident);
      const matchable = index.matchable(incident);
      assert.deepEqual(fitting, rules.filter((rule) => fitting.includes(rule)), `${incident.anchor.excerpt}: the rules' order`);
      assert.deepEqual(matchable, fitting.filter((rule) => matchable.includes(rule)), `${incident.anchor.excerpt}: matchable among fitting, in order`);
      for (const rule of rules) {
        const outcome = evaluate(rule, incident);
        if (!fitting.includes(rule)) {
          left.fitting++;
          assert.ok(!outcome.matched && (outcome.stage === 'context' || outcome.stage === 'anchor'), `${rule.id} left out of ${incident.anchor.excerpt}, yet it gets past the anchor`);
        } else if (!matchable.includes(rule)) {
          left.matchable++;
          assert.ok(!outcome.matched, `${rule.id} left out of ${incident.anchor.excerpt}, yet it matches`);
        }
      }
    }
    assert.ok(left.fitting > 0 && left.matchable > 0, `the index leaves out too little: ${JSON.stringify(left)}`);
  });

  it('keys sets of sources and kinds by names without a space or a comma', () => {
    for (const name of [...EVENT_KINDS, ...EVENT_SOURCES]) assert.match(name, /^[a-z][a-z0-9-]*$/);
  });

  it('gives the verdicts and the near misses of trying every rule', async () => {
    const index = new RuleIndex(rules);
    let matched = 0;
    for (const incident of await incidents()) {
      const verdict = decide(incident, index.matchable(incident));
      assert.deepEqual(verdict, decide(incident, rules), incident.anchor.excerpt);
      if (verdict.ruleId !== null) matched++;
      const misses = (list: ReturnType<typeof nearMisses>) => list.map(({ ruleId, failed, stage }) => `${ruleId} ${stage}: ${failed}`);
      assert.deepEqual(misses(nearMisses(incident, index.fitting(incident))), misses(nearMisses(incident, rules)), incident.anchor.excerpt);
    }
    assert.ok(matched > 0, 'no incident matched a rule');
  });
});
