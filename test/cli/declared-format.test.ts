import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { positionOf } from '../attribute/load.test.js';
import { REPO, runCli, tempDir } from '../helpers.js';

// The README's worked example, end to end: a made-up proxy's log read through a format declared in
// JSON (--formats), and a user rule (--rules) naming that format's source attributes the failure.
// The format is the README's own block, so the documentation is what is run.
function readmeFormat(): typeof FORMAT_SHAPE {
  const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Declaring a format'));
  const block = /```json\n([\s\S]*?)\n```/.exec(section);
  assert.ok(block, 'the README has a JSON format under "Declaring a format"');
  return JSON.parse(block[1]!) as typeof FORMAT_SHAPE;
}

/** The shape the tests change (an example's expectations). */
const FORMAT_SHAPE = { id: '', examples: [{ line: '', expect: {} as Record<string, unknown> | null, origin: '' }] };
const FORMAT = readmeFormat();

const RULE = {
  id: 'proxy-firewall/gatekeep-cut',
  title: 'gatekeep cut the request',
  attribution: 'proxy-firewall',
  confidence: 0.9,
  priority: 950,
  when: {
    anchor: { kind: ['reset', 'remote-disconnected', 'connection-error'] },
    present: [{ source: ['gatekeep'], kind: ['proxy-closed'], within: 10 }],
  },
  advice: ['gatekeep cut {path}: read its budget for that path.'],
  examples: {
    match: [{ name: 'reset; gatekeep cut it', anchor: { source: 'pytest', kind: 'reset', path: '/api/upload' }, events: [{ source: 'gatekeep', kind: 'proxy-closed', path: '/api/upload' }] }],
    noMatch: [{ name: 'reset; gatekeep let it pass', anchor: { source: 'pytest', kind: 'reset', path: '/api/upload' }, events: [{ source: 'gatekeep', kind: 'request', path: '/api/upload' }] }],
  },
};

const PYTEST = [
  '2026-11-24T06:40:00.1000000Z ============================= test session starts ==============================',
  '2026-11-24T06:40:01.2000000Z tests/test_upload.py F                                                    [100%]',
  '2026-11-24T06:40:01.3000000Z =========================== short test summary info ============================',
  "2026-11-24T06:40:01.3000000Z FAILED tests/test_upload.py::test_upload - requests.exceptions.ConnectionError: HTTPConnectionPool(host='10.0.0.9', port=8080): Max retries exceeded with url: /api/upload (Caused by ProtocolError('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer')))",
];

const GATE = [
  'gatekeep[311] 2026-11-24 06:40:00.950 +0000 conn=16 client=10.0.0.5:51230 "GET /api/health" verdict=PASS status=200',
  'gatekeep[311] 2026-11-24 06:40:01.050 +0000 conn=17 client=10.0.0.5:51234 "POST /api/upload" verdict=CUT reason=body-budget',
];

async function setUp(format: object = FORMAT): Promise<{ logs: string; formats: string; rules: string }> {
  const root = await tempDir();
  const [logs, formats, rules] = ['logs', 'formats', 'rules'].map((name) => path.join(root, name)) as [string, string, string];
  await Promise.all([mkdir(logs), mkdir(formats), mkdir(rules)]);
  await writeFile(path.join(logs, 'pytest.log'), PYTEST.join('\n') + '\n');
  await writeFile(path.join(logs, 'gate.log'), GATE.join('\n') + '\n');
  await writeFile(path.join(formats, 'gatekeep.json'), JSON.stringify(format, null, 2));
  await writeFile(path.join(rules, 'gatekeep-cut.json'), JSON.stringify(RULE, null, 2));
  return { logs, formats, rules };
}

interface IncidentRow {
  attribution: string;
  cause: string;
}

