import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReportText, writeReportText } from '../../src/cli/stdout.js';
import type { OutputFormat } from '../../src/report/event-writer.js';

/** The bytes writeReportText hands a stream (a file's or a terminal's). */
function written(format: OutputFormat, text: string, isTTY: boolean): Buffer {
  const chunks: Buffer[] = [];
  const stream = {
    isTTY,
    write: (chunk: string, encoding?: BufferEncoding) => chunks.push(Buffer.from(chunk, encoding ?? 'utf8')) > 0,
  } as unknown as Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  writeReportText(format, text, stream);
  return Buffer.concat(chunks);
}

describe('writeReportText', () => {
  const texts = [
    '{"excerpt": "plain ASCII"}',
    '{"excerpt": "tab\\there \\u0001 ~"}',
    '{"excerpt": "DEL \x7f"}',
    '{"excerpt": "C1 \x9b31m"}',
    '{"excerpt": "bidi \u202e and \u2067"}',
    '{"excerpt": "café ünïcödé ✓ 𝄞"}',
    'id,excerpt\r\nI1,"ESC \x1b[31m"\r\n',
    '\ufeffid,excerpt\r\nI1,Grüße\r\n',
  ];
  for (const format of ['json', 'ndjson', 'ecs', 'csv', 'table'] as const) {
    for (const isTTY of [false, true]) {
      it(`writes the UTF-8 of safeReportText (${format}, ${isTTY ? 'terminal' : 'file'})`, () => {
        for (const text of texts) assert.deepEqual(written(format, text, isTTY), Buffer.from(safeReportText(format, text, isTTY), 'utf8'), text);
      });
    }
  }
  it('escapes DEL and C1 codes in JSON, whose bytes then hold none', () => {
    assert.equal(written('json', '"\x7f\x9b"', false).toString('latin1'), '"\\u007f\\u009b"');
  });
});
