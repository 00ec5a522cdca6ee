import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analyze.js';
import type { Analysis } from '../../src/report/analysis.js';
import { loadRules } from '../../src/attribute/load.js';
import { csvRow } from '../../src/report/csv.js';
import { EVENT_CSV_COLUMNS, eventCsvCells, eventRecord } from '../../src/report/event-record.js';
import { analysisRecord, incidentRecord } from '../../src/report/incident-record.js';
import { CORRELATED_CSV_COLUMNS, incidentSink, renderCorrelatedEvents, renderIncidents } from '../../src/report/incident-writer.js';
import { ByteOutput } from '../../src/report/output.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { SCHEMA_VERSION } from '../../src/report/schema-version.js';
import { REPO } from '../helpers.js';

async function analysisOf(sample: string): Promise<Analysis> {
  const rules = await loadRules([]);
  return analyze({ dir: path.join(REPO, 'samples', sample), include: [], exclude: [], zones: new Map(), windowMs: 10_000, rules });
}

/** The outputs as they were built before they were streamed: whole objects, one stringify. */
function wholeJson(analysis: Analysis): string {
  return JSON.stringify(analysisRecord(analysis), null, 2) + '\n';
}
function wholeEvents(analysis: Analysis, format: string): string {
  const rows = analysis.verdicts.flatMap((v) => [...v.incident.records, ...v.incident.joined.map((j) => j.event)].map((event) => ({ incident: v.incident.id, event })));
  if (format === 'csv') return csvRow([...EVENT_CSV_COLUMNS, ...CORRELATED_CSV_COLUMNS]) + correlatedCsvRows(analysis).join('');
  if (format === 'ndjson') return rows.map(({ incident, event }) => JSON.stringify(eventRecord(event, incident)) + '\n').join('');
  return JSON.stringify({ schemaVersion: SCHEMA_VERSION, events: rows.map(({ incident, event }) => eventRecord(event, incident)) }, null, 2) + '\n';
}

/** The CSV rows of `--events`: an event's cells, then its dt, link and decisive as the JSON evidence of its incident gives them. */
function correlatedCsvRows(analysis: Analysis): string[] {
  return analysis.verdicts.flatMap((v) => {
    const evidence = incidentRecord(v).evidence as Array<{ file: string; line: number; dt: number | null; link?: string; decisive: boolean }>;
    const of = (event: ConnectionEvent) => evidence.find((e) => e.file === event.file && e.line === event.line)!;
    return [...v.incident.records, ...v.incident.joined.map((j) => j.event)].map((event) => csvRow([...eventCsvCells(event, v.incident.id), of(event).dt, of(event).link, of(event).decisive]));
  });
}

// The JSON is written incident by incident (memory); its bytes must stay those of one pretty stringify.
describe('streamed rendering', () => {
  for (const sample of ['05-upstream-reset', '09-proxy-rejected', '01-clean']) {
    it(`writes the bytes of the whole-object JSON: samples/${sample}`, async () => {
      const analysis = await analysisOf(sample);
      assert.equal(renderIncidents(analysis, 'json', false), wholeJson(analysis));
      assert.equal(renderIncidents(analysis, 'ndjson', false), analysis.verdicts.map((v) => JSON.stringify(incidentRecord(v)) + '\n').join(''));
      for (const format of ['json', 'csv', 'ndjson'] as const) assert.equal(renderCorrelatedEvents(analysis, format), wholeEvents(analysis, format), format);
    });
  }

  it('writes empty lists as the whole-object JSON does', async () => {
    const analysis = { ...(await analysisOf('05-upstream-reset')), verdicts: [], problems: [], clock: [] };
    assert.equal(renderIncidents(analysis, 'json', false), wholeJson(analysis));
    assert.match(renderIncidents(analysis, 'json', false), /"incidents": \[\],/);
    assert.equal(renderCorrelatedEvents(analysis, 'json'), wholeEvents(analysis, 'json'));
  });

  it('writes the same text as UTF-8 bytes (ByteOutput), in batches of any size', async () => {
    const analysis = await analysisOf('05-upstream-reset');
    for (const format of ['json', 'ndjson'] as const) {
      for (const limit of [1, 7, 100, 64 * 1024]) {
        const batches: Buffer[] = [];
        const out = new ByteOutput((bytes) => batches.push(Buffer.from(bytes)), limit);
        const sink = incidentSink(format, out);
        for (const v of analysis.verdicts) sink.verdict(v);
        sink.end(analysis);
        assert.equal(Buffer.concat(batches).toString('utf8'), renderIncidents(analysis, format, false), `${format}, batches of ${limit}`);
        assert.ok(batches.every((batch) => batch.length > 0));
      }
    }
  });

  it('ByteOutput encodes every piece whole, past the batch size too', () => {
    const pieces = ['plain', ' café …', '𝄞'.repeat(40), '', 'x'.repeat(300), '\u00e9'];
    const batches: Buffer[] = [];
    const out = new ByteOutput((bytes) => batches.push(Buffer.from(bytes)), 16);
    for (const piece of pieces) out.push(piece);
    out.flush();
    assert.deepEqual(Buffer.concat(batches), Buffer.from(pieces.join(''), 'utf8'));
    // Each batch ends where a piece does: none cuts a character.
    for (const batch of batches) assert.equal(Buffer.from(batch.toString('utf8'), 'utf8').length, batch.length);
  });
});
