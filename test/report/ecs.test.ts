import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { analyze } from '../../src/analyze.js';
import { loadRules } from '../../src/attribute/load.js';
import { discover } from '../../src/discover/discover.js';
import type { ConnectionEvent } from '../../src/model/event.js';
import { FORMATS } from '../../src/parse/formats.js';
import { scanFiles } from '../../src/run/scan.js';
import { ECS_VERSION, ecsEvent } from '../../src/report/ecs.js';
import { renderCorrelatedEvents, renderIncidents } from '../../src/report/incident-writer.js';
import { REPO, runCli } from '../helpers.js';

/** ECS's own field definitions (ecs_flat.yml, generated), as @elastic/ecs ships them; its ESM build cannot be imported by Node as published. */
interface EcsField {
  type: string;
  normalize: string[];
  allowed_values?: Array<{ name: string; expected_event_types?: string[] }>;
}
const { EcsFlat, EcsVersion } = createRequire(import.meta.url)('@elastic/ecs') as { EcsFlat: Record<string, EcsField>; EcsVersion: string };

const SAMPLES = path.join(REPO, 'samples');
const samples = readdirSync(SAMPLES).filter((name) => existsSync(path.join(SAMPLES, name, 'expected.json'))).sort();
/** The field sets (top-level names) ECS defines: url, source, host, file, … */
const FIELD_SETS = new Set(Object.keys(EcsFlat).map((name) => name.split('.')[0]!));
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

function typeFits(type: string, value: unknown): boolean {
  switch (type) {
    case 'keyword':
    case 'constant_keyword':
    case 'wildcard':
    case 'match_only_text':
    case 'text':
      return typeof value === 'string';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return Number.isInteger(value);
    case 'float':
    case 'double':
    case 'scaled_float':
    case 'half_float':
      return typeof value === 'number' && Number.isFinite(value);
    case 'date':
      return typeof value === 'string' && ISO.test(value);
    case 'ip':
      return typeof value === 'string' && isIP(value) !== 0;
    case 'boolean':
      return typeof value === 'boolean';
    default:
      return false; // object, nested, flattened, geo_point…: never a value of ours
  }
}

