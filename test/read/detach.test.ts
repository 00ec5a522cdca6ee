import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { detach } from '../../src/read/detach.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection. */
function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

describe('detach', () => {
  it('copies text exactly, a lone surrogate and an empty string too', () => {
    for (const text of ['', 'a', 'GET', 'x'.repeat(13), 'caf\u00e9 \u{1f600}', 'cut \ud83d', '\udc00 tail', 'line\0with NUL']) assert.equal(detach(text), text);
  });

  it('keeps none of the chunk a slice was cut from', () => {
    const before = heapAfterGc();
    const kept: string[] = [];
    // 64 chunks of 1 MiB (each its own string), a 40-character slice of each kept.
    for (let i = 0; i < 64; i++) {
      const chunk = `${i} `.padEnd(1024 * 1024, String.fromCharCode(97 + (i % 26))) + i;
      kept.push(detach(chunk.slice(1000, 1040)));
    }
    const grown = heapAfterGc() - before;
    assert.equal(kept.length, 64);
    assert.ok(grown < 8 * 1024 * 1024, `the heap grew ${(grown / 1048576).toFixed(1)} MiB: the slices pin their chunks`);
  });
});
