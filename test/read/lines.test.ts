import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CHUNK_BYTES, readLines } from '../../src/read/lines.js';
import { tempDir } from '../helpers.js';

async function read(content: Buffer, options: { gzip: boolean; maxLineBytes?: number }) {
  const dir = await tempDir();
  const file = path.join(dir, 'input.log');
  await writeFile(file, content);
  const lines: Array<[string, number, number | undefined]> = [];
  const streams: Array<string | undefined> = [];
  const problems: Array<[number | undefined, string]> = [];
  await readLines(
    file,
    options,
    (text, no, time, stream) => {
      lines.push([text, no, time]);
      streams.push(stream);
    },
    (line, message) => problems.push([line, message]),
  );
  return { lines, streams, problems };
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

  /** Lines that fill a file up to `at` bytes, so that what follows starts there. */
  function fillTo(at: number): string {
    const head = at % 100 === 0 ? '' : 'y'.repeat((at % 100) - 1) + '\n';
    return head + ('x'.repeat(99) + '\n').repeat(Math.floor(at / 100));
  }

  it('cleans a line whose CR and colour code are in the chunk before, the rest in a chunk without any', async () => {
    const noisyHead = 'progress 10%\rprogress 100% \x1b[32m';
    const content = fillTo(CHUNK_BYTES - noisyHead.length) + noisyHead + 'done\x1b[0m\nplain\n';
    assert.equal(content.indexOf('done'), CHUNK_BYTES); // the CR and a colour code in the first chunk; the second has neither
    const { lines } = await read(Buffer.from(content), { gzip: false });
    assert.deepEqual(lines.slice(-2).map(([text]) => text), ['progress 100% done', 'plain']);
  });

  it('cleans every noisy line among clean ones of a chunk, noise at their start and end included', async () => {
    const { lines } = await read(Buffer.from('a\r\nclean\n\rshown\n\x1b[1mbold\x1b[0m\nclean\nx\ry\nlast\x1b[0m\nclean\n'), { gzip: false });
    assert.deepEqual(lines.map(([text]) => text), ['a', 'clean', 'shown', 'bold', 'clean', 'y', 'last', 'clean']);
  });

  it('finds docker compose prefixes among other bars, across chunks, and behind colour codes', async () => {
    const head = '| name | value |\nweb-1  | up\nplain\n';
    const split = 'web-1  | ';
    const content = head + fillTo(CHUNK_BYTES - head.length - split.length) + split + 'across\napi-1  |\x1b[0m coloured\n';
    assert.equal(content.indexOf('across'), CHUNK_BYTES); // the bar in the first chunk; the second has no "| "
    const { lines, streams } = await read(Buffer.from(content), { gzip: false });
    assert.deepEqual(lines.slice(0, 3).map(([text]) => text), ['| name | value |', 'up', 'plain']);
    assert.deepEqual(streams.slice(0, 3), [undefined, 'web-1', undefined]);
    assert.deepEqual(lines.slice(-2).map(([text]) => text), ['across', 'coloured']);
    assert.deepEqual(streams.slice(-2), ['web-1', 'api-1']);
  });

  it('decodes a character whose bytes straddle two chunks of one read', async () => {
    const content = Buffer.concat([Buffer.from(fillTo(CHUNK_BYTES - 2)), Buffer.from('日本\n'), Buffer.from(fillTo(CHUNK_BYTES))]); // 日: 3 bytes
    const { lines, problems } = await read(content, { gzip: false });
    assert.ok(lines.some(([text]) => text === '日本'));
    assert.deepEqual(problems, []);
  });

  it('gives GitHub Actions lines their own times when the second changes between lines and chunks', async () => {
    const stamped = Array.from({ length: 3000 }, (_, i) => `2026-11-24T06:${String(40 + Math.floor(i / 600)).padStart(2, '0')}:${String(Math.floor(i / 10) % 60).padStart(2, '0')}.${String(i % 10)}23456Z line ${i} ${'z'.repeat(40)}`);
    const { lines } = await read(Buffer.from(stamped.join('\n') + '\n'), { gzip: false });
    assert.equal(lines.length, 3000);
    lines.forEach(([text, no, time], i) => {
      assert.equal(text, `line ${i} ${'z'.repeat(40)}`);
      assert.equal(no, i + 1);
      assert.equal(time, Date.UTC(2026, 10, 24, 6, 40 + Math.floor(i / 600), Math.floor(i / 10) % 60, (i % 10) * 100 + 23));
    });
  });
});
