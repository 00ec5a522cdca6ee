import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CollectorPartial } from '../../src/correlate/collect.js';
import { joinParts, PART_ITEMS, takeParts } from '../../src/run/partial-parts.js';

/** A partial with lists and maps around PART_ITEMS long (its items stand for events: only their order counts here). */
function partialOf(n: number): CollectorPartial {
  const items = (tag: string, count: number) => Array.from({ length: count }, (_, i) => ({ tag, i }));
  return {
    anchors: items('anchor', n),
    spilled: [],
    notable: items('notable', n + 1),
    configs: items('config', 3),
    farNamesTest: true,
    ordinary: items('ordinary', 2 * n - 1),
    sources: ['client'],
    zonelessSources: [],
    traffic: new Map([
      ['utc', items('sample', 3 * n + 7)],
      ['local', items('sample', 2)],
    ]),
    zoneSeen: new Map([['utc', 0]]),
    activity: new Map([['client', { blocks: new Map([[1, 2]]) }]]),
    presence: new Map(Array.from({ length: n + 5 }, (_, i) => [`nginx\0/api/${i}`, { blocks: new Map([[i, 1]]) }])),
    lastClientRecord: undefined,
  } as unknown as CollectorPartial;
}

/** The partial sent as a worker sends it: every part and the rest copied as a message is. */
function sent(partial: CollectorPartial): { parts: ReturnType<typeof takeParts>; received: CollectorPartial } {
  const parts = takeParts(partial).map((part) => structuredClone(part));
  return { parts, received: joinParts(parts, structuredClone(partial)) };
}

describe('a partial sent in parts', () => {
  for (const n of [0, 1, PART_ITEMS - 1, PART_ITEMS, PART_ITEMS + 1, 3 * PART_ITEMS + 17]) {
    it(`arrives as it was sent, in order (lists of ${n} items)`, () => {
      const { received } = sent(partialOf(n));
      assert.deepEqual(received, partialOf(n));
      assert.deepEqual([...received.presence.keys()], [...partialOf(n).presence.keys()], 'map entries in their order');
    });
  }

  it('puts at most PART_ITEMS items in a part, and as many in what stays', () => {
    const partial = partialOf(5 * PART_ITEMS + 3);
    const parts = takeParts(partial);
    assert.ok(parts.length >= 5 * 4, `${parts.length} parts`);
    for (const part of parts) assert.ok(('entries' in part ? part.entries : part.items).length <= PART_ITEMS);
    for (const list of [partial.anchors, partial.notable, partial.ordinary, partial.traffic.get('utc')!]) assert.ok(list.length <= PART_ITEMS);
    assert.ok(partial.presence.size <= PART_ITEMS);
  });

  it('sends a short partial whole', () => {
    assert.deepEqual(takeParts(partialOf(10)), []);
  });
});
