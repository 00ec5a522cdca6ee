import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze, DEFAULT_WINDOW_MS } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { ciJobOf } from '../../src/discover/ci-job.js';
import { renderIncidents } from '../../src/report/incident-writer.js';
import { csvRecords } from '../../src/report/jobs-writer.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const samples = readdirSync(path.join(REPO, 'samples'))
  .filter((name) => existsSync(path.join(REPO, 'samples', name, 'expected.json')))
  .sort()
  .map((name) => `samples/${name}/`);
const label = (dir: string) => path.basename(dir);

/** Runs the calls at most two at a time (the machine has two cores). */
async function eachRun<T>(items: readonly T[], run: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all([0, 1].map(async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await run(item);
  }));
}

describe('many jobs in one run', () => {
  it('whoreset samples/*/: every job section, less its label, is the bytes of one run on that directory (NDJSON)', async () => {
    const many = await runCli([...samples, '--format', 'ndjson', '--jobs', '2']); // one pool of workers shared by the jobs
    assert.equal(many.code, 0, many.stderr);
    const sections = new Map<string, string>();
    for (const line of many.stdout.split('\n').filter((l) => l !== '')) {
      const job = /^\{"job":("(?:[^"\\]|\\.)*"),/.exec(line);
      assert.ok(job, line.slice(0, 80));
      const name = JSON.parse(job[1]!) as string;
      sections.set(name, (sections.get(name) ?? '') + '{' + line.slice(job[0].length) + '\n');
    }
    assert.deepEqual([...sections.keys()], samples.map(label).filter((name) => sections.has(name)), 'jobs in argument order');
    // Every job against the library's run on its directory (what `whoreset DIR` writes); every
    // seventh also against the CLI itself (a process each: the whole set would take minutes here).
    const rules = await loadRules([]);
    let compared = 0;
    for (const dir of samples) {
      const analysis = await analyze({ dir: path.join(REPO, dir), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules });
      assert.equal(sections.get(label(dir)) ?? '', renderIncidents(analysis, 'ndjson', false), dir);
      compared += analysis.verdicts.length > 0 ? 1 : 0;
    }
    await eachRun(samples.filter((_, i) => i % 7 === 0), async (dir) => {
      assert.equal(sections.get(label(dir)) ?? '', (await runCli([dir, '--format', 'ndjson'])).stdout, dir);
    });
    assert.ok(compared > samples.length / 2, `${compared} jobs with incidents compared`);
  });

  it('JSON, CSV and ECS: each job as one run gives it, one summary across the jobs', async () => {
    const dirs = ['samples/05-upstream-reset', 'samples/09-proxy-rejected', 'samples/01-clean', 'samples/45-far-kernel-reject'];
    const json = JSON.parse((await runCli([...dirs, '--format', 'json'])).stdout) as { jobs: Array<Record<string, unknown>>; summary: Record<string, number> };
    const total: Record<string, number> = {};
    for (const [i, dir] of dirs.entries()) {
      const { job, dir: given, ci, ...rest } = json.jobs[i]!;
      assert.deepEqual([job, given, ci], [label(dir), dir, null]);
      const one = JSON.parse((await runCli([dir, '--format', 'json'])).stdout) as Record<string, unknown>;
      delete one.schemaVersion;
      assert.deepEqual(rest, one, dir);
      for (const [key, n] of Object.entries(one.summary as Record<string, number>)) total[key] = (total[key] ?? 0) + n;
    }
    assert.deepEqual(json.summary, total);
    assert.ok(Object.values(total).reduce((a, b) => a + b) >= 3);

    const csv = csvRecords((await runCli([...dirs, '--format', 'csv', '--events'])).stdout);
    assert.match(csv[0]!, /^job,incident,id,/);
    const ecs = (await runCli([...dirs, '--format', 'ecs'])).stdout.split('\n').filter((l) => l !== '');
    for (const dir of dirs) {
      const rows = csv.filter((record) => record.startsWith(label(dir) + ',')).map((record) => record.slice(label(dir).length + 1));
      const one = csvRecords((await runCli([dir, '--format', 'csv', '--events'])).stdout);
      assert.deepEqual(rows, one.slice(1), dir);
      const mine = ecs.filter((line) => (JSON.parse(line) as { labels: { job: string } }).labels.job === label(dir)).map((line) => line.replace(`,"labels":{"job":${JSON.stringify(label(dir))}}`, ''));
      assert.deepEqual(mine, (await runCli([dir, '--format', 'ecs'])).stdout.split('\n').filter((l) => l !== ''), dir);
    }
  });

  it('a quoted glob names the jobs; a job whose directory cannot be read is reported as that job, the rest analysed (exit 2)', async () => {
    const glob = await runCli(['samples/0[5-9]-*/', '--format', 'ndjson']);
    assert.deepEqual([...new Set(glob.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { job: string }).job))], ['05-upstream-reset', '06-upstream-reset-direct', '07-proxy-read-timeout', '08-overload', '09-proxy-rejected']);
    const bad = await runCli(['samples/05-upstream-reset', 'samples/no-such-job', '--format', 'ndjson']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /job no-such-job: samples\/no-such-job: no such file or directory/);
    assert.match(bad.stdout, /^\{"job":"05-upstream-reset","id":"I1"/);
  });

  it("warns when the arguments are a job's files (a shell's glob): each is read apart, and the warning names their directory", async () => {
    const dir = 'samples/05-upstream-reset';
    const files = await runCli([`${dir}/client.log`, `${dir}/pytest.log`, `${dir}/nginx`, '--format', 'ndjson']);
    const warning = files.stderr.split('\n').filter((line) => line.includes('files given as arguments'));
    assert.deepEqual(warning, [
      `whoreset: ${dir}/client.log, ${dir}/pytest.log: files given as arguments: each argument is a job of its own, read apart from the others (a client's failures are then decided without the server's logs); to read one job's files together, name its directory: whoreset ${dir}`,
    ]);
    assert.equal(files.code, 0, files.stderr);
    assert.deepEqual((await runCli([`${dir}/client.log`, `${dir}/pytest.log`, '-q', '--format', 'ndjson'])).stderr, '', '--quiet');
    const deeper = await runCli([`${dir}/nginx/error.log`, `${dir}/client.log`, '--format', 'ndjson']);
    assert.match(deeper.stderr, new RegExp(`name its directory: whoreset ${dir}\n`), 'the directory holding them all');
    const dirs = await runCli([dir, 'samples/02-body-too-large', '--format', 'ndjson']);
    assert.doesNotMatch(dirs.stderr, /files given as arguments/);
  });

  it('labels a job by its CI ids when its directory holds them, in their documented forms', async () => {
    const root = await tempDir();
    try {
      const job = async (name: string, files: Record<string, string>) => {
        await mkdir(path.join(root, name));
        for (const [file, text] of Object.entries(files)) await writeFile(path.join(root, name, file), text);
        return ciJobOf(path.join(root, name));
      };
      // `env` of a GitHub Actions step; the repository is the one the CI named.
      assert.deepEqual(await job('gha', { 'env.txt': 'HOME=/home/runner\nGITHUB_RUN_ID=1658821493\nGITHUB_RUN_ATTEMPT=2\nGITHUB_JOB=greeting_job\nGITHUB_REPOSITORY=octocat/Hello-World\n' }), {
        label: 'github:1658821493.2/greeting_job',
        repo: 'octocat/Hello-World',
        vars: { GITHUB_JOB: 'greeting_job', GITHUB_REPOSITORY: 'octocat/Hello-World', GITHUB_RUN_ATTEMPT: '2', GITHUB_RUN_ID: '1658821493' },
      });
      // `export -p` of a GitLab job, `declare -x` quoting.
      assert.equal((await job('gitlab', { 'job-env.log': 'declare -x CI_JOB_ID="4521"\ndeclare -x CI_PROJECT_PATH="group/sub/project"\n' }))?.label, 'gitlab:4521');
      assert.equal((await job('jenkins', { 'console.txt': 'Started by user admin\nBUILD_TAG=jenkins-api-tests-153\n' }))?.label, 'jenkins-api-tests-153');
      // Not the documented form, or two files that disagree: not trusted.
      assert.equal(await job('badform', { 'env.txt': 'GITHUB_RUN_ID=abc\nGITHUB_JOB=build\nCI_JOB_ID=12x\n' }), undefined);
      assert.equal(await job('disagree', { 'a.env': 'CI_JOB_ID=1\n', 'b.env': 'CI_JOB_ID=2\n' }), undefined);
      assert.equal(await job('prose', { 'pytest.log': 'the GITHUB_RUN_ID=1 line of a test: echo GITHUB_JOB=x\n' }), undefined);

      // The CLI labels the rows with it.
      await cp(path.join(REPO, 'samples/05-upstream-reset'), path.join(root, 'gha-logs'), { recursive: true });
      await writeFile(path.join(root, 'gha-logs', 'env.txt'), 'GITHUB_RUN_ID=77\nGITHUB_JOB=test\n');
      const run = await runCli([path.join(root, 'gha-logs'), 'samples/09-proxy-rejected', '--format', 'ndjson']);
      assert.match(run.stdout, /^\{"job":"github:77\/test","id":"I1"/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
