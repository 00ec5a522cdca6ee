import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { EVENT_FIELDS } from '../../src/model/event.js';
import { parseTarget, statements } from '../../src/ship/clickhouse.js';
import { REPO, runCli, tempDir } from '../helpers.js';

/** Debian's clickhouse-server (apt-get install clickhouse-server; .ci/run installs it), or a newer single binary. */
const SERVER = ['/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server', '/usr/bin/clickhouse'].find((file) => existsSync(file));
const skip = SERVER === undefined ? 'clickhouse-server is not installed here (apt-get install clickhouse-server): the ClickHouse test needs a real server' : false;

const samples = readdirSync(path.join(REPO, 'samples'))
  .filter((name) => existsSync(path.join(REPO, 'samples', name, 'expected.json')))
  .sort()
  .map((name) => `samples/${name}`);
const QUERIES = path.join(REPO, 'schemas/clickhouse/queries');

/** A free loopback port (the kernel's pick, released for the server to take). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A server of our own: a temporary config and data directory, loopback only, a child process (not a system service). */
async function startServer(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const [http, tcp] = [await freePort(), await freePort()];
  const data = path.join(dir, 'data') + '/';
  await mkdir(data, { recursive: true });
  await writeFile(
    path.join(dir, 'config.xml'),
    `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><console>1</console></logger>
  <http_port>${http}</http_port>
  <tcp_port>${tcp}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${data}</path>
  <tmp_path>${data}tmp/</tmp_path>
  <user_files_path>${data}user_files/</user_files_path>
  <format_schema_path>${data}format_schemas/</format_schema_path>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <users_config>users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
  );
  await writeFile(
    path.join(dir, 'users.xml'),
    `<?xml version="1.0"?>
<yandex>
  <profiles><default></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default></default></quotas>
</yandex>
`,
  );
  const args = SERVER!.endsWith('/clickhouse') ? ['server', `--config-file=${dir}/config.xml`] : [`--config-file=${dir}/config.xml`];
  const child = spawn(SERVER!, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  for (const started = Date.now(); Date.now() - started < 30_000; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null) throw new Error(`clickhouse-server exited ${child.exitCode}: ${stderr}`);
    const ok = await fetch(`http://127.0.0.1:${http}/ping`).then((r) => r.ok, () => false);
    if (ok) return { child, port: http };
  }
  child.kill('SIGKILL');
  throw new Error(`clickhouse-server did not answer within 30 s: ${stderr}`);
}

interface Incident {
  attribution: string;
  cause: string;
  count: number;
}
interface JobsJson {
  jobs: Array<{ job: string; incidents: Incident[] }>;
}

