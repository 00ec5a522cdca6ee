import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { BUILT_IN_RULES_DIR, BUILT_IN_RULES_STAMP, loadRules, RuleLoadError, ruleFilesIn, rulesStamp, stampedRules, type RuleProblem } from '../../src/attribute/load.js';
import { tempDir } from '../helpers.js';

/** A valid user rule, to be broken one way at a time. */
export function userRule(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'team/slow-body',
    title: 'nginx timed out reading the request body',
    attribution: 'client',
    confidence: 0.8,
    priority: 860,
    when: {
      anchor: { kind: ['broken-pipe', 'reset'] },
      present: [{ source: ['nginx-error'], kind: ['client-timeout'], text: { regex: 'while reading client request body' } }],
    },
    advice: ['Send the body faster or raise client_body_timeout for {path}.'],
    examples: {
      match: [
        {
          name: 'broken pipe; nginx "client timed out while reading client request body"',
          anchor: { source: 'pytest', kind: 'broken-pipe', path: '/api/upload' },
          events: [{ source: 'nginx-error', kind: 'client-timeout', path: '/api/upload', excerpt: 'client timed out (110: Connection timed out) while reading client request body' }],
        },
      ],
      noMatch: [
        {
          name: 'timed out reading the headers',
          anchor: { source: 'pytest', kind: 'broken-pipe', path: '/api/upload' },
          events: [{ source: 'nginx-error', kind: 'client-timeout', path: '/api/upload', excerpt: 'client timed out (110: Connection timed out) while reading client request headers' }],
        },
      ],
    },
    ...overrides,
  };
}

