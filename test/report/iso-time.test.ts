import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoTime, spreadsheetTime } from '../../src/report/event-record.js';

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

describe('spreadsheetTime', () => {
  it('writes the ISO instant with a space for the T and no Z, which LibreOffice and Excel read as a date-time', () => {
    const ms = Date.parse('2026-11-24T23:06:24.814Z');
    assert.equal(spreadsheetTime(ms), '2026-11-24 23:06:24.814');
    assert.equal(spreadsheetTime(ms - 814), '2026-11-24 23:06:24.000');
    assert.equal(spreadsheetTime(null), null);
  });
  it('keeps the ISO form where it has no fixed 24-character form', () => {
    assert.equal(spreadsheetTime(-1), new Date(-1).toISOString());
    assert.equal(spreadsheetTime(253402300800000), new Date(253402300800000).toISOString());
  });
});
