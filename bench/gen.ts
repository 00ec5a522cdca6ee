#!/usr/bin/env node
/**
 * Seeded generator of a CI job's log directory (pytest.log, nginx/error.log, nginx/access.log,
 * client.log) of a given size, for the benchmark. Same seed and size → same bytes.
 *
 *   npm run bench:gen -- <dir> <MB> [--seed N]        (MB = MiB: 2^20 bytes)
 */
import { fileURLToPath } from 'node:url';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { newStats, runSession, type RunStats } from './lib/session.js';
import { World } from './lib/world.js';

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
}

const OUR_ENTRIES = new Set(['pytest.log', 'client.log', 'nginx']);

export function generate(dir: string, mib: number, seed = DEFAULT_SEED): GenResult {
  const target = Math.round(mib * 2 ** 20);
  // Replace only a directory this generator wrote: never wipe a user's directory by mistake.
  if (existsSync(dir)) {
    const foreign = readdirSync(dir).filter((e) => !OUR_ENTRIES.has(e));
    if (foreign.length > 0) throw new Error(`${dir} holds files the generator did not write (${foreign.slice(0, 3).join(', ')}); choose an empty or new directory`);
    rmSync(dir, { recursive: true, force: true });
  }
  const w = new World(dir, seed, START);
  const stats = newStats();
  w.nginxStartup();
  w.clientLine('INFO', 'tests.conftest', 'API under test: http://127.0.0.1:8080');
  while (w.bytes < target) {
    // Size each session to what is left, from the bytes a test has cost so far.
    const perTest = stats.tests > 0 ? w.bytes / stats.tests : 1500;
    runSession(w, stats, Math.ceil((target - w.bytes) / perTest));
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
  const pos = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--seed');
  const seedAt = argv.indexOf('--seed');
  const seed = seedAt >= 0 ? Number(argv[seedAt + 1]) : DEFAULT_SEED;
  const [dir, size] = pos;
  const mib = Number(size);
  if (!dir || !(mib > 0) || !Number.isInteger(seed)) {
    process.stderr.write('usage: npm run bench:gen -- <dir> <MB> [--seed N]\n');
    return 2;
  }
  const t0 = process.hrtime.bigint();
  let res: GenResult;
  try {
    res = generate(dir, mib, seed);
  } catch (e) {
    process.stderr.write(`bench:gen: ${(e as Error).message}\n`);
    return 2;
  }
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ dir, seed, ...res, seconds: Number(secs.toFixed(2)) }, null, 2) + '\n');
  return 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2));
