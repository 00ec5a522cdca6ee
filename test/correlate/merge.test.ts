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
    const retries = [0, 200, 600].map((dt) => ev({ source: 'client', kind: 'reset', path: '/api/a', time: T0 + dt, timeQuality: 'inferred' }));
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
