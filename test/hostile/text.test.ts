import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { readLines } from '../../src/read/lines.js';
import { looksBinary, sniffEncoding } from '../../src/read/encoding.js';
import { REPO, runCli, tempDir } from '../helpers.js';

const SAMPLE = path.join(REPO, 'samples/05-upstream-reset/pytest.log');

/** The events of one file, as `whoreset events` gives them, without the file name. */
async function eventsOf(name: string, bytes: Buffer): Promise<{ events: string[]; stderr: string }> {
  const dir = await tempDir();
  await writeFile(path.join(dir, name), bytes);
  const result = await runCli(['events', dir, '--format', 'ndjson']);
  assert.equal(result.code, 0, result.stderr);
  const events = result.stdout.trim().split('\n').filter(Boolean).map((line) => {
    const { file: _file, id: _id, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return JSON.stringify(rest);
  });
  return { events, stderr: result.stderr };
}

async function lines(bytes: Buffer, gzip = false): Promise<{ lines: string[]; problems: string[] }> {
  const dir = await tempDir();
  const file = path.join(dir, 'x.log');
  await writeFile(file, bytes);
  const out: string[] = [];
  const problems: string[] = [];
  await readLines(file, { gzip }, (text) => out.push(text), (no, message) => problems.push(`${no}: ${message}`));
  return { lines: out, problems };
}

describe('text as it is written', async () => {
  const original = await readFile(SAMPLE);
  const text = original.toString('utf8');
  const expected = (await eventsOf('pytest.log', original)).events;

  it('the sample gives events to compare with', () => assert.ok(expected.length > 0));
  const variants: Array<[string, Buffer]> = [
    ['UTF-16 LE with BOM (PowerShell >)', Buffer.concat([Buffer.of(0xff, 0xfe), Buffer.from(text, 'utf16le')])],
    ['UTF-16 LE without BOM', Buffer.from(text, 'utf16le')],
    ['UTF-16 BE with BOM', Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from(text, 'utf16le').swap16()])],
    ['UTF-16 BE without BOM', Buffer.from(text, 'utf16le').swap16()],
    ['a UTF-8 BOM', Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), original])],
    ['a copytruncate hole of NULs before it', Buffer.concat([Buffer.alloc(20_000), original])],
    ['lone CR line ends', Buffer.from(text.replaceAll('\n', '\r'))],
    ['CRLF line ends', Buffer.from(text.replaceAll('\n', '\r\n'))],
  ];
  for (const [what, bytes] of variants) {
    it(`${what}: the same events`, async () => {
      assert.deepEqual((await eventsOf('pytest.log', bytes)).events, expected);
    });
  }
  it('a UTF-8 BOM is not part of the first line', async () => {
    const { lines: read } = await lines(Buffer.from('\uFEFFfirst\nsecond\n'));
    assert.deepEqual(read, ['first', 'second']);
  });
  it('one NUL in a line is left out and reported, the file is not skipped as binary', async () => {
    const { lines: read, problems } = await lines(Buffer.from('a\nb\0c\nd\n'));
    assert.deepEqual(read, ['a', 'bc', 'd']);
    assert.deepEqual(problems, ['2: 1 line(s) with NUL bytes, first at line 2: the NUL bytes left out']);
    assert.equal(looksBinary(Buffer.from('a\nb\0c\nd\n')), false);
  });
  it('real binary content is still binary', () => {
    const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    assert.equal(looksBinary(binary), true);
    assert.equal(sniffEncoding(Buffer.alloc(4096)).encoding, 'utf8');
  });
  it('a UTF-16 BE chunk boundary may split a code unit', async () => {
    const long = 'x'.repeat(300_001) + '\nlast\n';
    const { lines: read } = await lines(Buffer.concat([Buffer.of(0xfe, 0xff), Buffer.from(long, 'utf16le').swap16()]));
    assert.deepEqual(read, ['x'.repeat(300_001), 'last']);
  });
});

describe('a parser that throws', () => {
  it('costs its line: the problem names it and the rest of the file is read', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'x.log');
    await writeFile(file, 'one\ntwo\nthree\n');
    const seen: string[] = [];
    const problems: string[] = [];
    await readLines(
      file,
      { gzip: false },
      (text) => {
        if (text === 'two') throw new Error('boom');
        seen.push(text);
      },
      (no, message) => problems.push(`${no}: ${message}`),
    );
    assert.deepEqual(seen, ['one', 'three']);
    assert.match(problems[0]!, /^2: internal error while parsing this line.*boom/);
  });
});

describe('a gzip that expands without limit', () => {
  it('is read up to the limit, and the limit is reported', { timeout: 60_000 }, async () => {
    const bomb = gzipSync(Buffer.from('2026-11-24 06:40:01,000 INFO nothing\n'.repeat(200_000)));
    const saved = process.env['WHORESET_MAX_DECOMPRESSED_MIB'];
    process.env['WHORESET_MAX_DECOMPRESSED_MIB'] = '1';
    try {
      const { lines: read, problems } = await lines(bomb, true);
      assert.ok(read.length > 20_000 && read.length < 40_000, String(read.length));
      assert.match(problems.at(-1)!, /decompressed to more than 1 MiB: the rest is not read \(--max-decompressed/);
    } finally {
      if (saved === undefined) delete process.env['WHORESET_MAX_DECOMPRESSED_MIB'];
      else process.env['WHORESET_MAX_DECOMPRESSED_MIB'] = saved;
    }
  });
});
