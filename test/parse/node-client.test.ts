import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FALLBACK } from '../../src/parse/fallback.js';
import { NODE_FORMAT } from '../../src/parse/node-client.js';
import { parseLines } from '../../src/parse/run-lines.js';

const kindsAt = (lines: string[]) => parseLines(NODE_FORMAT, lines).events.map((e) => [e.line, e.source, e.kind]);

// util.inspect prints an Error as its stack, then its own properties in braces (lib/internal/util/inspect.js formatError).
describe('Node client errors', () => {
  it('an inspected error is one failure: its frames and properties block open none of their own', () => {
    for (const format of [NODE_FORMAT, FALLBACK]) {
      for (const example of NODE_FORMAT.examples) {
        const { events } = parseLines(format, example.lines);
        assert.equal(events.length, example.expect === null ? 0 : 1, `${format.source}: ${example.origin}: ${JSON.stringify(events)}`);
      }
    }
  });
  it('reads an error printed inside an object: console.error({ err })', () => {
    const lines = [
      '{',
      '  err: Error: socket hang up',
      '      at Socket.socketOnEnd (node:_http_client:528:25)',
      '      at Socket.emit (node:events:536:35)',
      '      at endReadableNT (node:internal/streams/readable:1698:12)',
      '      at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {',
      "    code: 'ECONNRESET'",
      '  }',
      '}',
    ];
    assert.deepEqual(kindsAt(lines), [[2, 'node', 'remote-disconnected']]);
  });
  it('a head after other text without a stack frame after it stays a line of its own, and the next line is read', () => {
    const lines = ['worker-1 upload failed: Error: read ECONNRESET', '  retry 1: connect ECONNREFUSED 127.0.0.1:8080'];
    assert.deepEqual(kindsAt(lines), [
      [1, 'other', 'reset'],
      [2, 'other', 'refused'],
    ]);
  });
  it('a Java frame does not make a Node error of a head after other text', () => {
    const lines = ['sync failed: Error: read ECONNRESET', '\tat com.example.Sync.run(Sync.java:42)', "  code: 'ECONNRESET'"];
    assert.equal(parseLines(NODE_FORMAT, lines).events[0]!.source, 'other');
  });
});
