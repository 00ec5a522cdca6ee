import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FALLBACK } from '../../src/parse/fallback.js';
import { FALLBACK_FORMAT, FORMATS } from '../../src/parse/formats.js';
import { parseLines } from '../../src/parse/run-lines.js';

describe('fallback', () => {
  it('is the registry fallback and claims nothing', () => {
    assert.equal(FALLBACK_FORMAT, FALLBACK);
    assert.ok(FALLBACK.detect(['curl: (56) Recv failure: Connection reset by peer'], 'x.log') < 0.2);
    for (const format of FORMATS) assert.ok(format.detect(['x'], 'x') >= 0);
  });
  FALLBACK.examples.forEach((example, i) => {
    it(`example ${i + 1}: ${example.lines[0]!.slice(0, 60)}`, () => {
      const { events } = parseLines(FALLBACK, example.lines);
      if (example.expect === null) {
        assert.equal(events.length, 0, JSON.stringify(events[0]));
        return;
      }
      assert.ok(events.length > 0, example.origin);
      for (const [key, value] of Object.entries(example.expect)) {
        assert.deepEqual(events[0]![key as keyof (typeof events)[0]], value, `${key} of ${JSON.stringify(events[0])}`);
      }
    });
  });
  it('takes the CI prefix time for an untimed line', () => {
    const { events } = parseLines(FALLBACK, ['2026-11-24T06:40:01.5000000Z Error: upload failed: ECONNRESET']);
    assert.equal(events[0]!.time, Date.UTC(2026, 10, 24, 6, 40, 1, 500));
    assert.equal(events[0]!.timeQuality, 'exact');
  });
  it('never drops a line naming a failure: only a chained traceback\'s repeat is one failure', () => {
    const lines = (texts: string[]) => parseLines(FALLBACK, texts).events.map((e) => [e.line, e.kind]);
    assert.deepEqual(lines(['worker-1 upload failed: Connection reset by peer', 'worker-2 upload failed: Connection reset by peer']), [[1, 'reset'], [2, 'reset']]);
    assert.deepEqual(lines(['  upload failed: Connection reset by peer', '  upload failed: Connection reset by peer']), [[1, 'reset'], [2, 'reset']]);
    const chain = ['ConnectionResetError: [Errno 104] Connection reset by peer', '', 'During handling of the above exception, another exception occurred:', '', 'Traceback (most recent call last):', "urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"];
    assert.deepEqual(lines(chain), [[1, 'reset']]);
  });
  it('never throws on odd input', () => {
    const { events } = parseLines(FALLBACK, ['\u0000\u0001', '{', '[', 'Error: ', 'java.net.SocketException', '\tat x', 'npm ERR! code', 'curl: (', '* ', '']);
    assert.ok(Array.isArray(events));
  });
});
