/**
 * The stages flow one way, by construction: every import in src/ (and every worker entry named by
 * `new URL('./x.js', import.meta.url)`) must point to the same stage or an earlier one in
 * STAGE_ORDER, and no files import each other round a cycle. The order is the README's
 * "How it works" section.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO } from './helpers.js';

/** The stages in the order data flows; a root file of src/ counts as the stage named by its base name. */
const STAGE_ORDER = ['model', 'read', 'parse', 'discover', 'time', 'correlate', 'attribute', 'report', 'ship', 'run', 'analyze', 'cli', 'index'] as const;

const SRC = path.join(REPO, 'src');
// Static imports and re-exports, dynamic imports, and worker entries; type-only imports count too (a cycle of types is still a knot).
const SPECIFIER = /\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|\bimport\s+'([^']+)'|new URL\(\s*'([^']+)',\s*import\.meta\.url\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** src-relative path, forward slashes, .ts. */
function relative(file: string): string {
  return path.relative(SRC, file).split(path.sep).join('/');
}

function stageOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length === 0 ? first!.replace(/\.ts$/, '') : first!;
}

/** Every edge between src/ files: importer → imported, both src-relative. */
function importEdges(): Array<[string, string]> {
  const edges: Array<[string, string]> = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(SPECIFIER)) {
      const specifier = match[1] ?? match[2] ?? match[3] ?? match[4]!;
      if (!specifier.startsWith('.')) continue;
      const target = path.resolve(path.dirname(file), specifier).replace(/\.js$/, '.ts');
      if (!target.startsWith(SRC + path.sep)) continue; // rules/, formats/: data, not stages
      edges.push([relative(file), relative(target)]);
    }
  }
  return edges;
}

/** Tarjan's strongly connected components with more than one member: the cycles of a graph. */
function cycles(edges: ReadonlyArray<readonly [string, string]>): string[][] {
  const next = new Map<string, string[]>();
  for (const [from, to] of edges) {
    if (from === to) continue;
    next.set(from, [...(next.get(from) ?? []), to]);
    if (!next.has(to)) next.set(to, []);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node)!) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

const edges = importEdges();

const rank = (stage: string) => (STAGE_ORDER as readonly string[]).indexOf(stage);

test('every folder and root file of src/ is a stage of the documented order', () => {
  const stages = new Set(edges.flat().map(stageOf));
  assert.deepEqual([...stages].filter((stage) => rank(stage) === -1), []);
});

test('no import runs against the stage order', () => {
  const backward = edges.filter(([from, to]) => rank(stageOf(to)) > rank(stageOf(from))).map(([from, to]) => `${from} → ${to}`);
  assert.deepEqual(backward, []);
});

test('no cycle between folders', () => {
  const folders = edges.map(([from, to]) => [stageOf(from), stageOf(to)] as const);
  assert.deepEqual(cycles(folders), []);
});

test('no cycle between files', () => {
  assert.deepEqual(cycles(edges), []);
});

test('the walk sees imports of every kind (the test would pass on nothing otherwise)', () => {
  assert.ok(edges.length > 300, `only ${edges.length} edges found`);
  assert.ok(edges.some(([, to]) => to === 'model/event.ts'));
  assert.deepEqual(cycles([['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]), [['a', 'b', 'c']]);
});
