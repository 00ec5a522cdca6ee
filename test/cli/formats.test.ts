import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FORMATS } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';
import { runCli, tempDir } from '../helpers.js';

// One directory, one file per format built from that format's own real example lines, under names
// that say nothing: each file must be recognised by content and its events carry its source.
describe('whoreset events on one file of each format', () => {
  it('attributes every file to its format', async () => {
    const dir = await tempDir();
    const expected = new Map<string, Set<string>>();
    for (const [i, format] of FORMATS.entries()) {
      const file = `artifact-${String(i).padStart(2, '0')}.txt`;
      const lines = format.examples.filter((e) => e.expect !== null).flatMap((e) => e.lines);
      await writeFile(path.join(dir, file), lines.join('\n') + '\n');
      // What the format itself makes of these lines (a syslog file routes to haproxy and firewall).
      expected.set(file, new Set(parseLines(format, lines).events.map((e) => e.source)));
    }
    const result = await runCli(['events', dir, '--format', 'ndjson']);
    assert.equal(result.code, 0, result.stderr);
    const events = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { file: string; source: string; kind: string });
    for (const [file, sources] of expected) {
      const mine = events.filter((e) => e.file === file);
      assert.ok(mine.length > 0, `${file} (${[...sources].join('|')}) gave no events`);
      const wrong = mine.filter((e) => !sources.has(e.source));
      assert.deepEqual(wrong.map((e) => e.source), [], `${file} should be ${[...sources].join('|')}`);
    }
  });
});
