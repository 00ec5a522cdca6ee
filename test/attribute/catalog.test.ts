import assert from 'node:assert/strict';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { runRuleExamples } from '../../src/attribute/examples.js';
import { BUILT_IN_RULES_DIR, loadRules } from '../../src/attribute/load.js';
import type { Rule } from '../../src/attribute/rule.js';
import { EVENT_KINDS, EVENT_SOURCES } from '../../src/attribute/vocabulary.js';
import { FORMATS } from '../../src/parse/formats.js';
import { REPO } from '../helpers.js';

const rules = await loadRules([]);

/** The causes the guide and the lab scenarios name: each must be produced by some built-in rule. */
const REQUIRED_CAUSES = [
  'server/bad-request',
  'server/body-too-large',
  'server/proxy-read-timeout',
  'server/overload',
  'server/upstream-reset',
  'server/nginx-444',
  'server/worker-crash',
  'server/reload',
  'proxy-firewall/proxy-rejected',
  'proxy-firewall/proxy-timeout',
  'proxy-firewall/proxy-unreachable',
  'proxy-firewall/proxy-denied',
  'proxy-firewall/firewall-reset',
  'proxy-firewall/middlebox-reset',
  'proxy-firewall/dns-unavailable',
  'client/dns-nxdomain',
  'client/stale-keepalive',
  'client/timeout-too-short',
  'client/rate-limited',
  'client/proxy-settings',
  'client/client-aborted',
  'network/transient',
  'unknown/no-server-logs',
];

const causeOf = (rule: Rule) => rule.cause ?? rule.id;

describe('the built-in catalog', () => {
  it('has a rule with the exact id of every cause of the guide and the lab', () => {
    const ids = new Set(rules.map((r) => r.id));
    for (const cause of REQUIRED_CAUSES) assert.ok(ids.has(cause), `no rule with id ${cause}`);
  });

  it('names in each sample\'s expected.json only causes a rule can give', () => {
    const causes = new Set([...rules.map(causeOf), 'unknown/no-match', 'unknown/conflict']);
    const samples = path.join(REPO, 'samples');
    for (const name of readdirSync(samples).sort()) {
      const file = path.join(samples, name, 'expected.json');
      if (!existsSync(file)) continue;
      const expected = JSON.parse(readFileSync(file, 'utf8')) as { incidents: Array<{ cause: string }> };
      for (const incident of expected.incidents) assert.ok(causes.has(incident.cause), `${name}: no rule gives ${incident.cause}`);
    }
  });

  it('passes every rule\'s own examples', () => {
    const failed = runRuleExamples(rules).filter((r) => !r.passed);
    assert.deepEqual(failed.map((r) => `${r.ruleId} ${r.expected} "${r.name}": ${r.detail}`), []);
  });

  it('gives every rule at least one match and one noMatch example', () => {
    for (const rule of rules) {
      assert.ok(rule.examples.match.length >= 1, `${rule.id} has no match example`);
      assert.ok(rule.examples.noMatch.length >= 1, `${rule.id} has no noMatch example`);
    }
  });

  it('keeps each rule in the file its id names, pointing at the schema', () => {
    for (const rule of rules) {
      assert.equal(path.relative(BUILT_IN_RULES_DIR, rule.file).split(path.sep).join('/'), `${rule.id}.json`);
      const raw = JSON.parse(readFileSync(rule.file, 'utf8')) as { $schema?: string };
      assert.equal(raw.$schema, '../rule.schema.json', `${rule.id}: $schema`);
    }
  });

  it('names only event kinds and sources the model or a built-in format defines', () => {
    const kinds = new Set<string>(EVENT_KINDS);
    const sources = new Set<string>([...EVENT_SOURCES, ...FORMATS.map((f) => f.source)]);
    for (const rule of rules) {
      const walk = (value: unknown, key: string, at: string): void => {
        if (Array.isArray(value)) value.forEach((v, i) => walk(v, key, `${at}/${i}`));
        else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k, `${at}/${k}`);
        else if (typeof value === 'string') {
          if (key === 'kind') assert.ok(kinds.has(value), `${rule.id} ${at}: unknown kind ${value}`);
          if (['source', 'sources', 'silent', 'present', 'missing'].includes(key)) assert.ok(sources.has(value), `${rule.id} ${at}: unknown source ${value}`);
        }
      };
      walk(rule.when, 'when', '/when');
      walk(rule.examples, 'examples', '/examples');
    }
  });

  it('gives different sides different priorities where strong rules could both match', () => {
    // Strong rules of one priority that disagree would turn a decided incident into unknown/conflict:
    // each priority band holds one attribution.
    const byPriority = new Map<number, Set<string>>();
    for (const rule of rules.filter((r) => r.confidence >= 0.7)) {
      const sides = byPriority.get(rule.priority) ?? new Set<string>();
      sides.add(rule.attribution);
      byPriority.set(rule.priority, sides);
    }
    const mixed = [...byPriority].filter(([, sides]) => sides.size > 1).map(([p]) => p);
    // 760: dns-unavailable (EAI_AGAIN) and dns-nxdomain (EAI_NONAME) need different errno names.
    assert.deepEqual(mixed, [760]);
  });

  it('puts unknown/no-server-logs below every other rule, and the fallbacks below the absence rules', () => {
    const priority = (id: string) => rules.find((r) => r.id === id)!.priority;
    for (const rule of rules) if (rule.id !== 'unknown/no-server-logs') assert.ok(rule.priority > priority('unknown/no-server-logs'), rule.id);
    assert.ok(priority('network/transient') < priority('proxy-firewall/middlebox-reset'));
    assert.ok(priority('proxy-firewall/middlebox-reset') < priority('client/stale-keepalive'));
    assert.ok(priority('client/stale-keepalive') < priority('server/reload'));
  });
});
