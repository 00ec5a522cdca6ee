import { existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_SEED, GENERATOR_VERSION, generate, type Shape } from '../gen.js';

/** What a generated directory was made from, kept beside it (never inside: whoreset reads all). */
interface Manifest {
  version: number;
  shape?: Shape;
  /** Every test passes (gen.ts): no failure at all. */
  passing?: boolean;
  seed: number;
  mib: number;
  files: Record<string, number>;
  bytes: number;
  incidents: Record<string, number>;
}

export interface Dataset {
  name: string;
  shape: Shape;
  /** The job with every test passing: its rows say what the failures cost, and it has no targets. */
  passing?: boolean;
  dir: string;
  bytes: number;
  incidents: number;
  /** Its files are symbolic links to other datasets' (mixedDataset). */
  linked?: boolean;
  /** Generated files (relative) and their sizes. */
  files: Record<string, number>;
}

/** The benchmark directory of `mib` MiB of one shape (`passing`: every test passing) under `root`, generated unless an identical one is there. */
export function ensureDataset(root: string, mib: number, seed = DEFAULT_SEED, log: (s: string) => void = (s) => void process.stderr.write(s), shape: Shape = 'server', passing = false): Dataset {
  const size = mib >= 1024 && mib % 1024 === 0 ? `${mib / 1024}gib` : `${mib}mib`;
  // The server shape keeps the names it had before there were shapes: its cached data stays valid.
  const name = (shape === 'server' ? size : `${shape}-${size}`) + (passing ? '-passing' : '');
  const dir = join(root, name);
  const manifestPath = join(root, `${name}.json`);
  const reuse = (m: Manifest): boolean =>
    m.version === GENERATOR_VERSION &&
    (m.shape ?? 'server') === shape &&
    (m.passing ?? false) === passing &&
    m.seed === seed &&
    m.mib === mib &&
    Object.entries(m.files).every(([f, size]) => existsSync(join(dir, f)) && statSync(join(dir, f)).size === size);
  if (existsSync(manifestPath)) {
    const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
    if (reuse(m)) return { name, shape, passing, dir, bytes: m.bytes, incidents: sum(m.incidents), files: m.files };
  }
  log(`generating ${dir} (${mib} MiB, ${shape} shape${passing ? ', every test passing' : ''}, seed ${seed}) ...`);
  mkdirSync(root, { recursive: true });
  const t0 = process.hrtime.bigint();
  const r = generate(dir, mib, seed, shape, passing);
  log(` ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s\n`);
  // The errors shape's failures are far-side lines, not the client's incidents.
  const incidents = r.farFailures === undefined ? r.incidents : { 'far-side failure lines': r.farFailures };
  const m: Manifest = { version: GENERATOR_VERSION, shape, ...(passing ? { passing } : {}), seed, mib, files: r.files, bytes: r.bytes, incidents };
  writeFileSync(manifestPath, JSON.stringify(m, null, 2) + '\n');
  return { name, shape, passing, dir, bytes: r.bytes, incidents: sum(incidents), files: r.files };
}

/**
 * The client side (pytest.log, client.log) of `failures` with the server logs (nginx/) of
 * `servers`, as symbolic links: the same failures over many more server lines. Both jobs start on
 * the same clock and seed, so the servers' first requests are the client's (the clock estimate
 * matches them). It tells whether memory grows with the failures or with the bytes.
 */
export function mixedDataset(root: string, failures: Dataset, servers: Dataset): Dataset {
  const name = `${failures.name}-failures-${servers.name}-servers`;
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  const files: Record<string, number> = {};
  const link = (from: Dataset, file: string) => {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    symlinkSync(join(from.dir, file), join(dir, file));
    files[file] = from.files[file]!;
  };
  for (const file of Object.keys(failures.files)) if (!file.startsWith('nginx/')) link(failures, file);
  for (const file of Object.keys(servers.files)) if (file.startsWith('nginx/')) link(servers, file);
  return { name, shape: failures.shape, dir, bytes: sum(files), incidents: failures.incidents, files, linked: true };
}

const sum = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
