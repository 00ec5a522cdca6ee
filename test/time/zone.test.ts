import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseZone } from '../../src/time/zone.js';

const wall = (iso: string) => Date.parse(`${iso}Z`);

describe('parseZone', () => {
  it('reads fixed offsets in both spellings', () => {
    assert.equal(parseZone('+08:00')!.toUtc(wall('2026-11-24T14:40:01')), Date.parse('2026-11-24T06:40:01Z'));
    assert.equal(parseZone('-0530')!.toUtc(wall('2026-11-24T01:10:01')), Date.parse('2026-11-24T06:40:01Z'));
  });
  it('reads IANA zones, DST-correct on both sides of the change', () => {
    const ny = parseZone('America/New_York')!;
    assert.equal(ny.toUtc(wall('2026-07-01T12:00:00')), Date.parse('2026-07-01T16:00:00Z'));
    assert.equal(ny.toUtc(wall('2026-11-24T12:00:00')), Date.parse('2026-11-24T17:00:00Z'));
    // 2026-11-01 01:59 EDT is followed by 01:00 EST; 03:00 is well after the change.
    assert.equal(ny.toUtc(wall('2026-11-01T03:00:00')), Date.parse('2026-11-01T08:00:00Z'));
    assert.equal(ny.fromUtc(Date.parse('2026-07-01T16:00:00Z')), wall('2026-07-01T12:00:00'));
  });
  it('refuses what is not a zone', () => {
    assert.equal(parseZone('Mars/Olympus'), undefined);
  });
});