describe('whoreset ship: a real ClickHouse server', { skip }, () => {
  let dir: string;
  let server: { child: ChildProcess; port: number };
  let client: ClickHouseClient;
  const select = async <T>(query: string): Promise<T[]> => (await client.query({ query, format: 'JSONEachRow' })).json<T>();

  before(async () => {
    dir = await tempDir('whoreset-clickhouse-');
    const started = Date.now();
    server = await startServer(dir);
    process.stderr.write(`clickhouse-server ready in ${Date.now() - started} ms\n`);
    client = createClient({ url: `http://127.0.0.1:${server.port}`, database: 'fleet' });
  });

  after(async () => {
    await client?.close();
    if (server) {
      server.child.kill('SIGTERM');
      if (server.child.exitCode === null) await new Promise((resolve) => server.child.once('exit', resolve));
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('ships the samples twice: counts and verdicts match the JSON, nothing is doubled, the fleet queries run', async () => {
    const target = `clickhouse://127.0.0.1:${server.port}/fleet`;
    for (const round of [1, 2]) {
      const shipped = await runCli(['ship', target, ...samples, '--repo', 'whoreset/samples']);
      assert.equal(shipped.code, 0, `round ${round}: ${shipped.stderr}`);
      assert.match(shipped.stderr, new RegExp(`shipped ${samples.length} job\\(s\\)`));
    }
    const json = JSON.parse((await runCli([...samples, '--format', 'json'])).stdout) as JobsJson;
    const eventLines = (await runCli([...samples, '--events', '--format', 'ndjson'])).stdout.split('\n').filter((l) => l !== '');

    // Per job: the incidents' verdicts (FINAL: a job shipped twice counts once).
    const rows = await select<{ job: string; verdicts: string[] }>(
      "SELECT job, arraySort(groupArray(concat(attribution, ' ', cause, ' ', toString(count)))) AS verdicts FROM whoreset_incidents FINAL GROUP BY job ORDER BY job",
    );
    const expected = json.jobs.filter((j) => j.incidents.length > 0).map((j) => ({ job: j.job, verdicts: j.incidents.map((i) => `${i.attribution} ${i.cause} ${i.count}`).sort() }));
    assert.deepEqual(rows, expected);
    const events = await select<{ job: string; n: string }>('SELECT job, count() AS n FROM whoreset_events FINAL GROUP BY job ORDER BY job');
    const perJob = new Map<string, number>();
    for (const line of eventLines) perJob.set((JSON.parse(line) as { job: string }).job, (perJob.get((JSON.parse(line) as { job: string }).job) ?? 0) + 1);
    assert.deepEqual(events.map((e) => [e.job, Number(e.n)]), [...perJob].sort(([a], [b]) => (a < b ? -1 : 1)));

    // Nothing doubled: both rounds are stored (until a merge), but each key once under FINAL.
    const [raw] = await select<{ n: string }>('SELECT count() AS n FROM whoreset_incidents');
    const total = expected.reduce((n, j) => n + j.verdicts.length, 0);
    assert.ok(Number(raw!.n) >= total && total > samples.length, `${raw!.n} stored, ${total} incidents`);
    for (const [table, key] of [['whoreset_incidents', 'repo, job, time, id'], ['whoreset_events', 'repo, job, time, incident, id']]) {
      const [dups] = await select<{ n: string }>(`SELECT count() AS n FROM (SELECT ${key} FROM ${table} FINAL GROUP BY ${key} HAVING count() > 1)`);
      assert.equal(dups!.n, '0', table);
    }
    const [repo] = await select<{ repos: string[] }>('SELECT groupUniqArray(repo) AS repos FROM whoreset_incidents FINAL');
    assert.deepEqual(repo!.repos, ['whoreset/samples']);

    // The README's three fleet queries, as shipped in schemas/clickhouse/queries, against the JSON.
    const readme = await readFile(path.join(REPO, 'README.md'), 'utf8');
    const query = async <T>(name: string) => {
      const sql = statements(await readFile(path.join(QUERIES, name), 'utf8'))[0]!;
      assert.ok(readme.includes(sql), `README shows ${name} as it ships`);
      return select<T>(sql);
    };
    const all = json.jobs.flatMap((j) => j.incidents);
    const bySide = await query<{ attribution: string; failures: string }>('resets-by-side-per-day.sql');
    const sides = new Map<string, number>();
    for (const r of bySide) sides.set(r.attribution, (sides.get(r.attribution) ?? 0) + Number(r.failures));
    const [timed] = await select<{ n: string }>('SELECT sum(count) AS n FROM whoreset_incidents FINAL WHERE time_ms > 0');
    assert.equal([...sides.values()].reduce((a, b) => a + b, 0), Number(timed!.n));
    assert.ok(sides.get('server')! > 0 && sides.get('proxy-firewall')! > 0 && sides.get('client')! > 0, JSON.stringify([...sides]));
    const causes = await query<{ endpoint: string; cause: string; failures: string }>('top-causes-per-endpoint.sql');
    assert.ok(causes.length > 0 && causes.every((c) => /^.+:\d+$/.test(c.endpoint) && all.some((i) => i.cause === c.cause)));
    const own = await query<{ job: string }>('client-own-failures.sql');
    const clientJobs = json.jobs.filter((j) => j.incidents.length > 0 && j.incidents.every((i) => i.attribution === 'client')).map((j) => j.job).sort();
    assert.deepEqual(own.map((r) => r.job), clientJobs);
    assert.ok(clientJobs.length > 0);
  });

  it('the tables hold a column for every event field (a field added to the model needs its column)', async () => {
    const columns = (await select<{ name: string }>('DESCRIBE TABLE whoreset_events')).map((c) => c.name);
    for (const field of EVENT_FIELDS) assert.ok(columns.includes(field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)), field);
  });

  it('refuses a target that is not a ClickHouse URL, and a server that is not there, with exit 2', async () => {
    assert.match(String(parseTarget('ftp://x/db')), /expected clickhouse:/);
    assert.match(String(parseTarget('clickhouse://h:1/a;drop')), /not a plain identifier/);
    assert.deepEqual(parseTarget('clickhouse://u:p@h/db', {}), { url: 'http://h:8123', database: 'db', username: 'u', password: 'p' });
    const closed = await freePort();
    const run = await runCli(['ship', `clickhouse://127.0.0.1:${closed}/fleet`, 'samples/05-upstream-reset']);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /cannot prepare the tables/);
    assert.doesNotMatch(run.stderr, /\n\s+at /);
  });
});

describe('whoreset ship: the DDL', () => {
  it('ships a MergeTree-family table per output, partitioned by day, ordered by repo, job, time', () => {
    const ddl = statements(readFileSync(path.join(REPO, 'schemas/clickhouse/tables.sql'), 'utf8'));
    assert.equal(ddl.length, 2);
    for (const statement of ddl) {
      assert.match(statement, /ENGINE = ReplacingMergeTree\(shipped_at\)\s+PARTITION BY day\s+ORDER BY \(repo, job, time, /);
    }
  });
});
