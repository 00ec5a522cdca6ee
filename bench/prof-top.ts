#!/usr/bin/env node
/**
 * Top self-time functions of a V8 .cpuprofile (from `node --cpu-prof`), to see what stands
 * between whoreset and the ceiling.
 *
 *   node dist/bench/prof-top.js <file.cpuprofile> [N]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function main(file: string | undefined, n: number): number {
  if (!file) {
    process.stderr.write('usage: node dist/bench/prof-top.js <file.cpuprofile> [N]\n');
    return 2;
  }
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((x) => [x.id, x]));
  const self = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${f.url.replace(/^file:\/\/.*?\/(dist|node_modules)\//, '$1/')}:${f.lineNumber + 1}` : '';
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim();
    const dt = p.timeDeltas[i] ?? 0;
    self.set(key, (self.get(key) ?? 0) + dt);
    total += dt;
  });
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, n);
  process.stdout.write(`total ${(total / 1e6).toFixed(2)} s sampled\n`);
  for (const [k, us] of top) process.stdout.write(`${((us / total) * 100).toFixed(1).padStart(5)} %  ${(us / 1e3).toFixed(0).padStart(6)} ms  ${k}\n`);
  return 0;
}

process.exitCode = main(process.argv[2], Number(process.argv[3] ?? 25));
