import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EvidenceCollector } from '../../src/correlate/collect.js';
import { REQUESTS_PER_INCIDENT } from '../../src/correlate/incident.js';
import { JoinWindows, NearestRequests } from '../../src/correlate/windows.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { BUILT_IN_SIDES } from '../../src/parse/formats.js';
import { runCli, tempDir } from '../helpers.js';

const T0 = Date.UTC(2026, 10, 24, 6, 0, 0);

function request(line: number, time: number): ConnectionEvent {
  return { id: `access.log:${line}`, source: 'nginx-access', kind: 'request', time, timeQuality: 'exact', file: 'access.log', line, excerpt: `line ${line}`, path: '/api/x' };
}

const twoDigits = (n: number) => String(n).padStart(2, '0');
/** nginx's access-log stamp of an instant, in UTC. */
function accessStamp(ms: number): string {
  const d = new Date(ms);
  return `${twoDigits(d.getUTCDate())}/Nov/2026:${twoDigits(d.getUTCHours())}:${twoDigits(d.getUTCMinutes())}:${twoDigits(d.getUTCSeconds())} +0000`;
}
/** Python logging's stamp of an instant, zone-less. */
function clientStamp(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '').replace('.', ',');
}
/** A request that failed with a reset after urllib3's last retry: the error the caller logged (a retry alone is no failure). */
function failedAfterReset(ms: number, path: string): string {
  return `${clientStamp(ms)} ERROR tests.poller: GET ${path} failed: requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded with url: ${path} (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))`;
}
/** Runs `job` on a new job directory with an nginx/ folder, removed after. */
async function inJobDir(job: (dir: string) => Promise<void>): Promise<void> {
  const dir = await tempDir();
  try {
    await mkdir(path.join(dir, 'nginx'), { recursive: true });
    await job(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('join windows', () => {
  const windows = new JoinWindows({
    windowMs: 10_000,
    clocks: [{ group: 'nginx', zone: '+08:00', shiftMs: 2_000 }],
    incidents: [
      { path: '/api/x', time: T0 + 60_000 },
      { path: '/api/y', time: T0 },
      { path: undefined, time: T0 + 120_000 },
      { path: '/api/z', time: null },
    ],
  });
  const near = (requestPath: string, utc: number) => Array.from({ length: windows.near(requestPath, utc) }, (_, i) => [windows.found[i], windows.distances[i]]);

  it('finds the incidents of the same path, or of none, within the window (edges included)', () => {
    assert.deepEqual(near('/api/x', T0 + 50_000), [[0, 10_000]]);
    assert.deepEqual(near('/api/x', T0 + 70_000), [[0, 10_000]]);
    assert.deepEqual(near('/api/x', T0 + 49_999), []);
    assert.deepEqual(near('/api/y', T0 + 60_000), [], 'another path is another request');
    assert.deepEqual(near('/api/y', T0 + 115_000), [[2, 5_000]], 'a failure naming no path joins any request by time');
  });

  it('where it finds none, says how far on either side none is found either', () => {
    // /api/x's one incident at +60 s; the incident naming no path at +120 s joins any path.
    const quiet = (requestPath: string, utc: number) => (windows.near(requestPath, utc), [windows.quietFrom - T0, windows.quietTo - T0]);
    assert.deepEqual(quiet('/api/x', T0 + 90_000), [70_000, 110_000]);
    assert.deepEqual(quiet('/api/x', T0 + 20_000), [-Infinity, 50_000]);
    assert.deepEqual(quiet('/api/y', T0 + 200_000), [130_000, Infinity]);
    // Every instant strictly inside is quiet, the edges are not.
    for (const at of [70_001, 90_000, 109_999]) assert.equal(windows.near('/api/x', T0 + at), 0);
    for (const at of [70_000, 110_000]) assert.equal(windows.near('/api/x', T0 + at), 1);
  });

  it("keeps a request at its window's edge after one in the gap before it (the collector skips only inside the gap)", () => {
    const collector = new EvidenceCollector(BUILT_IN_SIDES);
    collector.useFailedPaths(['/api/x']);
    collector.useWindows({ windowMs: 10_000, clocks: [], incidents: [{ path: '/api/x', time: T0 + 60_000 }] });
    // +20 s: in the gap before the incident's window [50 s, 70 s], which the collector then remembers.
    for (const [line, at] of [[1, 20_000], [2, 49_999], [3, 50_000], [4, 70_000], [5, 70_001]]) collector.add(request(line!, T0 + at!));
    assert.deepEqual(collector.partial().ordinary.map((e) => e.line), [3, 4]);
  });

  it("is made once per input, and collectors sharing it keep what each keeps alone (a run's tasks in one thread)", () => {
    const input = { windowMs: 10_000, clocks: [], incidents: [{ path: '/api/x', time: T0 + 60_000 }] };
    assert.equal(JoinWindows.of(input), JoinWindows.of(input));
    assert.notEqual(JoinWindows.of(input), JoinWindows.of({ ...input }));
    const collectors = [new EvidenceCollector(BUILT_IN_SIDES), new EvidenceCollector(BUILT_IN_SIDES)] as const;
    for (const collector of collectors) {
      collector.useFailedPaths(['/api/x']);
      collector.useWindows(input);
    }
    // Interleaved: what each keeps is its own; only the windows are shared.
    const [a, b] = collectors;
    a.add(request(1, T0 + 20_000));
    b.add(request(1, T0 + 20_000));
    a.add(request(2, T0 + 50_000));
    b.add(request(2, T0 + 49_999));
    b.add(request(3, T0 + 70_000));
    assert.deepEqual(a.partial().ordinary.map((e) => e.line), [2]);
    assert.deepEqual(b.partial().ordinary.map((e) => e.line), [3]);
  });

  it('knows the paths of untimed incidents', () => {
    assert.deepEqual([...windows.untimedPaths], ['/api/z']);
  });

  it("reads a source's own clock as the timeline does: zone-less stamps in the zone, then the shift", () => {
    const wall = T0 + 8 * 3_600_000; // 14:00 written by a +08:00 clock: 06:00 UTC
    assert.equal(windows.clocks.instantOf('nginx-error', wall, true), T0 - 2_000);
    assert.equal(windows.clocks.instantOf('nginx-access', T0, false), T0 - 2_000);
    assert.equal(windows.clocks.instantOf('haproxy', T0, true), T0, 'a group without a clock is read as it is');
  });
});

describe('nearest requests', () => {
  it('keeps the nearest per incident and source, ties to the first seen', () => {
    const nearest = new NearestRequests<ConnectionEvent>();
    const events = Array.from({ length: REQUESTS_PER_INCIDENT + 3 }, (_, i) => request(i + 1, T0 + i));
    // Distances: the last ones nearest; two at the same distance as the farthest kept.
    events.forEach((event, i) => nearest.offer(0, 'nginx-access', 1_000 - i * 10, event));
    const kept = [...nearest.events()];
    assert.equal(kept.length, REQUESTS_PER_INCIDENT);
    assert.deepEqual(kept.map((e) => e.line), events.slice(3).reverse().map((e) => e.line));
    const tie = request(99, T0);
    assert.equal(nearest.accepts(0, 'nginx-access', 1_000 - 3 * 10), false, 'as far as the farthest kept: the first seen stays');
    assert.equal(nearest.accepts(0, 'nginx-access', 1_000 - 3 * 10 - 1), true);
    nearest.offer(0, 'nginx-error', 5_000, tie);
    assert.ok(nearest.events().has(tie), 'another source has a list of its own');
  });

  it('merging the parts in order keeps what offering the whole keeps', () => {
    const distances = [70, 30, 30, 90, 10, 50, 30, 20, 80, 10, 60, 40];
    const events = distances.map((_, i) => request(i + 1, T0 + i));
    const whole = new NearestRequests<ConnectionEvent>();
    events.forEach((event, i) => whole.offer(0, 'nginx-access', distances[i]!, event));
    const merged = new NearestRequests<ConnectionEvent>();
    for (const part of [events.slice(0, 5), events.slice(5)]) {
      const own = new NearestRequests<ConnectionEvent>();
      for (const event of part) own.offer(0, 'nginx-access', distances[event.line - 1]!, event);
      for (const event of [...own.events()].sort((a, b) => a.line - b.line)) merged.offer(0, 'nginx-access', distances[event.line - 1]!, event);
    }
    assert.deepEqual([...merged.events()], [...whole.events()]);
  });
});

describe('a long job', () => {
  it('joins a late failure to its request line, past hundreds of earlier requests of the path', () =>
    inJobDir(async (dir) => {
      const access: string[] = [];
      // 400 requests of the path, one every 2 s, then the failed one's line an hour later.
      for (let i = 0; i < 400; i++) access.push(`127.0.0.1 - - [${accessStamp(T0 + i * 2_000)}] "GET /api/poll HTTP/1.1" 200 17 "-" "python-requests/2.32.3"`);
      const late = T0 + 3_600_000;
      access.push(`127.0.0.1 - - [${accessStamp(late)}] "GET /api/poll HTTP/1.1" 200 17 "-" "python-requests/2.32.3"`);
      await writeFile(path.join(dir, 'nginx', 'access.log'), access.join('\n') + '\n');
      const client = [
        `${clientStamp(T0)} DEBUG urllib3.connectionpool: Starting new HTTP connection (1): 127.0.0.1:8080`,
        ...Array.from({ length: 400 }, (_, i) => `${clientStamp(T0 + i * 2_000)} DEBUG urllib3.connectionpool: http://127.0.0.1:8080 "GET /api/poll HTTP/1.1" 200 17`),
        failedAfterReset(late, '/api/poll'),
      ];
      await writeFile(path.join(dir, 'client.log'), client.join('\n') + '\n');
      const { code, stdout, stderr } = await runCli([dir, '--format', 'json']);
      assert.equal(code, 0, stderr);
      const incidents = JSON.parse(stdout).incidents as Array<{ evidence: Array<{ file: string; line: number }> }>;
      assert.equal(incidents.length, 1);
      assert.ok(
        incidents[0]!.evidence.some((e) => e.file === 'nginx/access.log' && e.line === 401),
        `the retried request's line is joined: ${JSON.stringify(incidents[0]!.evidence)}`,
      );
    }));
});

describe('a busy endpoint', () => {
  it('joins a few of its requests, and the worker crash that explains the failure still', () =>
    inJobDir(async (dir) => {
      const failed = T0 + 60_000;
      // 80 requests of the failed path within the window: each shares its path, the crash shares nothing.
      const access = Array.from({ length: 80 }, (_, i) => `10.1.0.23 - - [${accessStamp(failed - 9_000 + i * 225)}] "GET /api/busy HTTP/1.1" 200 17 "-" "k6/0.54.0"`);
      await writeFile(path.join(dir, 'nginx', 'access.log'), access.join('\n') + '\n');
      // A second before the failure: a crash stamped in the failure's own second could not be ordered.
      const wall = new Date(failed - 1_000);
      const errorStamp = `2026/11/${twoDigits(wall.getUTCDate())} ${twoDigits(wall.getUTCHours())}:${twoDigits(wall.getUTCMinutes())}:${twoDigits(wall.getUTCSeconds())}`;
      await writeFile(path.join(dir, 'nginx', 'error.log'), `${errorStamp} [alert] 2740#2740: worker process 2741 exited on signal 9\n`);
      await writeFile(path.join(dir, 'client.log'), failedAfterReset(failed, '/api/busy') + '\n');
      const { code, stdout, stderr } = await runCli([dir, '--format', 'json']);
      assert.equal(code, 0, stderr);
      const [incident] = JSON.parse(stdout).incidents as Array<{ cause: string; evidence: Array<{ kind: string }> }>;
      assert.equal(incident!.evidence.filter((e) => e.kind === 'request').length, REQUESTS_PER_INCIDENT);
      assert.equal(incident!.cause, 'server/worker-crash', JSON.stringify(incident));
    }));

  it('joins the requests nearest the failure, each with its own line and text (kept by their lines while read)', () =>
    inJobDir(async (dir) => {
      const failed = T0 + 60_000;
      // Four requests a second around the failure, each line told apart by its size: every one
      // nearer than the last until the failure's second, so each displaces one kept before.
      const times = Array.from({ length: 120 }, (_, i) => failed - 15_000 + i * 250);
      const access = times.map((ms, i) => `10.1.0.23 - - [${accessStamp(ms)}] "GET /api/busy?n=${i} HTTP/1.1" 200 ${1000 + i} "-" "k6/0.54.0"`);
      await writeFile(path.join(dir, 'nginx', 'access.log'), access.join('\n') + '\n');
      await writeFile(path.join(dir, 'client.log'), failedAfterReset(failed, '/api/busy') + '\n');
      const { code, stdout, stderr } = await runCli([dir, '--format', 'json']);
      assert.equal(code, 0, stderr);
      const [incident] = JSON.parse(stdout).incidents as Array<{ evidence: Array<{ kind: string; line: number; excerpt: string }> }>;
      const joined = incident!.evidence.filter((e) => e.kind === 'request');
      // Seconds from the failure as the stamps print them; ties to the line read first.
      const distance = (i: number) => Math.abs(Math.floor(times[i]! / 1000) * 1000 - failed);
      const nearest = times.map((_, i) => i).sort((a, b) => distance(a) - distance(b) || a - b).slice(0, REQUESTS_PER_INCIDENT);
      assert.deepEqual(joined.map((e) => e.line).sort((a, b) => a - b), nearest.map((i) => i + 1).sort((a, b) => a - b));
      for (const e of joined) assert.equal(e.excerpt, access[e.line - 1], `line ${e.line}'s own text`);
    }));
});
