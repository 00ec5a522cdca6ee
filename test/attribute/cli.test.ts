import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO, runCli, tempDir } from '../helpers.js';
import { positionOf, userRule } from './load.test.js';

// A test whose upload failed with a broken pipe, and nginx saying why in a message no built-in rule knows.
const PYTEST_LOG = `============================= test session starts ==============================
collected 1 item

tests/test_api.py F                                                      [100%]

=================================== FAILURES ===================================
_________________________________ test_upload __________________________________
E   requests.exceptions.ConnectionError: HTTPConnectionPool(host='127.0.0.1', port=18080): Max retries exceeded with url: /api/upload (Caused by ProtocolError('Connection aborted.', BrokenPipeError(32, 'Broken pipe')))
=========================== short test summary info ============================
FAILED tests/test_api.py::test_upload - requests.exceptions.ConnectionError: ('Connection aborted.', BrokenPipeError(32, 'Broken pipe'))
============================== 1 failed in 61.02s ==============================
`;
const ERROR_LOG =
  '2026/11/24 22:10:01 [info] 3425#3425: *7 client timed out (110: Connection timed out) while reading client request body, client: 127.0.0.1, server: localhost, request: "POST /api/upload HTTP/1.1", host: "127.0.0.1:18080"\n';

async function logDir(): Promise<string> {
  const dir = await tempDir('whoreset-logs-');
  await writeFile(path.join(dir, 'pytest.log'), PYTEST_LOG);
  await mkdir(path.join(dir, 'nginx'));
  await writeFile(path.join(dir, 'nginx/error.log'), ERROR_LOG);
  return dir;
}

async function rulesDir(files: Record<string, object | string>): Promise<string> {
  const dir = await tempDir('whoreset-rules-');
  for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return dir;
}

interface Output {
  incidents: Array<{ attribution: string; cause: string; ruleId: string | null; advice: string[]; reasons?: string[] }>;
}

describe('whoreset with user rules', () => {
  it('leaves the new cause unknown without the user rule', async () => {
    const result = await runCli([await logDir(), '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const [incident] = (JSON.parse(result.stdout) as Output).incidents;
    assert.equal(incident!.attribution, 'unknown');
  });

  it('picks up a rule for a new nginx message with --rules', async () => {
    const rules = await rulesDir({ 'slow-body.json': userRule() });
    const result = await runCli([await logDir(), '--rules', rules, '--format', 'json']);
    assert.equal(result.code, 0, result.stderr);
    const [incident] = (JSON.parse(result.stdout) as Output).incidents;
    assert.equal(incident!.attribution, 'client');
    assert.equal(incident!.cause, 'team/slow-body');
    assert.equal(incident!.ruleId, 'team/slow-body');
    assert.deepEqual(incident!.advice, ['Send the body faster or raise client_body_timeout for /api/upload.']);
  });

  it('stops with exit code 2 and the precise problem, at file:line:column, when a rule file is broken', async () => {
    const rule = userRule({ atribution: 'client' });
    const rules = await rulesDir({ 'slow-body.json': rule });
    const result = await runCli([await logDir(), '--rules', rules, '--format', 'json']);
    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const where = `${path.join(rules, 'slow-body.json')}:${positionOf(JSON.stringify(rule, null, 2), '"atribution"')}`;
    assert.ok(result.stderr.includes(`\n${where}: /atribution: unknown key "atribution" (did you mean "attribution"?)`), result.stderr);
  });

  it('stops with exit code 2 on a value the schema refuses, at its line and column', async () => {
    const rule = userRule({ attribution: 'servr' });
    const rules = await rulesDir({ 'slow-body.json': rule });
    const result = await runCli([await logDir(), '--rules', rules]);
    assert.equal(result.code, 2);
    const where = `${path.join(rules, 'slow-body.json')}:${positionOf(JSON.stringify(rule, null, 2), '"attribution"')}`;
    assert.ok(result.stderr.includes(`\n${where}: /attribution: "servr" is not allowed (did you mean "server"?); expected one of: server,`), result.stderr);
  });

  it('stops with exit code 2 on a JSON syntax error, naming line and column', async () => {
    const rules = await rulesDir({ 'broken.json': '{ "id": "team/x" "title": "x" }' });
    const result = await runCli([await logDir(), '--rules', rules]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /broken\.json:1:18: invalid JSON: /);
  });
});

describe('whoreset rules', () => {
  it('test: runs every built-in example and prints N passed, 0 failed', async () => {
    const result = await runCli(['rules', 'test']);
    assert.equal(result.code, 0, result.stdout);
    assert.match(result.stdout, /^\d+ passed, 0 failed\n$/);
  });

  it('test DIR: runs a user folder\'s examples only', async () => {
    const result = await runCli(['rules', 'test', await rulesDir({ 'slow-body.json': userRule() })]);
    assert.equal(result.code, 0, result.stdout);
    assert.equal(result.stdout, '2 passed, 0 failed\n');
  });

  it('test DIR: names a failing example and exits 1', async () => {
    const rule = userRule();
    (rule.examples as { noMatch: unknown[] }).noMatch = (rule.examples as { match: unknown[] }).match;
    const result = await runCli(['rules', 'test', await rulesDir({ 'slow-body.json': rule })]);
    assert.equal(result.code, 1);
    assert.match(result.stdout, /FAIL team\/slow-body noMatch ".*": matched, but must not\n1 passed, 1 failed\n/);
  });

  it('validate DIR: exit 2 with the pointer for an unsafe pattern', async () => {
    const rule = userRule();
    (rule.when as { anchor: Record<string, unknown> }).anchor = { exception: { regex: '(\\w|\\d)*x' } };
    const result = await runCli(['rules', 'validate', await rulesDir({ 'r.json': rule })]);
    assert.equal(result.code, 2);
    const where = positionOf(JSON.stringify(rule, null, 2), '"regex"');
    assert.ok(result.stderr.includes(`r.json:${where}: /when/anchor/exception/regex: unsafe regular expression`), result.stderr);
  });

  it('validate DIR: exit 2 for a placeholder no incident fills, with the one meant', async () => {
    const rule = userRule();
    rule.advice = ['Replay it: curl -X {mehtod} {url}'];
    const result = await runCli(['rules', 'validate', await rulesDir({ 'r.json': rule })]);
    assert.equal(result.code, 2);
    const where = positionOf(JSON.stringify(rule, null, 2), '"advice"');
    assert.match(result.stderr, new RegExp(`r\\.json:${where}: /advice: unknown placeholder \\{mehtod\\}.*method`));
  });
});

describe('the seed alone', () => {
  it('is unknown because the server side is missing, not a guess', async () => {
    const result = await runCli([path.join(REPO, 'samples/21-seed-only'), '--format', 'json']);
    const [incident] = (JSON.parse(result.stdout) as Output).incidents;
    assert.equal(incident!.attribution, 'unknown');
    assert.equal(incident!.cause, 'unknown/no-server-logs');
    assert.ok(incident!.reasons?.includes('no server logs in the directory'), JSON.stringify(incident));
  });
});