/** The problems of one document against ECS: unknown fields, wrong types, values ECS does not allow, clashes. */
function ecsProblems(document: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const visit = (value: unknown, name: string) => {
    if (name === 'whoreset') return; // our namespace, checked below not to be ECS's
    if (name.startsWith('labels.')) {
      if (typeof value !== 'string') problems.push(`${name}: a label must be a keyword`);
      return;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      if (EcsFlat[name] !== undefined && name !== 'labels') problems.push(`${name}: ECS defines a ${EcsFlat[name]!.type} here, not an object`);
      for (const [key, inner] of Object.entries(value)) visit(inner, name === '' ? key : `${name}.${key}`);
      return;
    }
    const field = EcsFlat[name];
    if (field === undefined) {
      problems.push(`${name}: not an ECS field${FIELD_SETS.has(name.split('.')[0]!) ? ` (inside ECS's ${name.split('.')[0]} field set)` : ''}`);
      return;
    }
    const values = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && !field.normalize.includes('array')) problems.push(`${name}: an array where ECS expects one value`);
    for (const one of values) {
      if (!typeFits(field.type, one)) problems.push(`${name}: ${JSON.stringify(one)} is not a ${field.type}`);
      if (field.allowed_values && !field.allowed_values.some((allowed) => allowed.name === one)) problems.push(`${name}: ${JSON.stringify(one)} is not an allowed value`);
    }
  };
  visit(document, '');
  if (FIELD_SETS.has('whoreset')) problems.push('whoreset: ECS now defines this name');
  // Each event.type is one ECS expects for one of the event's categories.
  const event = document.event as { category?: string[]; type?: string[] } | undefined;
  const expected = new Set((event?.category ?? []).flatMap((category) => EcsFlat['event.category']!.allowed_values!.find((v) => v.name === category)?.expected_event_types ?? []));
  for (const type of event?.type ?? []) if (!expected.has(type)) problems.push(`event.type ${type}: not expected for the categories ${event?.category?.join(', ')}`);
  if (document['@timestamp'] === undefined && document.ecs === undefined) problems.push('neither @timestamp nor ecs.version');
  return problems;
}

function lines(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('--format ecs: documents of the Elastic Common Schema', () => {
  it('claims the ECS version whose definitions it is checked against', () => {
    assert.equal(ECS_VERSION, EcsVersion);
    assert.ok(Object.keys(EcsFlat).length > 1000 && EcsFlat['url.port']?.type === 'long', 'the package ships the field set');
  });

  it('the check finds what breaks ECS: a clash with a field set, an unknown field, a wrong type or value', () => {
    assert.match(ecsProblems({ url: 'http://x/' }).join(), /url: not an ECS field \(inside ECS's url field set\)/);
    assert.match(ecsProblems({ source: 'nginx-error' }).join(), /source: not an ECS field/);
    assert.match(ecsProblems({ host: { name: 1 } }).join(), /host\.name: 1 is not a keyword/);
    assert.match(ecsProblems({ url: { port: '80' } }).join(), /url\.port: "80" is not a long/);
    assert.match(ecsProblems({ source: { ip: 'localhost' } }).join(), /source\.ip: "localhost" is not a ip/);
    assert.match(ecsProblems({ event: { kind: 'incident' } }).join(), /event\.kind: "incident" is not an allowed value/);
    assert.match(ecsProblems({ event: { category: ['network'], type: ['error'] } }).join(), /event\.type error: not expected/);
    assert.match(ecsProblems({ error: { message: ['a'] } }).join(), /error\.message: an array/);
    assert.deepEqual(ecsProblems({ '@timestamp': '2026-11-24T23:03:11.426Z', labels: { job: 'x' }, whoreset: { anything: [{ a: 1 }] } }), []);
  });

  it('every sample: the incidents, the correlated events and every event read pass the ECS field check', async () => {
    const rules = await loadRules([]);
    let documents = 0;
    const seen = new Set<string>();
    for (const sample of samples) {
      const dir = path.join(SAMPLES, sample);
      const analysis = await analyze({ dir, include: [], exclude: [], zones: new Map(), windowMs: 10_000, rules });
      const found = await discover(dir, { include: [], exclude: [] }, FORMATS);
      const events: ConnectionEvent[] = [];
      await scanFiles(found.files, { onEvent: (event) => events.push(event), onProblem: () => {}, formats: FORMATS });
      const all = [...lines(renderIncidents(analysis, 'ecs', false)), ...lines(renderCorrelatedEvents(analysis, 'ecs')), ...events.map((event) => ecsEvent(event, { job: sample }))];
      for (const document of all) {
        assert.deepEqual(ecsProblems(document), [], `${sample}: ${JSON.stringify(document).slice(0, 300)}`);
        for (const key of Object.keys(document)) seen.add(key);
      }
      documents += all.length;
    }
    assert.ok(documents > 1000, `${documents} documents`);
    // The mapping's field sets all show up somewhere in the samples: none is dead.
    for (const key of ['@timestamp', 'event', 'error', 'http', 'url', 'source', 'destination', 'log', 'observer', 'labels', 'rule', 'whoreset']) assert.ok(seen.has(key), key);
  });

  it('the events command writes the same documents in workers as in one thread', async () => {
    const one = await runCli(['events', 'samples/42-far-haproxy-sd', '--format', 'ecs', '--jobs', '1', '--incidents']);
    const many = await runCli(['events', 'samples/42-far-haproxy-sd', '--format', 'ecs', '--jobs', '3', '--incidents']);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(many.stdout, one.stdout);
    const documents = lines(one.stdout);
    assert.ok(documents.some((d) => (d.whoreset as { incident?: string }).incident !== undefined && (d.observer as { product?: string } | undefined)?.product === 'HAProxy'));
    for (const document of documents) assert.deepEqual(ecsProblems(document), []);
  });
});
