import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLines } from '../../src/read/lines.js';
import { tempDir } from '../helpers.js';

async function read(content: Buffer, options: { gzip: boolean; maxLineBytes?: number }) {
  const dir = await tempDir();
  const file = path.join(dir, 'input.log');
  await writeFile(file, content);
  const lines: Array<[string, number, number | undefined]> = [];
  const problems: Array<[number | undefined, string]> = [];
  await readLines(file, options, (text, no, time) => lines.push([text, no, time]), (line, message) => problems.push([line, message]));
  return { lines, problems };
}

describe('readLines', () => {
  it('strips CR, ANSI colours and a GitHub Actions prefix, keeping its time', async () => {
    const { lines, problems } = await read(Buffer.from('2026-11-24T06:40:01.1234567Z \x1b[31mFAILED\x1b[0m tests/a.py::t\r\nplain\r\n'), { gzip: false });
    assert.deepEqual(lines, [
      ['FAILED tests/a.py::t', 1, Date.parse('2026-11-24T06:40:01.123Z')],
      ['plain', 2, undefined],
    ]);
    assert.deepEqual(problems, []);
  });

  it('keeps what a terminal showed last after a bare CR (GitLab section markers)', async () => {
    const { lines } = await read(Buffer.from('section_start:1732430401:step_script\r\x1b[0K$ pytest -q\n'), { gzip: false });
    assert.equal(lines[0]![0], '$ pytest -q');
  });

  it('cuts an over-long line, reports it with its number, and reads on', async () => {
    const long = 'x'.repeat(5000);
    const { lines, problems } = await read(Buffer.from(`first\n${long}\nlast\n`), { gzip: false, maxLineBytes: 1000 });
    assert.deepEqual(lines.map(([text, no]) => [text.length, no]), [[5, 1], [1000, 2], [4, 3]]);
    assert.equal(problems.length, 1);
    assert.equal(problems[0]![0], 2);
    assert.match(problems[0]![1], /longer than 1000 bytes/);
  });

  it('cuts an over-long line that spans many chunks without buffering it', async () => {
    const { lines, problems } = await read(Buffer.concat([Buffer.from('a\n'), Buffer.alloc(3 * 1024 * 1024, 0x79), Buffer.from('\nb\n')]), { gzip: false });
    assert.deepEqual(lines.map(([text, no]) => [text.length, no]), [[1, 1], [1024 * 1024, 2], [1, 3]]);
    assert.equal(problems[0]![0], 2);
  });

  it('replaces invalid UTF-8 and reports the first line once', async () => {
    const { lines, problems } = await read(Buffer.concat([Buffer.from('ok\nbad '), Buffer.from([0xff, 0xfe]), Buffer.from('\nbad again '), Buffer.from([0xc3]), Buffer.from('\n')]), { gzip: false });
    assert.equal(lines.length, 3);
    assert.match(lines[1]![0], /\uFFFD/);
    assert.equal(problems.length, 1);
    assert.match(problems[0]![1], /2 line\(s\) with invalid UTF-8, first at line 2/);
  });

  it('reads gzip, and a truncated gzip up to the cut, reporting it', async () => {
    const body = Array.from({ length: 2000 }, (_, i) => `line ${i} ${'z'.repeat(40)}`).join('\n') + '\n';
    const whole = await read(gzipSync(body), { gzip: true });
    assert.equal(whole.lines.length, 2000);
    const gz = gzipSync(body);
    const cut = await read(gz.subarray(0, Math.floor(gz.length / 2)), { gzip: true });
    assert.ok(cut.lines.length > 0 && cut.lines.length < 2000);
    assert.match(cut.problems.at(-1)![1], /truncated or corrupt/);
  });
});
