import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { estimateOffset, formatDuration, type TrafficSample } from '../../src/time/offset.js';

const T0 = Date.parse('2026-11-24T06:40:00Z');

/** Requests on the client's clock, and the same requests as a server with another clock logs them. */
function pair(offsetMs: number, n = 40): { client: TrafficSample[]; server: TrafficSample[] } {
  const client: TrafficSample[] = [];
  const server: TrafficSample[] = [];
  for (let i = 0; i < n; i++) {
    const key = `GET /api/items/${i % 7} ${i % 11 === 0 ? 404 : 200}`;
    const t = T0 + i * 250;
    client.push({ key, time: t, zoneless: true });
    server.push({ key, time: t + offsetMs - 3 - (i % 5), zoneless: true }); // the server logs a few ms earlier
  }
  return { client, server };
}

describe('estimateOffset', () => {
  it('finds a whole-hour zone and reads it as a zone', () => {
    const { client, server } = pair(8 * 3_600_000);
    const offset = estimateOffset('nginx', 'client', client, server)!;
    assert.equal(offset.zoneMs, 8 * 3_600_000);
    assert.ok(Math.abs(offset.skewMs) < 10, `skew ${offset.skewMs}`);
    assert.ok(offset.matched >= 30);
  });
  it('separates a few seconds of skew from the zone', () => {
    const { client, server } = pair(8 * 3_600_000 + 2_100);
    const offset = estimateOffset('nginx', 'client', client, server)!;
    assert.equal(offset.zoneMs, 8 * 3_600_000);
    assert.ok(Math.abs(offset.skewMs - 2_100) < 10, `skew ${offset.skewMs}`);
    assert.match(formatDuration(offset.offsetMs), /^\+ 8h00m02\.\ds$/);
  });
  it('finds a negative skew with no zone', () => {
    const { client, server } = pair(-4_000);
    const offset = estimateOffset('nginx', 'client', client, server)!;
    assert.equal(offset.zoneMs, 0);
    assert.ok(Math.abs(offset.skewMs + 4_000) < 10);
  });
  it('says nothing when the two sides share no requests', () => {
    const { client } = pair(0);
    const other = client.map((s) => ({ ...s, key: s.key.replace('/api', '/other') }));
    assert.equal(estimateOffset('nginx', 'client', client, other), undefined);
  });
});
