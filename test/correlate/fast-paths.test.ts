import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { collect as collectSides, DEFAULT_WINDOW_MS, sidesOf } from '../../src/analyze.js';
import { EvidenceCollector, type CollectorPartial } from '../../src/correlate/collect.js';
import { discover } from '../../src/discover/discover.js';
import { BUILT_IN_SIDES, FORMATS, runFormats } from '../../src/parse/formats.js';
import { scanFiles, type FastPaths } from '../../src/run/scan.js';
import { REPO, tempDir } from '../helpers.js';

/** What the analysis collects from a directory (client side first, as analyze() reads it), with or without the parsers' fast paths. */
async function collect(dir: string, withFastPaths: boolean): Promise<CollectorPartial> {
  const found = await discover(dir, { include: [], exclude: [] }, FORMATS);
  const collector = new EvidenceCollector(BUILT_IN_SIDES);
  // Asked for each side, as analyze() does: the far side's include the byte path (the windows are set by then).
  const fast = (): FastPaths | undefined => (withFastPaths ? collector.fastPaths() : undefined);
  const { clientSide, far } = sidesOf(found.files, BUILT_IN_SIDES);
  const add = collector.add.bind(collector);
  // The client side's clock samples as its read left them: collect() lets them go once the clocks are estimated.
  let samples: CollectorPartial['traffic'] | undefined;
  await collectSides(collector, clientSide, far, { zones: new Map(), windowMs: DEFAULT_WINDOW_MS, formats: runFormats() }, async (files) => {
    await scanFiles(files, { onEvent: add, onProblem: () => {}, fast: fast(), formats: FORMATS });
    samples ??= new Map([...collector.traffic].map(([group, taken]) => [group, [...taken]]));
  });
  return { ...collector.partial(), traffic: samples! };
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
    // 4 MiB: failed paths with requests near their incidents, and many more far from any.
    await promisify(execFile)(process.execPath, [path.join(REPO, 'dist/bench/gen.js'), generated, '4']);
  });
  after(() => rm(generated, { recursive: true, force: true }));

  it('collect what the full events collect: a generated directory (requests near incidents and far from them)', async () => {
    const full = await collect(generated, false);
    assert.ok(full.ordinary.length > 0 && full.presence.size > 0, 'the generated directory has failed paths with requests');
    await assertSameCollection(generated);
  });

  it('collect what the full events collect: client lines the fast path must read exactly or leave alone', async () => {
    const dir = await tempDir();
    try {
      const stamp = '2026-11-24 06:00:00,';
      const messages = [
        'http://127.0.0.1:8080 "GET /api/items?page=2 HTTP/1.1" 200 832',
        'https://api.example.test:443 "POST /api/orders HTTP/1.1" 201 91',
        'http://[::1]:8080 "GET /api/v6 HTTP/1.1" 200 5',
        'http://127.0.0.1:8080 "GET /api/caf\u00e9 HTTP/1.1" 200 5',
        'http://127.0.0.1:8080 "GET\t/api/tab HTTP/1.1" 200 5',
        'http://127.0.0.1:8080 "GET /api/long HTTP/1.1" 2000 5',
        'ftp://files:21 "GET /x HTTP/1.1" 200 1 then http://127.0.0.1:8080 "GET /api/second HTTP/1.1" 200 1',
        'http://127.0.0.1:8080 "GET /api/quote"d HTTP/1.1" 200 5',
        'http://127.0.0.1:8080 "GET /api/short HTTP/1.1" 200',
        'Starting new HTTP connection (1): 127.0.0.1:8080',
        'Starting new HTTPS connection (2): api.example.test:443',
        'Starting new HTTP connection (1): 127.0.0.1:8080 after connection broken by \'x\': /api/odd',
        'Resetting dropped connection: 127.0.0.1',
      ];
      const lines = messages.map((m, i) => `${stamp}${String(i).padStart(3, "0")} DEBUG urllib3.connectionpool: ${m}`);
      await mkdir(dir, { recursive: true });
      await writeFile(path.join(dir, 'client.log'), lines.join('\n') + '\n');
      const full = await collect(dir, false);
      assert.equal(full.traffic.get('client')?.length, 6, 'the request lines the regex reads (plain, https, IPv6, non-ASCII, a second URL, a quote in the path)');
      await assertSameCollection(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('collect what the full events collect: every sample', async () => {
    const samples = (await readdir(path.join(REPO, 'samples'), { withFileTypes: true })).filter((d) => d.isDirectory() && /^\d\d-/.test(d.name));
    assert.ok(samples.length >= 20);
    for (const sample of samples) await assertSameCollection(path.join(REPO, 'samples', sample.name));
  });
});
