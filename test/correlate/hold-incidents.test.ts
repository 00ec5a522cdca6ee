import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { holdIncidents } from '../../src/correlate/correlate.js';
import { mergeIntoIncidents } from '../../src/correlate/merge.js';
import { removeRuns, type SpilledRun } from '../../src/correlate/spill.js';
import type { ConnectionEvent } from '../../src/model/event.js';

const T0 = Date.parse('2026-11-24T06:40:00Z');

/** Client-log failures, one a second, and a pytest section without a time: records of every shape merge.ts makes. */
function incidents(n: number) {
  const anchors: ConnectionEvent[] = [];
  for (let i = 0; i < n; i++) {
    anchors.push({
      id: `client.log:${i + 1}`,
      source: 'client',
      kind: i % 2 === 0 ? 'reset' : 'remote-disconnected',
      time: T0 + i * 60_000,
      timeQuality: 'inferred',
      zoneless: true,
      file: 'client.log',
      line: i + 1,
      excerpt: `requests.exceptions.ConnectionError: ('Connection aborted.', … ${i}) \u2028 \ud800`,
      path: i % 3 === 0 ? undefined : `/api/items/${i}`,
      errno: i % 2 === 0 ? 104 : undefined,
      pooled: i % 2 === 0 ? undefined : { host: '127.0.0.1', port: 8080, idleMs: 5001, since: { id: `client.log:${i}`, line: i, excerpt: 'GET /api/x' }, threaded: false },
    });
  }
  anchors.push({ id: 'pytest.log:9', source: 'pytest', kind: 'reset', time: null, timeQuality: 'none', file: 'pytest.log', line: 9, excerpt: 'E   ConnectionResetError', test: 'tests/t.py::test_z' });
  return mergeIntoIncidents(anchors, 10_000);
}

describe('holdIncidents', () => {
  it('reads back from disk, past the bound, the incidents it was given: same fields in the same order, the anchor one of the records', () => {
    const expected = incidents(9);
    const runs: SpilledRun[] = [];
    try {
      const held = holdIncidents(incidents(9), 3, runs);
      assert.equal(runs.length, 1);
      assert.ok(existsSync(runs[0]!.file));
      assert.deepEqual(held.untimed.map((incident) => incident.id), expected.filter((incident) => incident.time === null).map((incident) => incident.id));
      const timed = [...held.timed];
      const expectedTimed = expected.filter((incident) => incident.time !== null);
      assert.equal(timed.length, 9);
      timed.forEach((incident, i) => {
        // JSON text compares values and key order; undefined fields are kept as keys, as toIncident has them.
        assert.equal(JSON.stringify(incident), JSON.stringify(expectedTimed[i]));
        assert.deepEqual(Object.keys(incident), Object.keys(expectedTimed[i]!));
        assert.ok(incident.records.includes(incident.anchor));
        assert.equal(incident.records.indexOf(incident.anchor), expectedTimed[i]!.records.indexOf(expectedTimed[i]!.anchor));
      });
    } finally {
      removeRuns(runs);
    }
    assert.ok(!existsSync(runs[0]!.file));
  });

  it('keeps them in memory up to the bound', () => {
    const runs: SpilledRun[] = [];
    const given = incidents(3);
    const timed = given.filter((incident) => incident.time !== null);
    const held = holdIncidents(given, 3, runs);
    assert.equal(runs.length, 0);
    assert.deepEqual([...held.timed], timed);
    assert.equal(given.length, 0, 'handed over');
  });
});
