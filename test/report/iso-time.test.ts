import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTime } from '../../src/report/event-record.js';

describe('isoTime', () => {
  it('writes exactly what Date#toISOString writes, across seconds and millisecond padding', () => {
    const base = Date.parse('2026-11-24T06:40:01Z');
    for (const ms of [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 60_000 + 5]) {
      assert.equal(isoTime(base + ms), new Date(base + ms).toISOString());
      assert.equal(isoTime(base - ms), new Date(base - ms).toISOString());
    }
    assert.equal(isoTime(0), '1970-01-01T00:00:00.000Z');
    assert.equal(isoTime(null), null);
  });
});
