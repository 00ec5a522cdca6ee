import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeIntoIncidents } from '../../src/correlate/merge.js';
import type { ConnectionEvent } from '../../src/model/event.js';

const T0 = Date.parse('2026-11-24T06:40:00Z');
let line = 0;
function ev(fields: Partial<ConnectionEvent> & Pick<ConnectionEvent, 'source' | 'kind'>): ConnectionEvent {
  line++;
  const file = fields.source === 'pytest' ? 'pytest.log' : 'client.log';
  return { id: `${file}:${line}`, file, line, excerpt: '', time: null, timeQuality: 'none', ...fields };
}

describe('mergeIntoIncidents', () => {
  it('merges a test section and its client-log record, borrowing the time', () => {
    const incidents = mergeIntoIncidents(
      [
        ev({ source: 'pytest', kind: 'reset', test: 'tests/t.py::test_a', path: '/api/a', errnoName: 'ECONNRESET' }),
        ev({ source: 'client', kind: 'reset', path: '/api/a', time: T0, timeQuality: 'inferred' }),
      ],
      10_000,
    );
    assert.equal(incidents.length, 1);
    assert.equal(incidents[0]!.time, T0);
    assert.equal(incidents[0]!.timeQuality, 'inferred');
    assert.equal(incidents[0]!.test, 'tests/t.py::test_a');
    assert.equal(incidents[0]!.records.length, 2);
  });

  it('counts urllib3 retries of one request once, and a later failure of the same path again', () => {
    // Two "Retrying" warnings, then the failure they announce; a minute later, another failure.
    const retries = [0, 200, 600].map((dt) => ev({ source: 'client', kind: 'reset', path: '/api/a', time: T0 + dt, timeQuality: 'inferred', retry: dt < 600 }));
    const later = ev({ source: 'client', kind: 'reset', path: '/api/a', time: T0 + 60_000, timeQuality: 'inferred' });
    const incidents = mergeIntoIncidents([...retries, later], 10_000);
    assert.deepEqual(incidents.map((i) => i.records.length), [3, 1]);
    assert.deepEqual(incidents.map((i) => i.id), ['I1', 'I2']);
  });

  it('joins a timed test record only to a client record inside the window', () => {
    const test = ev({ source: 'pytest', kind: 'reset', test: 'tests/t.py::test_b', path: '/api/b', time: T0, timeQuality: 'exact' });
    const inside = ev({ source: 'client', kind: 'reset', path: '/api/b', time: T0 + 9_999, timeQuality: 'inferred' });
    assert.equal(mergeIntoIncidents([test, inside], 10_000).length, 1);
    const outside = ev({ source: 'client', kind: 'reset', path: '/api/b', time: T0 + 10_001, timeQuality: 'inferred' });
    assert.equal(mergeIntoIncidents([test, outside], 10_000).length, 2);
  });

  it('keeps two failures of one path apart when no retry warning links them', () => {
    const a = ev({ source: 'client', kind: 'remote-disconnected', path: '/api/items', time: T0, timeQuality: 'inferred' });
    const b = ev({ source: 'client', kind: 'remote-disconnected', path: '/api/items', time: T0 + 2_000, timeQuality: 'inferred' });
    assert.equal(mergeIntoIncidents([a, b], 10_000).length, 2);
  });

  it('joins a reporter\'s record of a test with the failure it reports, not with earlier ones', () => {
    const earlier = ev({ source: 'client', kind: 'remote-disconnected', path: '/api/items', time: T0, timeQuality: 'inferred' });
    const failure = ev({ source: 'client', kind: 'remote-disconnected', path: '/api/items', time: T0 + 5_000, timeQuality: 'inferred' });
    const reported = ev({ source: 'client', kind: 'remote-disconnected', test: 'tests/t.py::test_poll', time: T0 + 5_200, timeQuality: 'inferred' });
    const section = ev({ source: 'pytest', kind: 'remote-disconnected', test: 'tests/t.py::test_poll' });
    const incidents = mergeIntoIncidents([earlier, failure, reported, section], 10_000);
    assert.deepEqual(incidents.map((i) => i.records.length), [1, 3]);
    assert.equal(incidents[1]!.time, T0 + 5_000);
  });

  it('keeps failures of different paths or kinds apart', () => {
    const incidents = mergeIntoIncidents(
      [
        ev({ source: 'pytest', kind: 'read-timeout', test: 'tests/t.py::test_c', path: '/api/c' }),
        ev({ source: 'client', kind: 'reset', path: '/api/c', time: T0, timeQuality: 'inferred' }),
        ev({ source: 'client', kind: 'read-timeout', path: '/api/other', time: T0 + 1, timeQuality: 'inferred' }),
      ],
      10_000,
    );
    assert.equal(incidents.length, 3);
  });

  it('merges a test\'s section and JUnit records by test id, and never merges two INTERNALERROR blocks', () => {
    const incidents = mergeIntoIncidents(
      [
        ev({ source: 'pytest', kind: 'reset', test: 'tests/t.py::test_d' }),
        { ...ev({ source: 'junit', kind: 'reset', test: 'tests/t.py::test_d', time: T0, timeQuality: 'inferred' }), file: 'junit.xml' },
        ev({ source: 'pytest', kind: 'reset', test: 'INTERNALERROR' }),
        ev({ source: 'pytest', kind: 'reset', test: 'INTERNALERROR' }),
      ],
      10_000,
    );
    assert.deepEqual(incidents.map((i) => i.records.length).sort(), [1, 1, 2]);
  });
});
