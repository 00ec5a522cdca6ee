import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/discover.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { FORMATS } from '../../src/parse/formats.js';
import { scanFiles } from '../../src/run/scan.js';
import { csvRow } from '../../src/report/csv.js';
import { EventBytes, eventCsvCells, eventRecord } from '../../src/report/event-record.js';
import { ChunkBuffer } from '../../src/report/output.js';
import { REPO } from '../helpers.js';

/**
 * The bytes the byte writers give, through chunks of `chunkBytes` (small ones end anywhere), each
 * copied and its memory given again for the chunk after the next (as a worker reuses it).
 */
function written(events: readonly ConnectionEvent[], incident: string | undefined, format: 'json' | 'csv', chunkBytes?: number): Buffer {
  const chunks: Buffer[] = [];
  const memory = chunkBytes ? [Buffer.alloc(chunkBytes), Buffer.alloc(chunkBytes)] : [];
  let turn = 0;
  const out = new ChunkBuffer((chunk) => chunks.push(Buffer.from(chunk)), chunkBytes ? () => memory[turn++ % 2]!.fill(0) : undefined);
  const bytes = new EventBytes(format);
  for (const event of events) {
    bytes.write(out, event, incident);
    if (format === 'json') out.ascii('\n');
  }
  out.flush();
  return Buffer.concat(chunks);
}

/** What the events command wrote before: one string per event, encoded by the stream. */
function expected(events: readonly ConnectionEvent[], incident: string | undefined, format: 'json' | 'csv'): Buffer {
  const text = events.map((event) => (format === 'json' ? JSON.stringify(eventRecord(event, incident)) + '\n' : csvRow(eventCsvCells(event, incident)))).join('');
  return Buffer.from(text, 'utf8');
}

function assertSameBytes(actual: Buffer, wanted: Buffer, what: string): void {
  if (actual.equals(wanted)) return;
  const lines = actual.toString('utf8').split('\n');
  const wantedLines = wanted.toString('utf8').split('\n');
  const at = wantedLines.findIndex((line, i) => lines[i] !== line);
  assert.fail(`${what}: first difference at line ${at + 1}\n  got:  ${lines[at]}\n  want: ${wantedLines[at]}`);
}

const base: ConnectionEvent = { id: 'a.log:1', source: 'client', kind: 'reset', time: Date.UTC(2026, 10, 24, 6, 40, 1, 7), timeQuality: 'exact', file: 'a.log', line: 1, excerpt: 'x' };
const long = 'p'.repeat(40);
const strings = [
  '',
  'plain',
  'say "hi" \\ back',
  `${long} "quoted" \\ and \t tab \n nl \r cr \b \f \x00 \x01 \x1b[0m \x1f \x7f end`,
  'é',
  `${long}é ü ß`,
  '€ 中文 ✓',
  `${long}€ 中文`,
  '😀',
  `${long}😀 and 🎉`,
  '\ud800',
  '\udc00x',
  `${long}\ud83d`,
  `${long}\ude00 after a lone low`,
  `${long}\ud83d"`,
  '\ufffd',
  `${long}\ufffd genuine replacement`,
  '=1+1',
  '+x',
  '-x',
  '@SUM(A1)',
  '\tstarts with a tab',
  '\rstarts with a CR',
  `=${long}, "formula" long`,
  'a,b',
  `${long},comma`,
  `${long}"only quotes"`,
  `${long}\r\nCRLF`,
  'x'.repeat(300 * 1024) + '"', // longer than a chunk
];

describe('event byte writers', () => {
  it('write the bytes of JSON.stringify(eventRecord) and csvRow(eventCsvCells) for odd strings, numbers and times', () => {
    const events: ConnectionEvent[] = [];
    for (const s of strings) {
      for (const field of ['excerpt', 'path', 'id', 'file', 'source', 'exception', 'level'] as const) events.push({ ...base, [field]: s } as ConnectionEvent);
    }
    for (const n of [0, 7, 10, 99, 100, 12345, 999999, 1000000, 2 ** 30, 2 ** 31 + 5, -1, -0, 1.5, 1e21, NaN, Infinity, -Infinity]) {
      events.push({ ...base, status: n, port: n, errno: n, line: n });
    }
    for (const time of [null, undefined, 0, 999, -1, 1.5, 253402300799999, 253402300800000, -62198755200000]) {
      events.push({ ...base, time } as unknown as ConnectionEvent);
    }
    // Values of other types than the model's (JSON and CSV take them too), and no id at all.
    events.push({ ...base, level: null } as unknown as ConnectionEvent, { ...base, status: true } as unknown as ConnectionEvent, { ...base, host: { a: 'é' } } as unknown as ConnectionEvent);
    events.push({ ...base, id: undefined } as unknown as ConnectionEvent);
    // Repeated values (kept bytes) after values that were not.
    events.push(...events.slice(0, 40), ...events.slice(0, 40));
    for (const format of ['json', 'csv'] as const) {
      for (const incident of [undefined, 'I1', 'I"2,=']) {
        const wanted = expected(events, incident, format);
        assertSameBytes(written(events, incident, format), wanted, `${format} ${incident}`);
        // 16 KiB: room for several events, so that long strings come where a chunk has too little left.
        for (const chunkBytes of [48, 4096, 16 * 1024]) assertSameBytes(written(events, incident, format, chunkBytes), wanted, `${format} ${incident} in ${chunkBytes}-byte chunks`);
      }
    }
  });

  it('write the same bytes as before for every sample', async () => {
    for (const sample of readdirSync(path.join(REPO, 'samples')).filter((name) => /^\d\d-/.test(name))) {
      const found = await discover(path.join(REPO, 'samples', sample), { include: [], exclude: [] }, FORMATS);
      const events: ConnectionEvent[] = [];
      await scanFiles(found.files, { onEvent: (event) => events.push(event), onProblem: () => {}, formats: FORMATS });
      for (const format of ['json', 'csv'] as const) {
        assertSameBytes(written(events, undefined, format), expected(events, undefined, format), `samples/${sample} ${format}`);
        assertSameBytes(written(events, 'I3', format, 64), expected(events, 'I3', format), `samples/${sample} ${format} with an incident, small chunks`);
      }
    }
  });
});
