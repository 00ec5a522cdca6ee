import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { analysisParallelMinBytes, PARALLEL_MIN_BYTES, runnersFor } from '../../src/run/pool.js';

const MIB = 1024 * 1024;

describe('how many runners a job deserves', () => {
  it('the analysis stays in one thread on two cores or fewer, where a worker costs more than it gains', () => {
    assert.equal(analysisParallelMinBytes(2), Number.POSITIVE_INFINITY);
    assert.equal(analysisParallelMinBytes(1), Number.POSITIVE_INFINITY);
    assert.equal(runnersFor(400 * MIB, 2, analysisParallelMinBytes(2)), 1);
    assert.equal(runnersFor(64 * 1024 * MIB, 2, analysisParallelMinBytes(2)), 1);
  });
  it('with more cores, and for `events` on any machine, workers from 16 MiB', () => {
    assert.equal(PARALLEL_MIN_BYTES, 16 * MIB);
    assert.equal(analysisParallelMinBytes(4), PARALLEL_MIN_BYTES);
    assert.equal(runnersFor(100 * MIB, 4, analysisParallelMinBytes(4)), 4);
    assert.equal(runnersFor(100 * MIB, 2), 2);
    assert.equal(runnersFor(8 * MIB, 2), 1);
  });
  it('WHORESET_PARALLEL_MIN_BYTES (the tests\' switch to workers on small jobs) sets both thresholds', async () => {
    const pool = new URL('../../src/run/pool.js', import.meta.url).href;
    const script = `const p = await import(${JSON.stringify(pool)}); console.log(p.PARALLEL_MIN_BYTES, p.analysisParallelMinBytes(2))`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, WHORESET_PARALLEL_MIN_BYTES: '1' } });
    assert.equal(stdout.trim(), '1 1');
  });
});
