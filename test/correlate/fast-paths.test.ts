import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { EvidenceCollector, isFarSide, type CollectorPartial } from '../../src/correlate/collect.js';
import { discover } from '../../src/discover/discover.js';
import { FALLBACK_FORMAT, FORMATS } from '../../src/parse/formats.js';
import { scanFiles, type FastPaths } from '../../src/parse/scan.js';
import { REPO, tempDir } from '../helpers.js';

/** What the analysis collects from a directory (client side first, as analyze() reads it), with or without the parsers' fast paths. */
async function collect(dir: string, withFastPaths: boolean): Promise<CollectorPartial> {
  const found = await discover(dir, { include: [], exclude: [] }, FORMATS);
  const collector = new EvidenceCollector();
  const fast: FastPaths | undefined = withFastPaths
    ? { ordinary: collector.ordinaryLine.bind(collector), unremarkable: collector.unremarkableLine.bind(collector) }
    : undefined;
  const farSide = found.files.filter((f) => f.format !== undefined && isFarSide(f.format.source));
  const clientSide = found.files.filter((f) => !farSide.includes(f));
  const add = collector.add.bind(collector);
  await scanFiles(clientSide, FALLBACK_FORMAT, add, () => {}, undefined, fast);
  collector.freezeAnchors();
  await scanFiles(farSide, FALLBACK_FORMAT, add, () => {}, undefined, fast);
  return collector.partial();
}

/**
 * The fast paths (a line's fields handed over without an event) must leave the collector exactly
 * as the full events would: same kept events, counts, samples, presence and last client record.
 */
async function assertSameCollection(dir: string): Promise<void> {
  const full = await collect(dir, false);
  const fast = await collect(dir, true);
  assert.ok(full.sources.length > 0, `${dir}: nothing collected`);
  assert.deepStrictEqual(fast, full);
}

describe('parser fast paths', () => {
  let generated: string;
  before(async () => {
    generated = await tempDir();
    // 4 MiB: enough requests per failed path to fill its quota of kept requests.
    await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), generated, '4']);
  });
  after(() => rm(generated, { recursive: true, force: true }));

  it('collect what the full events collect: a generated directory (quotas filled)', async () => {
    const full = await collect(generated, false);
    assert.ok(full.ordinary.length > 0 && full.presence.size > 0, 'the generated directory has failed paths with requests');
    await assertSameCollection(generated);
  });

  it('collect what the full events collect: every sample', async () => {
    const samples = (await readdir(path.join(REPO, 'samples'), { withFileTypes: true })).filter((d) => d.isDirectory() && /^\d\d-/.test(d.name));
    assert.ok(samples.length >= 20);
    for (const sample of samples) await assertSameCollection(path.join(REPO, 'samples', sample.name));
  });
});
