import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { BUILT_IN_RULES_DIR } from '../../src/attribute/load.js';
import type {
  AbsentCondition,
  AnchorCondition,
  ContextCondition,
  FixtureEvent,
  IncidentFixture,
  PresentCondition,
  RuleCondition,
  RuleFile,
  TextPattern,
} from '../../src/attribute/rule.js';
import { JOIN_KEYS } from '../../src/correlate/incident.js';

/** The keys a type requires (not optional). */
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];

/** Every key of a type, and which it requires: the compiler keeps these lists equal to the types. */
function keysOf<T>(all: Record<keyof T, true>, required: Record<RequiredKeys<T>, true>): { all: string[]; required: string[] } {
  return { all: Object.keys(all).sort(), required: Object.keys(required).sort() };
}

const TYPES = {
  rule: keysOf<RuleFile>(
    { $schema: true, id: true, title: true, attribution: true, cause: true, confidence: true, priority: true, disabled: true, when: true, advice: true, examples: true },
    { id: true, title: true, attribution: true, confidence: true, priority: true, when: true, advice: true, examples: true },
  ),
  examples: keysOf<RuleFile['examples']>({ match: true, noMatch: true }, { match: true, noMatch: true }),
  condition: keysOf<RuleCondition>({ anchor: true, present: true, absent: true, context: true }, {}),
  anchor: keysOf<AnchorCondition>(
    { kind: true, source: true, errnoName: true, exception: true, cause: true, status: true, path: true, host: true, text: true, timed: true },
    {},
  ),
  present: keysOf<PresentCondition>({ source: true, kind: true, status: true, closedBy: true, proxyCode: true, text: true, within: true, between: true, sameKeys: true, link: true, order: true }, {}),
  absent: keysOf<AbsentCondition>({ source: true, request: true, kind: true }, { source: true }),
  context: keysOf<ContextCondition>({ present: true, missing: true }, {}),
  pattern: keysOf<TextPattern>({ regex: true, flags: true }, { regex: true }),
  fixture: keysOf<IncidentFixture>({ name: true, anchor: true, records: true, events: true, sources: true, silent: true, untimed: true }, { name: true, anchor: true }),
  fixtureEvent: keysOf<FixtureEvent>(
    {
      source: true, kind: true, dt: true, errnoName: true, exception: true, cause: true, method: true, path: true, host: true, port: true,
      status: true, clientAddr: true, clientPort: true, closedBy: true, proxyCode: true, test: true, excerpt: true, idle: true, timeout: true,
    },
    { source: true, kind: true },
  ),
};

interface SchemaObject {
  properties?: Record<string, SchemaObject>;
  required?: string[];
  items?: SchemaObject;
  $ref?: string;
  definitions?: Record<string, SchemaObject>;
}

const schema = JSON.parse(readFileSync(path.join(BUILT_IN_RULES_DIR, 'rule.schema.json'), 'utf8')) as SchemaObject;
const defs = schema.definitions!;
const condition = defs.condition!.properties!;
const SCHEMA: Record<keyof typeof TYPES, SchemaObject> = {
  rule: schema,
  examples: schema.properties!.examples!,
  condition: defs.condition!,
  anchor: condition.anchor!,
  present: condition.present!.items!,
  absent: condition.absent!.items!,
  context: condition.context!,
  pattern: defs.pattern!,
  fixture: defs.fixture!,
  fixtureEvent: defs.fixtureEvent!,
};

describe('rule.schema.json and the RuleFile type', () => {
  for (const [name, keys] of Object.entries(TYPES) as Array<[keyof typeof TYPES, { all: string[]; required: string[] }]>) {
    it(`agree on the keys of ${name}`, () => {
      const object = SCHEMA[name];
      assert.deepEqual(Object.keys(object.properties ?? {}).sort(), keys.all);
      assert.deepEqual([...(object.required ?? [])].sort(), keys.required);
    });
  }

  it('agree on the join keys rules may name', () => {
    const keys = (defs.keys as { items: { enum: string[] } }).items.enum;
    assert.deepEqual([...keys].sort(), [...JOIN_KEYS].sort());
  });
});
