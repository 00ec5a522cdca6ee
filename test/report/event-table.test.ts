import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { discover } from '../../src/discover/discover.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { runFormats } from '../../src/parse/formats.js';
import { TABLE_BATCH_ROWS, tableWriter } from '../../src/report/event-writer.js';
import { BufferedOutput } from '../../src/report/output.js';
import { scanFiles } from '../../src/run/scan.js';
import { REPO } from '../helpers.js';

/** A sample's events, as `whoreset events` reads them. */
async function eventsOf(sample: string): Promise<ConnectionEvent[]> {
  const formats = runFormats();
  const found = await discover(path.join(REPO, 'samples', sample), { include: [], exclude: [] }, formats.list);
  const events: ConnectionEvent[] = [];
  await scanFiles(found.files, { onEvent: (event) => events.push(event), onProblem: () => {}, formats: formats.list });
  return events;
}

function table(events: readonly ConnectionEvent[], batchRows: number): string {
  let text = '';
  const writer = tableWriter(new BufferedOutput((chunk) => (text += chunk)), batchRows);
  events.forEach((event, i) => writer.write(event, i % 3 === 0 ? `I${i}` : undefined));
  writer.end();
  return text;
}

describe('events --format table in batches', () => {
  it('renders, batch by batch, the table cli-table3 renders whole', async () => {
    const events = [...(await eventsOf('05-upstream-reset')), ...(await eventsOf('03-nginx-444'))];
    assert.ok(events.length > 10, `${events.length} events`);
    const whole = table(events, Infinity);
    assert.match(whole, /^┌.*\n│ incident/);
    for (const batchRows of [1, 2, 3, 7, events.length - 1, events.length]) assert.equal(table(events, batchRows), whole, `batches of ${batchRows}`);
  });

  it('renders thousands of rows in batches of the default size as one table', async () => {
    // cli-table3's render time grows with the square of the rows (10,000: 2.2 s; 40,000: 26 s) and overflowed the stack on a 100 MiB job.
    const events = await eventsOf('05-upstream-reset');
    const many = Array.from({ length: 4_500 }, (_, i) => events[i % events.length]!);
    const text = table(many, TABLE_BATCH_ROWS);
    assert.equal(text, table(many, Infinity));
    assert.ok(text.endsWith('\n4500 event(s)\n'));
  });
});
