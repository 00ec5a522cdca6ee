import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/discover.js';
import { FORMATS, runFormats } from '../../src/parse/formats.js';
import { probeClocks } from '../../src/run/probe.js';
import { tempDir } from '../helpers.js';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

function accessLine(second: number): string {
  const d = new Date(T0 + second * 1000 + 8 * 3_600_000); // the wall clock of a +08:00 zone
  const p = (n: number) => String(n).padStart(2, '0');
  return `127.0.0.1 - - [${p(d.getUTCDate())}/Nov/2026:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0800] "GET /api/items/${second % 7} HTTP/1.1" 200 17 "-" "python-requests/2.32.3"`;
}

describe('clock probe', () => {
  it("reads a far file's head until its clock has the requests the estimate uses, and no further", async () => {
    const dir = await tempDir();
    try {
      await mkdir(path.join(dir, 'nginx'), { recursive: true });
      const seconds = 40_000;
      await writeFile(path.join(dir, 'nginx', 'access.log'), Array.from({ length: seconds }, (_, i) => accessLine(i)).join('\n') + '\n');
      const found = await discover(dir, { include: [], exclude: [] }, FORMATS);
      const probe = await probeClocks(found.files, runFormats());
      assert.equal(probe.sampleSize('nginx'), 20_000);
      assert.equal(probe.zoneSeen.get('nginx'), 480, 'the zone printed in the stamps');
      const second = (s: number) => Math.floor((T0 + s * 1000) / 1000);
      assert.equal(probe.activeIn('nginx-access', second(100), second(100)), true);
      assert.equal(probe.activeIn('nginx-access', second(seconds - 1), second(seconds - 1)), false, 'the end of the file is not read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
