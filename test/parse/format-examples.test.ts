import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FORMATS } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';

// Every format carries real example lines; each must be recognised and yield what it promises.
describe('format examples', () => {
  it('every format has examples', () => {
    for (const format of FORMATS) assert.ok(format.examples.length > 0, `${format.source} has no examples`);
  });
  for (const format of FORMATS) {
    describe(format.source, () => {
      format.examples.forEach((example, i) => {
        it(`example ${i + 1}: ${example.lines[0]!.slice(0, 70)}`, () => {
          const { events } = parseLines(format, example.lines);
          if (example.expect === null) {
            assert.equal(events.filter((e) => e.kind !== 'other').length, 0, `unexpected ${JSON.stringify(events[0])}`);
            return;
          }
          assert.ok(events.length > 0, `no event from ${example.origin}`);
          const first = events[0]!;
          for (const [key, value] of Object.entries(example.expect)) {
            assert.deepEqual(first[key as keyof typeof first], value, `${key} of ${JSON.stringify(first)}`);
          }
          assert.ok(format.detect(example.lines, 'unnamed') >= 0, 'detect must not throw');
        });
      });
    });
  }
});