describe('a format declared in JSON, end to end', () => {
  it('a user rule naming the declared source attributes the failure', async () => {
    const { logs, formats, rules } = await setUp();
    const result = await runCli([logs, '--formats', formats, '--rules', rules, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const incidents = (JSON.parse(result.stdout) as { incidents: IncidentRow[] }).incidents;
    assert.deepEqual(
      incidents.map((i) => [i.attribution, i.cause]),
      [['proxy-firewall', 'proxy-firewall/gatekeep-cut']],
    );
    // The rule's own examples run too, once the format's source is declared.
    const examples = await runCli(['rules', 'test', rules, '--formats', formats]);
    assert.equal(examples.code, 0, examples.stdout + examples.stderr);
    assert.match(examples.stdout, /^2 passed, 0 failed$/m);
  });

  it('without --formats the proxy log is unclaimed and the rule cannot decide', async () => {
    const { logs, rules } = await setUp();
    // The rule names a source no format declares now: refused as a misspelling would be.
    const refused = await runCli([logs, '--rules', rules]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /unknown event source "gatekeep"/);
    const result = await runCli([logs, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const incidents = (JSON.parse(result.stdout) as { incidents: IncidentRow[] }).incidents;
    assert.notEqual(incidents[0]!.cause, 'proxy-firewall/gatekeep-cut');
  });

  it("a declared source's side decides whether the server's logs are in the directory", async () => {
    const reasonsWith = async (side: string) => {
      const { logs, formats } = await setUp({ ...FORMAT, side });
      const result = await runCli([logs, '--formats', formats, '--format', 'json']);
      assert.equal(result.code, 0, result.stderr);
      return (JSON.parse(result.stdout) as { incidents: Array<{ reasons: string[] }> }).incidents[0]!.reasons;
    };
    assert.ok((await reasonsWith('proxy')).includes('no server logs in the directory'));
    assert.ok(!(await reasonsWith('server')).includes('no server logs in the directory'));
  });

  it('worker threads read the declared format as the main thread does', async () => {
    const { logs, formats } = await setUp();
    await writeFile(path.join(logs, 'gate-2.log'), GATE.join('\n') + '\n');
    const one = await runCli(['events', logs, '--formats', formats, '--format', 'ndjson', '--jobs', '1']);
    const three = await runCli(['events', logs, '--formats', formats, '--format', 'ndjson', '--jobs', '3']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(three.stdout, one.stdout);
    const kinds = one.stdout.trim().split('\n').map((line) => JSON.parse(line) as { source: string; kind: string }).filter((e) => e.source === 'gatekeep').map((e) => e.kind);
    assert.deepEqual(kinds, ['request', 'proxy-closed', 'request', 'proxy-closed']);
  });

  it('a sample line that does not give its declared fields stops the run with file, pointer and what differed', async () => {
    const wrong = structuredClone(FORMAT);
    wrong.examples[0]!.expect = { ...wrong.examples[0]!.expect!, clientPort: 51235 };
    const { logs, formats } = await setUp(wrong);
    const result = await runCli([logs, '--formats', formats]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /malformed formats/);
    const where = positionOf(JSON.stringify(wrong, null, 2), '"clientPort": 51235');
    assert.ok(result.stderr.includes(`gatekeep.json:${where}: /examples/0/expect/clientPort: expected 51235, the line gives 51234`), result.stderr);
  });

  it('a value the format schema refuses stops the run with exit 2 at file:line:column', async () => {
    const wrong = { ...structuredClone(FORMAT), side: 'middlebox' };
    const { logs, formats } = await setUp(wrong);
    const result = await runCli([logs, '--formats', formats]);
    assert.equal(result.code, 2);
    const where = positionOf(JSON.stringify(wrong, null, 2), '"side"');
    assert.ok(result.stderr.includes(`\n${path.join(formats, 'gatekeep.json')}:${where}: /side: "middlebox" is not allowed`), result.stderr);
  });
});

describe('whoreset events --unclaimed', () => {
  it('lists file:line, kind and text of what the fallback read in files no format claims', async () => {
    const { logs, formats } = await setUp();
    await writeFile(path.join(logs, 'worker.log'), ['sync started', 'upload failed: Connection reset by peer', 'upload failed: Connection reset by peer', 'done'].join('\n') + '\n');
    const without = await runCli(['events', logs, '--unclaimed']);
    assert.equal(without.code, 0, without.stderr);
    // The proxy's lines name no failure the fallback knows ("verdict=CUT"): only the worker's are listed.
    assert.deepEqual(without.stdout.trim().split('\n'), ['worker.log:2\treset\tupload failed: Connection reset by peer', 'worker.log:3\treset\tupload failed: Connection reset by peer']);
    assert.match(without.stderr, /2 line\(s\) naming a connection failure in 2 file\(s\) no format claims/);
    // With the format declared, its file is claimed and leaves the list.
    const withFormat = await runCli(['events', logs, '--unclaimed', '--formats', formats]);
    assert.equal(withFormat.code, 0, withFormat.stderr);
    assert.deepEqual(withFormat.stdout.trim().split('\n'), ['worker.log:2\treset\tupload failed: Connection reset by peer', 'worker.log:3\treset\tupload failed: Connection reset by peer']);
    assert.match(withFormat.stderr, /2 line\(s\) naming a connection failure in 1 file\(s\) no format claims/);
  });
});
