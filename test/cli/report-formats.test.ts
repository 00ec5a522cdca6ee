import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { spawnSync } from 'node:child_process';
import { CLI, REPO, runCli } from '../helpers.js';

describe('CLI: report formats', () => {
  it('--bom starts the CSV with U+FEFF, and only the CSV', async () => {
    const plain = await runCli(['samples/05-upstream-reset', '--format', 'csv']);
    const bom = await runCli(['samples/05-upstream-reset', '--format', 'csv', '--bom']);
    assert.equal(bom.code, 0, bom.stderr);
    assert.equal(bom.stdout, '\ufeff' + plain.stdout);
    const events = await runCli(['events', 'samples/05-upstream-reset', '--format', 'csv', '--bom']);
    assert.ok(events.stdout.startsWith('\ufeffincident,id,'), events.stdout.slice(0, 40));
    const json = await runCli(['samples/05-upstream-reset', '--format', 'json', '--bom']);
    assert.equal(json.code, 2);
    assert.match(json.stderr, /--bom goes with --format csv/);
  });

  it('writes the HTML page and the workbook, and refuses them where they make no sense', async () => {
    const html = await runCli(['samples/05-upstream-reset', '--format', 'html']);
    assert.equal(html.code, 0, html.stderr);
    assert.ok(html.stdout.startsWith('<!DOCTYPE html>'));
    assert.ok(html.stdout.trimEnd().endsWith('</html>'));
    const xlsx = await runCli(['samples/05-upstream-reset', '--format', 'xlsx']);
    assert.equal(xlsx.code, 0, xlsx.stderr);
    assert.ok(xlsx.stdout.startsWith('PK'), 'a zip');
    for (const format of ['html', 'xlsx']) {
      const events = await runCli(['events', 'samples/05-upstream-reset', '--format', format]);
      assert.equal(events.code, 2);
      assert.match(events.stderr, new RegExp(`--format ${format} is a report of the analysis`));
    }
  });
});

describe('CLI: xlsx on a terminal', () => {
  // `script` gives the CLI a terminal for stdout, as a person typing the command has.
  const script = spawnSync('script', ['--version']).status === 0;
  it('refuses to write a binary workbook to a terminal, saying how to write it to a file', { skip: script ? false : 'no `script` (util-linux) to run under a terminal' }, () => {
    const run = spawnSync('script', ['-qec', `${process.execPath} ${CLI} samples/05-upstream-reset --format xlsx`, '/dev/null'], { cwd: REPO, encoding: 'utf8' });
    assert.equal(run.status, 2);
    assert.match(run.stdout, /--format xlsx writes a binary workbook: send it to a file/);
    assert.doesNotMatch(run.stdout, /PK/);
  });
});
