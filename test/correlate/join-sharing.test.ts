import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Incident } from '../../src/correlate/incident.js';
import { joinOf, JoinSharing } from '../../src/correlate/join.js';
import type { ConnectionEvent } from '../../src/model/event.js';

const T = Date.UTC(2026, 10, 24, 6, 0, 0);

function event(line: number, dtMs: number): ConnectionEvent {
  return {
    id: `nginx/error.log:${line}`,
    source: 'nginx-error',
    kind: 'upstream-reset',
    time: T + dtMs,
    timeQuality: 'exact',
    file: 'nginx/error.log',
    line,
    excerpt: `line ${line}`,
    method: 'GET',
    path: '/api/items',
  };
}

/**
 * A far-side failure has dozens of joins and an error log of failures holds a million of them:
 * joins saying the same keys and the same words share one list and one string.
 */
describe('joins', () => {
  it('share one list of keys and one tie text when they say the same', () => {
    const anchor = event(1, 0);
    const incident: Incident = {
      id: '', origin: 'server', time: T, span: { from: T, to: T + 1000 }, timeQuality: 'exact', anchor, records: [anchor],
      method: 'GET', path: '/api/items', joined: [], witnesses: [], sourcesPresent: [],
    };
    const sharing = new JoinSharing();
    const a = joinOf(incident, event(2, 5000), 10_000, sharing)!;
    const b = joinOf(incident, event(3, 6000), 10_000, sharing)!;
    assert.deepEqual(a.keys, ['method', 'path']);
    assert.equal(a.tie, 'same path, another request');
    assert.equal(a.keys, b.keys, 'one list of keys');
    assert.equal(a.tie, b.tie);
    assert.notEqual(a.dtMs, b.dtMs);
    // One analysis's sharing is its own: another's makes its own list (issue 16: no module-level state).
    assert.notEqual(joinOf(incident, event(4, 7000), 10_000, new JoinSharing())!.keys, a.keys);
  });
});
