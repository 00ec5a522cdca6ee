import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { safeReportText, writeReportText } from '../../src/cli/stdout.js';
import { escapeJsonControls, holdsJsonControls } from '../../src/report/output.js';
import type { OutputFormat } from '../../src/report/event-writer.js';

/** The bytes writeReportText hands a stream (a file's or a terminal's). */
function written(format: OutputFormat, text: string, isTTY: boolean): Buffer {
  const chunks: Buffer[] = [];
  const stream = {
    isTTY,
    write: (chunk: string | Buffer, encoding?: BufferEncoding) => chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk)) > 0,
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
    '{"excerpt": "café ünïcödé ✓ 𝄞 … \u00a0 \u2029 \u202f \u2065 \u206a"}',
    '{"excerpt": "lone \ud800 surrogate"}',
    '{"excerpt": "ends in C2"}\u00c2',
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
  it('finds in UTF-8 exactly the characters escapeJsonControls escapes', () => {
    for (let code = 0; code <= 0xffff; code++) {
      if (code >= 0xd800 && code <= 0xdfff) continue;
      const c = String.fromCharCode(code);
      assert.equal(holdsJsonControls(Buffer.from(`a${c}b`)), escapeJsonControls(c) !== c, `U+${code.toString(16)}`);
      assert.equal(holdsJsonControls(Buffer.from(c)), escapeJsonControls(c) !== c, `U+${code.toString(16)} alone`);
    }
    assert.equal(holdsJsonControls(Buffer.from('\u{1d11e}\u{e0080}\u{10ffff}')), false);
  });
  it('escapes DEL and C1 codes in JSON, whose bytes then hold none', () => {
    assert.equal(written('json', '"\x7f\x9b"', false).toString('latin1'), '"\\u007f\\u009b"');
  });
});
