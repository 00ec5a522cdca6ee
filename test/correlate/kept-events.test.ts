import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import { REPO } from '../helpers.js';

/**
 * A kept event is one of the few objects the analysis holds per failure: built key by key, V8
 * turned each into a hash table (about 1 KB more per event). %HasFastProperties needs V8's
 * natives syntax, so the check runs in a child process.
 */
describe('kept events', () => {
  it('keep fast properties, however many fields the parser set', async () => {
    const collect = path.join(REPO, 'dist/src/correlate/collect.js');
    const script = `
      const { EvidenceCollector } = await import(${JSON.stringify(collect)});
      const collector = new EvidenceCollector();
      const event = { id: 'nginx/error.log:1', source: 'nginx-error', kind: 'upstream-reset', time: 1, timeQuality: 'exact', file: 'nginx/error.log', line: 1,
        excerpt: 'x', level: 'error', message: 'recv() failed', pid: 1, connId: 2, phase: 'reading response header from upstream', errno: 104,
        errnoName: 'ECONNRESET', clientAddr: '127.0.0.1', method: 'GET', path: '/a', upstream: 'http://b/a', host: 'h', port: 80, closedBy: 'server' };
      collector.add(event);
      process.stdout.write(JSON.stringify({ kept: collector.notable.length, fast: %HasFastProperties(collector.notable[0]) }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script]);
    assert.deepEqual(JSON.parse(stdout), { kept: 1, fast: true });
  });

  it("hold their pooled connection's previous line as its own text, not the text it was sliced from", async () => {
    // Each failure's previous request is sliced from a chunk of 1 MB: 200 kept slices would pin 200 MB.
    const collect = path.join(REPO, 'dist/src/correlate/collect.js');
    const script = `
      const { EvidenceCollector } = await import(${JSON.stringify(collect)});
      const collector = new EvidenceCollector();
      globalThis.gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 200; i++) {
        const chunk = String(i).padEnd(1024 * 1024, 'x') + 'GET /api/x HTTP/1.1" 200';
        const line = chunk.slice(chunk.length - 24);
        collector.add({ id: 'client.log:' + i, source: 'client', kind: 'reset', time: i, timeQuality: 'inferred', file: 'client.log', line: i, excerpt: 'x',
          pooled: { host: chunk.slice(0, 9), port: 80, idleMs: 1, since: { id: chunk.slice(0, 20), line: 1, excerpt: line }, threaded: false } });
      }
      globalThis.gc();
      process.stdout.write(JSON.stringify({ kept: collector.anchors.length, mb: Math.round((process.memoryUsage().heapUsed - before) / 1e6), excerpt: collector.anchors[0].pooled.since.excerpt }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
    const { kept, mb, excerpt } = JSON.parse(stdout) as { kept: number; mb: number; excerpt: string };
    assert.equal(kept, 200);
    assert.equal(excerpt, 'GET /api/x HTTP/1.1" 200');
    assert.ok(mb < 20, `${mb} MB held by 200 kept failures`);
  });
});
