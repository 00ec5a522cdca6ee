import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadRules } from '../../src/attribute/load.js';
import { DECISIVE_LINKS, type Link } from '../../src/correlate/incident.js';
import { REPO, runCli } from '../helpers.js';

const rules = await loadRules([]);
const decisive = (links: readonly Link[] | undefined) => (links ?? DECISIVE_LINKS).every((link) => DECISIVE_LINKS.includes(link));

describe('no verdict rests on a time-only link', () => {
  it('every rule that needs joined evidence needs at least one line tied by a decisive link', () => {
    for (const rule of rules) {
      const present = rule.when.present ?? [];
      if (present.length === 0) continue;
      assert.ok(present.some((condition) => decisive(condition.link)), `${rule.id}: every condition accepts a time-only or path-only line`);
    }
  });

  const samples = readdirSync(path.join(REPO, 'samples')).filter((name) => existsSync(path.join(REPO, 'samples', name, 'expected.json'))).sort();
  it("every sample's deciding evidence holds a line tied by a decisive link", async () => {
    let decided = 0;
    for (const sample of samples) {
      const { stdout, stderr, code } = await runCli([path.join('samples', sample), '--format', 'json']);
      // 1: a --fail-on verdict; anything else is a failed run, its stderr the reason.
      assert.ok(code <= 1 && stdout.length > 0, `${sample}: exit ${code}, ${stdout.length} bytes of output: ${stderr}`);
      const incidents = (JSON.parse(stdout) as { incidents: Array<{ id: string; ruleId: string | null; evidence: Array<{ decisive: boolean; link?: Link; file: string; line: number }> }> }).incidents;
      for (const incident of incidents) {
        const deciding = incident.evidence.filter((e) => e.decisive);
        if (incident.ruleId === null || deciding.length === 0) continue;
        decided++;
        // The failure's own record (no link) or a joined line with a decisive link.
        assert.ok(
          deciding.some((e) => e.link === undefined || DECISIVE_LINKS.includes(e.link)),
          `${sample} ${incident.id} (${incident.ruleId}) rests on ${deciding.map((e) => `${e.file}:${e.line} ${e.link}`).join(', ')}`,
        );
      }
    }
    assert.ok(decided > 40, `only ${decided} decided incidents`);
  });
});
