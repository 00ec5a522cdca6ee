import type { SourceSides } from '../model/event.js';
import { BUILT_IN_SIDES } from '../parse/formats.js';
import { evaluate } from './evaluate.js';
import { incidentFromFixture } from './fixture.js';
import type { Rule } from './rule.js';

export interface ExampleResult {
  ruleId: string;
  name: string;
  expected: 'match' | 'noMatch';
  passed: boolean;
  /** Why it failed: the condition that did not hold, or that it matched when it must not. */
  detail: string;
}

/**
 * Runs every rule's own examples, the way ESLint's RuleTester runs valid and invalid cases.
 * `sides`: the run's (runFormats(declared).sides) when rules name declared formats' sources.
 */
export function runRuleExamples(rules: readonly Rule[], sides: SourceSides = BUILT_IN_SIDES): ExampleResult[] {
  const results: ExampleResult[] = [];
  for (const rule of rules) {
    for (const [expected, fixtures] of [['match', rule.examples.match], ['noMatch', rule.examples.noMatch]] as const) {
      for (const fixture of fixtures) {
        const outcome = evaluate(rule, incidentFromFixture(fixture, sides));
        const passed = outcome.matched === (expected === 'match');
        results.push({
          ruleId: rule.id,
          name: fixture.name,
          expected,
          passed,
          detail: passed ? '' : outcome.matched ? 'matched, but must not' : `did not match: ${outcome.failed()}`,
        });
      }
    }
  }
  return results;
}