/** line:column (1-based) of the first occurrence of `needle` in a file's text, found by plain search. */
export function positionOf(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `${needle} is not in the text`);
  return `${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
}

const at = (problem: RuleProblem) => `${problem.line}:${problem.column}`;

async function ruleDir(files: Record<string, string | object>): Promise<string> {
  const dir = await tempDir('whoreset-rules-');
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

async function problemsOf(dir: string): Promise<RuleProblem[]> {
  try {
    await loadRules([dir], { builtIn: false });
  } catch (error) {
    assert.ok(error instanceof RuleLoadError, String(error));
    return error.problems;
  }
  assert.fail('the rules loaded');
}

describe('loadRules', () => {
  it('loads a valid user rule', async () => {
    const rules = await loadRules([await ruleDir({ 'slow-body.json': userRule() })], { builtIn: false });
    assert.deepEqual(rules.map((r) => [r.id, r.builtIn]), [['team/slow-body', false]]);
  });

  it('answers a misspelt key with the file, the key\'s JSON pointer, its line:column and "did you mean"', async () => {
    const rule = userRule({ priorty: 5 });
    const dir = await ruleDir({ 'bad.json': rule });
    const [problem, ...rest] = await problemsOf(dir);
    assert.equal(rest.length, 0);
    assert.equal(problem!.file, path.join(dir, 'bad.json'));
    assert.equal(problem!.pointer, '/priorty');
    assert.equal(at(problem!), positionOf(JSON.stringify(rule, null, 2), '"priorty"'));
    assert.match(problem!.message, /unknown key "priorty" \(did you mean "priority"\?\)/);
  });

  it('points into nested objects', async () => {
    const rule = userRule();
    (rule.when as { anchor: Record<string, unknown> }).anchor = { kinds: ['reset'] };
    const [problem] = await problemsOf(await ruleDir({ 'nested.json': rule }));
    assert.equal(problem!.pointer, '/when/anchor/kinds');
    assert.equal(at(problem!), positionOf(JSON.stringify(rule, null, 2), '"kinds"'));
    assert.match(problem!.message, /unknown key "kinds" \(did you mean "kind"\?\)/);
  });

  it('locates a value against the schema at its key, one in an array at itself', async () => {
    const rule = userRule({ attribution: 'servr', confidence: 2 });
    (rule.when as { anchor: Record<string, unknown> }).anchor = { kind: ['reset', 4242] };
    const text = JSON.stringify(rule, null, 2);
    const problems = await problemsOf(await ruleDir({ 'values.json': rule }));
    assert.deepEqual(
      problems.map((p) => [p.pointer, at(p)]),
      [
        ['/attribution', positionOf(text, '"attribution"')],
        ['/confidence', positionOf(text, '"confidence"')],
        ['/when/anchor/kind/1', positionOf(text, '4242')],
      ],
    );
    assert.match(problems[0]!.message, /"servr" is not allowed \(did you mean "server"\?\)/);
  });

  it('refuses an event kind the model does not define, with a close match', async () => {
    const rule = userRule();
    (rule.when as { present: Array<Record<string, unknown>> }).present[0]!.kind = ['client-timout'];
    const [problem] = await problemsOf(await ruleDir({ 'kind.json': rule }));
    assert.equal(problem!.pointer, '/when/present/0/kind/0');
    assert.equal(at(problem!), positionOf(JSON.stringify(rule, null, 2), '"client-timout"'));
    assert.match(problem!.message, /unknown event kind "client-timout" \(did you mean "client-timeout"\?\)/);
  });

  it('refuses an unsafe regular expression at its pointer', async () => {
    const rule = userRule();
    (rule.when as { anchor: Record<string, unknown> }).anchor = { text: { regex: '(a+)+$' } };
    const [problem] = await problemsOf(await ruleDir({ 'regex.json': rule }));
    assert.equal(problem!.pointer, '/when/anchor/text/regex');
    assert.match(problem!.message, /unsafe regular expression: a repeated group holds a quantifier/);
  });

  it('refuses backreferences and invalid patterns', async () => {
    const backref = userRule();
    (backref.when as { present: Array<Record<string, unknown>> }).present[0]!.text = { regex: '(a)\\1' };
    const invalid = userRule({ id: 'team/other' });
    (invalid.when as { present: Array<Record<string, unknown>> }).present[0]!.text = { regex: '(unclosed' };
    const problems = await problemsOf(await ruleDir({ 'a.json': backref, 'b.json': invalid }));
    assert.deepEqual(problems.map((p) => p.pointer), ['/when/present/0/text/regex', '/when/present/0/text/regex']);
    assert.match(problems[0]!.message, /backreferences/);
    assert.match(problems[1]!.message, /Invalid regular expression/);
  });

  it('refuses a time range that runs backwards', async () => {
    const rule = userRule();
    (rule.when as { present: Array<Record<string, unknown>> }).present[0]!.between = [2, -2];
    const [problem] = await problemsOf(await ruleDir({ 'range.json': rule }));
    assert.equal(problem!.pointer, '/when/present/0/between');
  });

  it('gives the line and column of a JSON syntax error', async () => {
    const text = '{\n  "id": "team/x",\n  "title": "x",,\n}\n';
    const [problem] = await problemsOf(await ruleDir({ 'syntax.json': text }));
    assert.equal(problem!.pointer, '');
    assert.equal(at(problem!), '3:16');
    assert.match(problem!.message, /^invalid JSON: /);
  });

  it('gives the end of the text when a JSON document stops short', async () => {
    const [problem] = await problemsOf(await ruleDir({ 'short.json': '{\n  "id": ' }));
    assert.equal(at(problem!), '2:9');
    assert.match(problem!.message, /^invalid JSON: .*end of JSON input/);
  });

  it('replaces a built-in rule by id and removes one that is disabled', async () => {
    const builtIn = await loadRules([]);
    assert.ok(builtIn.some((r) => r.id === 'server/nginx-444' && r.builtIn));
    assert.ok(builtIn.some((r) => r.id === 'server/reload'));
    const dir = await ruleDir({
      'nginx-444.json': userRule({ id: 'server/nginx-444', title: 'our own 444 rule', attribution: 'server' }),
      'no-reload.json': userRule({ id: 'server/reload', disabled: true }),
    });
    const rules = await loadRules([dir]);
    const mine = rules.filter((r) => r.id === 'server/nginx-444');
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.title, 'our own 444 rule');
    assert.equal(mine[0]!.builtIn, false);
    assert.ok(!rules.some((r) => r.id === 'server/reload'));
    assert.equal(rules.length, builtIn.length - 1);
  });

  it('refuses two files with one id in one folder', async () => {
    const problems = await problemsOf(await ruleDir({ 'a.json': userRule(), 'b.json': userRule() }));
    assert.equal(problems[0]!.pointer, '/id');
    assert.match(problems[0]!.message, /already used/);
  });
});

describe('built-in rules checked at build time', () => {
  const read = (files: string[]) => files.map((file) => readFileSync(file, 'utf8'));

  it('the stamp the build wrote records the built-in rules as they are now', async () => {
    const files = await ruleFilesIn(BUILT_IN_RULES_DIR, []);
    assert.ok(files.length > 0);
    assert.ok(readFileSync(BUILT_IN_RULES_STAMP, 'utf8') === rulesStamp(BUILT_IN_RULES_DIR, files, read(files)), 'stale stamp: run npm run build');
  });

  it('rules read through a stamp are the rules checked one by one', async () => {
    const dir = await ruleDir({ 'a.json': userRule(), 'sub/b.json': userRule({ id: 'team/other', priority: 5 }) });
    const files = await ruleFilesIn(dir, []);
    const stampFile = path.join(await tempDir(), 'stamp');
    await writeFile(stampFile, rulesStamp(dir, files, read(files)));
    const checked = (await loadRules([dir], { builtIn: false })).map((rule) => ({ ...rule, builtIn: true }));
    assert.equal(checked.length, 2);
    assert.deepEqual(stampedRules(dir, files, stampFile)?.sort((a, b) => a.id.localeCompare(b.id)), checked);
  });

  it('a file that differs from the stamp by one character, or no stamp, and the rules are checked again', async () => {
    const dir = await ruleDir({ 'a.json': userRule() });
    const files = await ruleFilesIn(dir, []);
    const stampFile = path.join(await tempDir(), 'stamp');
    await writeFile(stampFile, rulesStamp(dir, files, read(files)));
    assert.ok(stampedRules(dir, files, stampFile));
    await writeFile(files[0]!, JSON.stringify(userRule({ priority: 861 }), null, 2));
    assert.equal(stampedRules(dir, files, stampFile), undefined);
    await rm(stampFile);
    assert.equal(stampedRules(dir, files, stampFile), undefined);
  });
});
