import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lineRanges } from '../../src/run/ranges.js';
import { pythonLoggingFormat } from '../../src/parse/python-logging.js';
import { tempDir } from '../helpers.js';

/** A client log whose records mostly carry a traceback: most line starts are not record starts. */
function clientLog(records: number): string {
  const lines: string[] = [];
  for (let i = 0; i < records; i++) {
    const ms = String(i % 1000).padStart(3, '0');
    lines.push(`2026-11-24 06:00:${String(Math.floor(i / 1000) % 60).padStart(2, '0')},${ms} ERROR tests.conftest: request failed: GET http://127.0.0.1:8080/api/x${i}`);
    lines.push('Traceback (most recent call last):', '  File "/usr/lib/python3.11/site-packages/requests/adapters.py", line 667, in send', '    resp = conn.urlopen(');
    lines.push("requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))");
  }
  return lines.join('\n') + '\n';
}

describe('lineRanges', () => {
  it('cuts a Python log only before record headers, and the ranges cover the file', async () => {
    const dir = await tempDir();
    try {
      const file = path.join(dir, 'client.log');
      await writeFile(file, clientLog(2000));
      const bytes = await readFile(file);
      const splittable = pythonLoggingFormat.splittable;
      assert.ok(splittable !== undefined && splittable !== true);
      const ranges = lineRanges(file, bytes.length, 7, splittable.cutBefore);
      assert.ok(ranges.length >= 5, `${ranges.length} ranges`);
      assert.equal(ranges[0]!.start, 0);
      assert.equal(ranges.at(-1)!.end, bytes.length);
      for (let i = 1; i < ranges.length; i++) {
        assert.equal(ranges[i]!.start, ranges[i - 1]!.end);
        assert.equal(bytes[ranges[i]!.start - 1], 10, 'a range starts at a line start');
        assert.match(bytes.toString('utf8', ranges[i]!.start, ranges[i]!.start + 30), /^2026-11-24 06:00:\d\d,\d{3} ERROR/);
      }
      // Without the record test the same shares fall inside tracebacks.
      const anyLine = lineRanges(file, bytes.length, 7);
      assert.ok(anyLine.some((r, i) => i > 0 && !bytes.toString('utf8', r.start, r.start + 4).startsWith('2026')));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('does not cut where no record starts within reach', async () => {
    const dir = await tempDir();
    try {
      const file = path.join(dir, 'client.log');
      const header = '2026-11-24 06:00:00,000 ERROR tests.conftest: one huge traceback\n';
      await writeFile(file, header + '  frame line of a traceback\n'.repeat(200_000));
      const size = (await readFile(file)).length;
      const splittable = pythonLoggingFormat.splittable as { cutBefore(line: string): boolean };
      assert.deepEqual(lineRanges(file, size, 4, splittable.cutBefore), [{ start: 0, end: size }]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
