import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import '../force-workers.js';
import { analyze } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { renderIncidents } from '../../src/report/incident-writer.js';
import { WorkerPool } from '../../src/run/pool.js';
import { CLI, REPO, tempDir } from '../helpers.js';

const SAMPLES = path.join(REPO, 'samples');

/**
 * The far side is swept in time order, its events spilled to disk past a few thousand held: the
 * verdicts must be those of the whole far side in memory, whatever is spilled and whoever reads.
 */
describe('the far side swept with the window', () => {
  it('gives the same report with every notable event spilled as with none, with --jobs 1 and 4', async () => {
    const rules = await loadRules([]);
    const pool = new WorkerPool(4);
    const dirs = (await readdir(SAMPLES, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => path.join(SAMPLES, e.name));
    let spilledFarSides = 0;
    try {
      for (const dir of dirs) {
        const base = { dir, include: [], exclude: [], zones: new Map(), windowMs: 10_000, rules };
        const whole = renderIncidents(await analyze({ ...base, jobs: 1 }), 'json', false);
        for (const extra of [{ jobs: 1 }, { jobs: 4, pool }]) {
          const spilled = await analyze({ ...base, ...extra, spillEvents: 1 });
          assert.equal(renderIncidents(spilled, 'json', false), whole, `${path.basename(dir)} spilled, --jobs ${extra.jobs}`);
        }
        if ((JSON.parse(whole) as { incidents: Array<{ origin: string }> }).incidents.some((i) => i.origin !== 'client')) spilledFarSides++;
      }
    } finally {
      await pool.close();
    }
    // The samples hold far-side incidents of their own: the sweep decided some (not only the client's).
    assert.ok(spilledFarSides > 0);
  });

  describe('an nginx error log of nothing but failures', () => {
    let dir = '';
    let spillRoot = '';
    before(async () => {
      dir = await tempDir();
      spillRoot = await tempDir('whoreset-spill-root-');
      // 16 MiB: about 62,000 failure lines. Main before the sweep held them all (and their incidents'
      // joins) until the rules ran, and died at this heap limit (exit 134).
      await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), dir, '16', '--shape', 'errors']);
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
      await rm(spillRoot, { recursive: true, force: true });
    });

    it('is analysed within a heap that follows the window, not the failures, and leaves no temporary file', async () => {
      const report = path.join(spillRoot, 'report.ndjson');
      const out = createWriteStream(report);
      await new Promise((resolve) => out.on('open', resolve));
      const tmp = path.join(spillRoot, 'tmp');
      await mkdir(tmp);
      const code = await new Promise<number | null>((resolve) => {
        // Into a file through this process: the child's stdout is a pipe, as in CI.
        const child = spawn(process.execPath, ['--max-old-space-size=64', CLI, dir, '--format', 'ndjson', '--jobs', '1'], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'ignore'] });
        child.stdout.pipe(out, { end: false });
        child.on('close', (exitCode) => resolve(exitCode));
      });
      await new Promise((resolve) => out.end(resolve));
      assert.equal(code, 0, 'exit code (134: the V8 heap limit)');
      const incidents = (await readFile(report, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as { id: string; origin: string; evidence: unknown[] });
      assert.ok(incidents.length > 1000, `${incidents.length} incidents`);
      assert.deepEqual(
        incidents.slice(0, 3).map((i) => i.id),
        ['I1', 'I2', 'I3'],
      );
      assert.ok(incidents.every((i) => i.origin === 'server' && i.evidence.length > 0));
      assert.deepEqual(await readdir(tmp), [], 'the spilled runs are removed');
    });
  });
});
