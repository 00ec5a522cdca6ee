import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_SEED, GENERATOR_VERSION, generate } from '../gen.js';

/** What a generated directory was made from, kept beside it (never inside: whoreset reads all). */
interface Manifest {
  version: number;
  seed: number;
  mib: number;
  files: Record<string, number>;
  bytes: number;
  incidents: Record<string, number>;
}

export interface Dataset {
  name: string;
  dir: string;
  bytes: number;
  incidents: number;
}

/** The benchmark directory of `mib` MiB under `root`, generated unless an identical one is there. */
export function ensureDataset(root: string, mib: number, seed = DEFAULT_SEED, log: (s: string) => void = (s) => void process.stderr.write(s)): Dataset {
  const name = mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}gib` : `${mib}mib`;
  const dir = join(root, name);
  const manifestPath = join(root, `${name}.json`);
  const reuse = (m: Manifest): boolean =>
    m.version === GENERATOR_VERSION &&
    m.seed === seed &&
    m.mib === mib &&
    Object.entries(m.files).every(([f, size]) => existsSync(join(dir, f)) && statSync(join(dir, f)).size === size);
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (reuse(m)) return { name, dir, bytes: m.bytes, incidents: sum(m.incidents) };
  }
  log(`generating ${dir} (${mib} MiB, seed ${seed}) ...`);
  mkdirSync(root, { recursive: true });
  const t0 = process.hrtime.bigint();
  const r = generate(dir, mib, seed);
  log(` ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
  const m: Manifest = { version: GENERATOR_VERSION, seed, mib, files: r.files, bytes: r.bytes, incidents: r.incidents };
  writeFileSync(manifestPath, JSON.stringify(m, null, 2) + '\n');
  return { name, dir, bytes: r.bytes, incidents: sum(r.incidents) };
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
