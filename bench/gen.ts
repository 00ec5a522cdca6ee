#!/usr/bin/env node
/**
 * Seeded generator of a CI job's log directory (pytest.log, nginx/error.log, nginx/access.log,
 * client.log) of a given size, for the benchmark. Same seed and size → same bytes.
 *
 *   npm run bench:gen -- <dir> <MB> [--seed N] [--shape server|client|errors] [--passing]   (MB = MiB: 2^20 bytes)
 *
 * Shapes: `server` (the default) is a test job whose nginx logs make most of the bytes; `client`
 * a job whose DEBUG urllib3 client log and pytest output make most of them; `errors` only an
 * nginx error log, every line a failure (issue 17's hostile case). `--passing`: the same job where
 * every test passes.
 */
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { newStats, runSession, type RunStats } from './lib/session.js';
import { World } from './lib/world.js';
import { generateErrorLogOnly } from './lib/error-log-only.js';

/** The simulated job starts here (runner clock, UTC). */
const START = Date.UTC(2026, 10, 24, 6, 0, 0);
export const DEFAULT_SEED = 20261124;
/** Bumped whenever the output for a given seed and size changes: cached data is regenerated. */
export const GENERATOR_VERSION = 1;

export interface GenResult extends RunStats {
  bytes: number;
  files: Record<string, number>;
  /** The simulated clock at the end (ISO, UTC). */
  end: string;
  /** Failure lines of the far side that no client log claims (the `errors` shape). */
  farFailures?: number;
}

const OUR_ENTRIES = new Set(['pytest.log', 'client.log', 'nginx']);

/** What a job's bytes are mostly: see the header. */
export type Shape = 'server' | 'client' | 'errors';
export const SHAPES: readonly Shape[] = ['server', 'client', 'errors'];

/**
 * `passing`: the same kind of job where every test passes (none of the failures, no INTERNALERROR),
 * its bytes all bulk: what the failures cost is the difference (the benchmark's passing rows).
 */
export function generate(dir: string, mib: number, seed = DEFAULT_SEED, shape: Shape = 'server', passing = false): GenResult {
  if (passing && shape === 'errors') throw new Error('the errors shape is nothing but failures: it has no passing variant');
  const target = Math.round(mib * 2 ** 20);
  // Replace only a directory this generator wrote: never wipe a user's directory by mistake.
  if (existsSync(dir)) {
    const foreign = readdirSync(dir).filter((e) => !OUR_ENTRIES.has(e));
    if (foreign.length > 0) throw new Error(`${dir} holds files the generator did not write (${foreign.slice(0, 3).join(', ')}); choose an empty or new directory`);
    rmSync(dir, { recursive: true, force: true });
  }
  if (shape === 'errors') {
    return { ...newStats(), ...generateErrorLogOnly(dir, target, seed, START) };
  }
  const w = new World(dir, seed, START, shape === 'server');
  const stats = newStats();
  w.nginxStartup();
  w.clientLine('INFO', 'tests.conftest', 'API under test: http://127.0.0.1:8080');
  while (w.bytes < target) {
    // Size each session to what is left, from the bytes a test has cost so far.
    const perTest = stats.tests > 0 ? w.bytes / stats.tests : 1500;
    runSession(w, stats, Math.ceil((target - w.bytes) / perTest), !passing);
  }
  w.pytestLine('##[error]Process completed with exit code 1.');
  w.close();
  return {
    ...stats,
    bytes: w.bytes,
    files: {
      'pytest.log': w.pytest.bytes,
      'nginx/error.log': w.error.bytes,
      'nginx/access.log': w.access.bytes,
      'client.log': w.client.bytes,
    },
    end: new Date(Math.floor(w.t)).toISOString(),
  };
}

function main(argv: string[]): number {
  const pos = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--seed' && argv[i - 1] !== '--shape');
  const valueOf = (option: string) => (argv.includes(option) ? argv[argv.indexOf(option) + 1] : undefined);
  const seed = Number(valueOf('--seed') ?? DEFAULT_SEED);
  const shape = (valueOf('--shape') ?? 'server') as Shape;
  const passing = argv.includes('--passing');
  const [dir, size] = pos;
  const mib = Number(size);
  if (!dir || !(mib > 0) || !Number.isInteger(seed) || !SHAPES.includes(shape)) {
    process.stderr.write(`usage: npm run bench:gen -- <dir> <MB> [--seed N] [--shape ${SHAPES.join('|')}] [--passing]\n`);
    return 2;
  }
  const t0 = process.hrtime.bigint();
  let res: GenResult;
  try {
    res = generate(dir, mib, seed, shape, passing);
  } catch (e) {
    process.stderr.write(`bench:gen: ${(e as Error).message}\n`);
    return 2;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ dir, seed, shape, passing, ...res, seconds: Number(secs.toFixed(2)) }, null, 2) + '\n');
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
