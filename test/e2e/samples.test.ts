import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO, runCli } from '../helpers.js';

interface Expected {
  /**
   * The truth, one per failure. `gap`: whoreset cannot tie this failure yet, and says why it is
   * unknown rather than guessing; an `unknown` verdict for it passes, any other wrong one fails.
   */
  incidents: Array<{ attribution: string; cause: string; test?: string; gap?: string; missing?: string }>;
  /**
   * Where other clients' traffic fails throughout the run (a busy shared server), the far side's own
   * incidents are not listed one by one: `incidents` are then the client's, and every incident the
   * far side opened must have this attribution.
   */
  otherTraffic?: { attribution: string; why: string };
}

const SAMPLES = path.join(REPO, 'samples');
const scenarios = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();

// Every lab sample is the annotation of a real log directory: its verdicts must come out exactly.
describe('samples: verdicts of the real CLI match expected.json', () => {
  it('there are samples to check', () => assert.ok(scenarios.length >= 20, `only ${scenarios.length} samples`));
  for (const scenario of scenarios) {
    it(scenario, async () => {
      const expected = JSON.parse(readFileSync(path.join(SAMPLES, scenario, 'expected.json'), 'utf8')) as Expected;
      const result = await runCli([path.join('samples', scenario), '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      const all = (JSON.parse(result.stdout) as { incidents: Array<{ origin: string; attribution: string; cause: string; test: string | null; reasons: string[] }> }).incidents;
      const other = expected.otherTraffic;
      const got = other ? all.filter((i) => i.origin === 'client') : all;
      if (other) for (const far of all.filter((i) => i.origin !== 'client')) assert.equal(far.attribution, other.attribution, `${scenario}: ${JSON.stringify(far)}`);
      const summary = (list: Array<{ attribution: string; cause: string }>) => list.map((i) => `${i.attribution} ${i.cause}`).sort();
      // A known gap is met by its verdict or by an unknown one (each unknown stands for one gap).
      const unknowns = got.filter((i) => i.attribution === 'unknown').length;
      const gaps = expected.incidents.filter((i) => i.gap !== undefined && !got.some((g) => g.test === (i.test ?? null) && g.cause === i.cause));
      const wanted = expected.incidents.map((i) => (gaps.includes(i) && unknowns > 0 ? { ...i, attribution: 'unknown', cause: got.find((g) => g.attribution === 'unknown')!.cause } : i));
      assert.deepEqual(summary(got), summary(wanted), `verdicts of ${scenario}`);
      for (const want of expected.incidents.filter((i) => i.test !== undefined && !gaps.includes(i))) {
        assert.ok(
          got.some((i) => i.test === want.test && i.cause === want.cause),
          `${scenario}: no incident for ${want.test} with cause ${want.cause}: ${JSON.stringify(got.map((i) => [i.test, i.cause]))}`,
        );
      }
      // An expected unknown says what is missing: the verdict must say it too.
      for (const want of expected.incidents.filter((i) => i.missing !== undefined)) {
        const reasons = got.filter((i) => i.test === (want.test ?? null) && i.cause === want.cause).flatMap((i) => i.reasons);
        assert.ok(reasons.some((r) => r.includes(want.missing!)), `${scenario}: ${want.test} should say "${want.missing}", says ${JSON.stringify(reasons)}`);
      }
    });
  }
});

describe('determinism', () => {
  it('the same directory gives byte-identical JSON and CSV', async () => {
    for (const format of ['json', 'csv']) {
      const a = await runCli(['samples/19-tz-shanghai', '--format', format]);
      const b = await runCli(['samples/19-tz-shanghai', '--format', format]);
      assert.equal(a.stdout, b.stdout);
      assert.ok(a.stdout.length > 0);
    }
  });
});
