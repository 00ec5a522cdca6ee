import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { validateFormat, validateRule } from '../../src/attribute/schema-validators.js';
import { AJV_OPTIONS, readSchema, SCHEMAS, validatorsModule } from '../../scripts/schema-validators.js';
import { REPO } from '../helpers.js';
import { userRule } from './load.test.js';

/** The JSON documents of a folder and its subfolders (not the schema). */
function documentsIn(dir: string): unknown[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json') && !name.endsWith('.schema.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as unknown);
}

/** What a validator says of a document: valid, or its errors as ajv gives them. */
function verdict(validate: ValidateFunction, document: unknown): unknown {
  return validate(document) ? 'valid' : validate.errors;
}

/** Documents that break the schema in different ways, each built from a valid one. */
function broken(valid: Record<string, unknown>, keys: string[]): Array<Record<string, unknown>> {
  const first = keys[0]!;
  return [
    { ...valid, [`${first}x`]: 1 },
    { ...valid, [first]: 42 },
    Object.fromEntries(Object.entries(valid).filter(([key]) => key !== first)),
    { ...valid, [keys[1]!]: ['a', { b: null }] },
    { ...valid, [keys[2]!]: 'z'.repeat(3) },
  ];
}

describe('the schemas compiled at build time', () => {
  it('are what the schema files give now (the build wrote them from these files)', () => {
    const built = readFileSync(fileURLToPath(new URL('../../src/attribute/schema-validators.js', import.meta.url)), 'utf8');
    assert.ok(built === validatorsModule(), 'dist/src/attribute/schema-validators.js is stale: run npm run build');
  });

  for (const [name, validate, dir, keys] of [
    ['validateRule', validateRule, path.join(REPO, 'rules'), ['attribution', 'when', 'confidence']],
    ['validateFormat', validateFormat, path.join(REPO, 'formats'), ['side', 'kinds', 'line']],
  ] as const) {
    it(`${name} gives what ajv compiling the schema at run time gives, errors included`, () => {
      const compiled = new Ajv(AJV_OPTIONS).compile(readSchema(SCHEMAS[name]));
      const valid = documentsIn(dir) as Array<Record<string, unknown>>;
      assert.ok(valid.length > 0);
      const documents = [...valid, ...valid.flatMap((document) => broken(document, [...keys])), userRule({ priorty: 1 }), [], 'text', null];
      let refused = 0;
      for (const document of documents) {
        const expected = verdict(compiled, document);
        assert.deepEqual(verdict(validate, document), expected, JSON.stringify(document));
        if (expected !== 'valid') refused++;
      }
      assert.equal(refused, documents.length - valid.length, 'every broken document is refused, every shipped one accepted');
    });
  }
});
