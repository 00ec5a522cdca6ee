import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { validateXML } from 'xmllint-wasm';
import { analyze, DEFAULT_WINDOW_MS, loadRules, type Analysis } from '../../src/index.js';
import { annotation, escapeData, escapeProperty, jobSummary, markdownCell } from '../../src/report/github.js';
import { junitXml, xmlText } from '../../src/report/junit.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const SAMPLES = ['05-upstream-reset', '23-squid-denied', '29-busy-same-second', '21-seed-only', '24-squid-connect'];
const analyses = new Map<string, Analysis>();
const XSD = path.join(REPO, 'test/report/fixtures/junit.xsd');

before(async () => {
  const rules = await loadRules([]);
  for (const sample of SAMPLES) analyses.set(sample, await analyze({ dir: path.join(REPO, 'samples', sample), include: [], exclude: [], zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules }));
});

/**
 * A workflow command as GitHub documents it: `::error file={name},line={line},title={title}::{message}`,
 * on one line; a property holds no raw `:` `,` `%` or line break, the message no raw `%` or line break.
 */
const COMMAND = /^::(error|warning) file=([^:,\r\n]+),line=(\d+),title=([^:,\r\n]+)::([^\r\n]+)$/;

describe('--format github', () => {
  it('escapes as @actions/core does: % CR LF in data, and : , too in properties', () => {
    assert.equal(escapeData('50% of 2:1,\r\nnext'), '50%25 of 2:1,%0D%0Anext');
    assert.equal(escapeProperty('I1: server, 50%\n'), 'I1%3A server%2C 50%25%0A');
  });

  it('annotates each incident on its deciding line, in the documented form', () => {
    for (const [sample, analysis] of analyses) {
      const dir = path.join('samples', sample);
      for (const v of analysis.verdicts) {
        const line = annotation(v, dir, { GITHUB_WORKSPACE: REPO });
        const m = COMMAND.exec(line);
        assert.ok(m, `${sample}: ${line}`);
        assert.equal(m[1], v.attribution === 'unknown' ? 'warning' : 'error');
        const deciding = v.ruleId === null ? v.incident.anchor : (v.deciding[0]?.event ?? v.incident.anchor);
        assert.equal(m[2], `samples/${sample}/${deciding.file}`);
        assert.equal(Number(m[3]), deciding.line);
        assert.match(decodeURIComponent(m[4]!), new RegExp(`^whoreset ${v.incident.id}: ${v.attribution} — `));
        assert.ok(decodeURIComponent(m[5]!).startsWith(`${v.attribution}: ${v.cause}`), line);
      }
    }
  });

  it('a log line cannot forge a command of its own', () => {
    const analysis = analyses.get('05-upstream-reset')!;
    const v = analysis.verdicts[0]!;
    const forged = { ...v, advice: ['x\n::warning file=evil::pwned', 'y\r\n::set-output name=a::b'] };
    const line = annotation(forged, 'samples/05-upstream-reset', { GITHUB_WORKSPACE: REPO });
    assert.equal(line.split(/\r|\n/).length, 1);
    assert.match(line, COMMAND);
  });

  it('writes the log text and appends a Markdown job summary to $GITHUB_STEP_SUMMARY', async () => {
    const dir = await tempDir();
    const summary = path.join(dir, 'summary.md');
    await writeFile(summary, '# an earlier step\n');
    const result = await runCliEnv(['samples/29-busy-same-second', '--format', 'github'], { GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: REPO });
    assert.equal(result.code, 0, result.stderr);
    const commands = result.stdout.split('\n').filter((line) => line.startsWith('::'));
    assert.equal(commands.length, 4);
    for (const command of commands) assert.match(command, COMMAND);
    const markdown = await readFile(summary, 'utf8');
    assert.ok(markdown.startsWith('# an earlier step\n## whoreset: 4 connection failure incident(s)'), markdown);
    // A GFM table: every row has the head's count of unescaped pipes.
    const rows = markdown.split('\n').filter((line) => line.startsWith('| I'));
    assert.equal(rows.length, 4);
    for (const row of rows) assert.equal(row.match(/(?<!\\)\|/g)!.length, 7, row);
  });

  it('keeps a table cell one cell whatever the log says', () => {
    assert.equal(markdownCell('a | b <script> `x` *y*\nz'), 'a \\| b \\<script\\> \\`x\\` \\*y\\*\\\\x0az');
    assert.ok(jobSummary(analyses.get('05-upstream-reset')!).includes('| I1 | server | server/upstream-reset | tests/test\\_api.py::test\\_export\\_csv |'));
  });
});

describe('--format junit', () => {
  it('is valid against the JUnit schema CI readers share, one failed test case per incident', async () => {
    const xsd = await readFile(XSD, 'utf8');
    for (const [sample, analysis] of analyses) {
      const xml = junitXml(analysis, new Date(Date.UTC(2026, 10, 24, 23, 0, 0)));
      const result = await validateXML({ xml: [{ fileName: `${sample}.xml`, contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
      assert.ok(result.valid, `${sample}: ${result.rawOutput}`);
      assert.equal(xml.match(/<testcase /g)?.length ?? 0, analysis.verdicts.length);
      assert.match(xml, new RegExp(`<testsuites name="whoreset" tests="${analysis.verdicts.length}" failures="${analysis.verdicts.length}"`));
      assert.match(xml, /timestamp="2026-11-24T23:00:00"/);
      for (const v of analysis.verdicts) assert.ok(xml.includes(`message="${xmlText(`${v.attribution}: ${v.cause}`, false)}`), `${sample} ${v.incident.id}`);
    }
  });

  it('the failure message names verdict, cause and the deciding line', () => {
    const xml = junitXml(analyses.get('05-upstream-reset')!);
    assert.match(xml, /<failure message="server: server\/upstream-reset — nginx\/error\.log:10 2026\/11\/24 23:03:11 \[error\] [^"]*readv\(\) failed \(104: Connection reset by peer\)/);
  });

  it('stays well-formed XML with a hostile log line', async () => {
    const xsd = await readFile(XSD, 'utf8');
    const analysis = analyses.get('05-upstream-reset')!;
    const v = analysis.verdicts[0]!;
    const hostile = { ...analysis, verdicts: [{ ...v, advice: ['</failure><testcase name="x">\x1b[2J\x00\ud800 & "\'\uffff'] }] };
    const xml = junitXml(hostile);
    const result = await validateXML({ xml: [{ fileName: 'hostile.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: xsd }] });
    assert.ok(result.valid, result.rawOutput);
    assert.match(xml, /&lt;\/failure&gt;&lt;testcase name=&quot;x&quot;&gt;\\x1b\[2J\\x00\ufffd &amp; &quot;&apos;\ufffd/);
  });

  it('is a usage error with events', async () => {
    const result = await runCli(['events', 'samples/05-upstream-reset', '--format', 'junit']);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--format junit is a report of the analysis: whoreset <dir> --format junit/);
  });
});

/** The CLI with extra environment variables. */
async function runCliEnv(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return await runCli(args);
  } finally {
    for (const key of Object.keys(env)) if (saved[key] === undefined) delete process.env[key];
  }
}
