import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WallClock, wallClockAt } from '../../src/parse/timestamps.js';

// WallClock remembers the last second it read; what it returns must be what wallClockAt reads afresh.
describe('WallClock', () => {
  const lines: [string, number][] = [
    ['2026-11-24 06:40:01,123 INFO x', 0],
    ['2026-11-24 06:40:01,456 INFO x', 0],
    ['2026-11-24 06:40:01 INFO no fraction', 0],
    ['2026/11/24 06:40:02 [error] 12#12: *5 …', 0],
    ['[2026-11-24T06:40:03.5] bracketed', 1],
    ['2026-02-30 06:40:03,000 no such day', 0],
    ['2026-11-24 06:40:0', 0],
    ['not a time at all, but long enough', 0],
    ['2026-11-24 06:40:01.999 back a second', 0],
  ];

  it('reads each line as wallClockAt does, whatever came before', () => {
    const clock = new WallClock();
    for (const [text, at] of lines) assert.equal(clock.at(text, at), wallClockAt(text, at), text);
    assert.equal(wallClockAt(lines[0]![0]), Date.UTC(2026, 10, 24, 6, 40, 1, 123));
    assert.equal(wallClockAt(lines[5]![0]), undefined);
  });

  it('keeps its memory to itself: one reader does not answer for another', () => {
    const a = new WallClock();
    const b = new WallClock();
    assert.equal(a.at('2026-11-24 06:40:01,100'), Date.UTC(2026, 10, 24, 6, 40, 1, 100));
    assert.equal(b.at('2025-01-02 03:04:05,006'), Date.UTC(2025, 0, 2, 3, 4, 5, 6));
    assert.equal(a.at('2026-11-24 06:40:01,200'), Date.UTC(2026, 10, 24, 6, 40, 1, 200));
  });
});
