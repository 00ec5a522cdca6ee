import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { analyze, type Analysis } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { discover } from '../../src/discover/discover.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { FORMATS } from '../../src/parse/formats.js';
import { scanFiles } from '../../src/run/scan.js';
import { eventRecord } from '../../src/report/event-record.js';
import { renderCorrelatedEvents, renderIncidents } from '../../src/report/incident-writer.js';
import { csvRecords } from '../../src/report/jobs-writer.js';
import { SCHEMA_VERSION } from '../../src/report/schema-version.js';
import { REPO, runCli } from '../helpers.js';

const SCHEMAS = path.join(REPO, 'schemas/v1');
const SAMPLES = path.join(REPO, 'samples');
const samples = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();

/** Every published schema, compiled by ajv in strict mode (a schema that silently accepts nonsense fails to compile). */
function validators(): Record<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const files = readdirSync(SCHEMAS).filter((name) => name.endsWith('.schema.json'));
  for (const file of files) ajv.addSchema(JSON.parse(readFileSync(path.join(SCHEMAS, file), 'utf8')) as object);
  return Object.fromEntries(files.map((file) => [file.replace('.schema.json', ''), ajv.getSchema(`https://whoreset.dev/schemas/v1/${file}`)!]));
}
const schema = validators();

function valid(name: string, value: unknown, where: string): void {
  const validate = schema[name]!;
  assert.ok(validate(value), `${where} against ${name}.schema.json: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
}

/** One RFC 4180 record's cells (quotes doubled inside quoted cells). */
function cells(record: string): string[] {
  const out: string[] = [];
  const text = record.replace(/\r\n$/, '');
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') (out.push(cell), (cell = ''));
    else cell += c;
  }
  out.push(cell);
  return out;
}

/** The CSV's rows as objects keyed by the header; the header must list the schema's columns in their order. */
function csvRows(text: string, name: string): Record<string, string>[] {
  const [header, ...rows] = csvRecords(text).map(cells);
  const columns = Object.keys((schema[name]!.schema as { properties: object }).properties);
  assert.deepEqual(header, columns.filter((c) => header!.includes(c)), `${name}: header order`);
  assert.ok(header!.every((c) => columns.includes(c)), `${name}: header ${header!.join(',')}`);
  return rows.map((row) => Object.fromEntries(header!.map((column, i) => [column, row[i]!])));
}

function ndjson(text: string): unknown[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as unknown);
}

describe('the published output schemas', () => {
  it('carry the version the outputs write', () => {
    for (const name of ['incidents', 'events', 'jobs']) {
      const pattern = new RegExp((schema[name]!.schema as { properties: { schemaVersion: { pattern: string } } }).properties.schemaVersion.pattern);
      assert.match(SCHEMA_VERSION, pattern, name);
      assert.doesNotMatch('2.0.0', pattern, `${name}: a 1.x schema must not accept another major version`);
    }
  });

  it('reject what breaks the contract', () => {
    assert.equal(schema['incident']!({ id: 'I1' }), false);
    assert.equal(schema['event']!({ id: 'a:1', source: 'pytest', kind: 'reset', time: '2026-11-24 23:03', timeQuality: 'exact', file: 'a', line: 1, excerpt: '' }), false);
    assert.equal(schema['event']!({ id: 'a:1', source: 'pytest', kind: 'reset', time: null, timeQuality: 'exact', file: 'a', line: 1, excerpt: '', host: { name: 'x' } }), false);
  });

  it('every sample: the incidents (JSON, NDJSON, CSV) and the correlated events (JSON, NDJSON, CSV) validate', async () => {
    const rules = await loadRules([]);
    let incidents = 0;
    let events = 0;
    for (const sample of samples) {
      const analysis: Analysis = await analyze({ dir: path.join(SAMPLES, sample), include: [], exclude: [], zones: new Map(), windowMs: 10_000, rules });
      const json = JSON.parse(renderIncidents(analysis, 'json', false)) as { incidents: unknown[] };
      valid('incidents', json, sample);
      const lines = ndjson(renderIncidents(analysis, 'ndjson', false));
      lines.forEach((line, i) => valid('incident', line, `${sample} ndjson line ${i + 1}`));
      assert.equal(lines.length, json.incidents.length);
      csvRows(renderIncidents(analysis, 'csv', false), 'incident-csv').forEach((row, i) => valid('incident-csv', row, `${sample} csv row ${i + 1}`));
      valid('events', JSON.parse(renderCorrelatedEvents(analysis, 'json')), `${sample} --events json`);
      const eventLines = ndjson(renderCorrelatedEvents(analysis, 'ndjson'));
      eventLines.forEach((line, i) => valid('event', line, `${sample} --events ndjson line ${i + 1}`));
      csvRows(renderCorrelatedEvents(analysis, 'csv'), 'event-csv').forEach((row, i) => valid('event-csv', row, `${sample} --events csv row ${i + 1}`));
      incidents += lines.length;
      events += eventLines.length;
    }
    assert.ok(incidents > samples.length && events > incidents, `${incidents} incidents, ${events} events checked`);
  });

  it('every sample: each event the events command reads validates', async () => {
    let checked = 0;
    for (const sample of samples) {
      const found = await discover(path.join(SAMPLES, sample), { include: [], exclude: [] }, FORMATS);
      const events: ConnectionEvent[] = [];
      await scanFiles(found.files, { onEvent: (event) => events.push(event), onProblem: () => {}, formats: FORMATS });
      for (const event of events) valid('event', eventRecord(event), `${sample} ${event.id}`);
      checked += events.length;
    }
    assert.ok(checked > 1000, `${checked} events`);
  });

  it('the CLI: events (JSON, NDJSON, CSV) and several jobs (JSON, NDJSON, CSV) validate', async () => {
    const dirs = ['samples/09-proxy-rejected', 'samples/45-far-kernel-reject'];
    const json = await runCli(['events', dirs[0]!, '--format', 'json']);
    valid('events', JSON.parse(json.stdout), 'events --format json');
    ndjson((await runCli(['events', dirs[0]!, '--format', 'ndjson', '--incidents'])).stdout).forEach((line) => valid('event', line, 'events ndjson'));
    csvRows((await runCli(['events', dirs[1]!, '--format', 'csv'])).stdout, 'event-csv').forEach((row) => valid('event-csv', row, 'events csv'));
    valid('jobs', JSON.parse((await runCli([...dirs, '--format', 'json'])).stdout), 'jobs json');
    const labelled = ndjson((await runCli([...dirs, '--format', 'ndjson'])).stdout);
    labelled.forEach((line) => valid('incident', line, 'jobs ndjson'));
    assert.deepEqual([...new Set(labelled.map((line) => (line as { job: string }).job))], ['09-proxy-rejected', '45-far-kernel-reject']);
    csvRows((await runCli([...dirs, '--format', 'csv', '--events'])).stdout, 'event-csv').forEach((row) => valid('event-csv', row, 'jobs --events csv'));
  });
});
