import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUILT_IN_RULES_DIR, loadRules } from '../../src/attribute/load.js';
import { superLinearReason, unsafeRegexReason } from '../../src/attribute/safe-regex.js';
import { userRule } from '../attribute/load.test.js';
import { runCli, tempDir } from '../helpers.js';

/** A user rule whose nginx-error text pattern is `regex`. */
function ruleWithText(regex: string): Record<string, unknown> {
  const rule = userRule();
  const when = rule['when'] as { present: Array<{ text: { regex: string } }> };
  when.present[0]!.text.regex = regex;
  return rule;
}

async function folderWith(files: Record<string, string>): Promise<string> {
  const dir = await tempDir('whoreset-rules-');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return dir;
}

describe('user rule patterns that backtrack super-linearly are refused', () => {
  for (const regex of ['(a?a?)+$', 'z*z*z*z*z*z*Q', '(a+)+$', '(?:x|xy)*$']) {
    it(`rules validate refuses /${regex}/, naming file, place and why`, { timeout: 60_000 }, async () => {
      const dir = await folderWith({ 'slow.json': JSON.stringify(ruleWithText(regex)) });
      const result = await runCli(['rules', 'validate', dir]);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /slow\.json:1:\d+: \/when\/present\/0\/text\/regex: unsafe regular expression: .*(exponential|polynomial|backtrack)/);
    });
  }
  it('the quick gate catches a quantified group of optionals', () => {
    assert.match(unsafeRegexReason('(a?a?)+$') ?? '', /optional/);
    assert.equal(unsafeRegexReason('(?:GET|POST) /api'), undefined);
  });
  it('recheck finds what the quick gate cannot see', () => {
    assert.equal(unsafeRegexReason('z*z*z*z*z*z*Q'), undefined);
    assert.match(superLinearReason('z*z*z*z*z*z*Q', '', true) ?? '', /polynomial/);
  });
  it('a quadratic pattern is kept for short texts, refused for paths', () => {
    assert.equal(superLinearReason('\\s*foo\\s*bar', '', true), undefined);
    assert.match(superLinearReason('\\s*foo\\s*bar', '', false) ?? '', /2nd degree polynomial/);
  });
  it('every built-in pattern passes the analysis', { timeout: 120_000 }, async () => {
    const rules = await loadRules([], { builtIn: true });
    assert.ok(rules.length > 0);
    const patterns = JSON.stringify(rules).match(/"regex":"(?:[^"\\]|\\.)*"/g) ?? [];
    for (const pattern of patterns) {
      const regex = (JSON.parse(`{${pattern}}`) as { regex: string }).regex;
      assert.equal(superLinearReason(regex, '', true), undefined, regex);
    }
    assert.ok(BUILT_IN_RULES_DIR);
  });
  it('a safe user rule still loads', async () => {
    const dir = await folderWith({ 'ok.json': JSON.stringify(userRule()) });
    assert.equal((await loadRules([dir], { builtIn: false })).length, 1);
  });
});

describe('rule folders that are not what they seem', () => {
  it('a folder with links to itself finishes loading', { timeout: 30_000 }, async () => {
    const dir = await folderWith({ 'ok.json': JSON.stringify(userRule()) });
    await mkdir(path.join(dir, 'a'));
    await symlink('..', path.join(dir, 'a', 'up'));
    await symlink('.', path.join(dir, 'self'));
    const result = await runCli(['rules', 'validate', dir]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^1 rule\(s\) valid/);
  });
  it('a missing --rules folder is exit 2, and so is rules validate of it', async () => {
    const missing = path.join(await tempDir(), 'nope');
    for (const args of [['rules', 'validate', missing], [missing, '--rules', missing]]) {
      const result = await runCli(args);
      assert.equal(result.code, 2, result.stdout + result.stderr);
      assert.match(result.stderr, /nope: no such folder/);
    }
  });
  it('an unreadable rule file and a value nested 100k deep are clear problems, not internal errors', async () => {
    const dir = await folderWith({ 'deep.json': '['.repeat(100_000) + ']'.repeat(100_000) });
    await symlink('/nonexistent/rule', path.join(dir, 'gone.json'));
    const result = await runCli(['rules', 'validate', dir]);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /deep\.json: nested more than 64 levels deep/);
    assert.match(result.stderr, /gone\.json: cannot be read: ENOENT/);
    assert.doesNotMatch(result.stderr, /internal error|\n\s+at /);
  });
});
