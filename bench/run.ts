#!/usr/bin/env node
/**
 * The benchmark: whoreset against the split2 line-splitting ceiling, measured in the same run.
 *
 *   npm run bench [-- --sizes 100,1024] [--shapes server,client,errors@100] [--runs 3] [--seed N] [--data DIR] [--no-passing] [--no-write]
 *
 * Shapes (bench/gen.ts): `server` (nginx's logs make most of the bytes), `client` (a DEBUG urllib3
 * log and pytest's output do), `errors` (only an nginx error log of failure lines; not run unless
 * asked: every line is an incident). `shape@100,1024` runs that shape at its own sizes. Generated data goes to bench/data unless --data says where.
 * The largest size of the server and client shapes is also run as the same job with every test
 * passing (unless --no-passing): the difference is what the failures cost.
 *
 * Absolute times on a shared machine drift; the ratio to the ceiling, measured interleaved with
 * whoreset's runs, holds. Results go to stdout and to bench/RESULTS.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, SHAPES, type Shape } from './gen.js';
import { ensureDataset, mixedDataset, type Dataset } from './lib/data.js';
import { GNU_TIME, haveGnuTime, measure, median, type Sample } from './lib/measure.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The bin a user runs (package.json's bin: the bundle with its code cache), not the modules.
const CLI = join(ROOT, (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: { whoreset: string } }).bin.whoreset);
const CEILING = join(ROOT, 'dist', 'bench', 'ceiling.js');
const DATA = join(ROOT, 'bench', 'data');
const RESULTS = join(ROOT, 'bench', 'RESULTS.md');
const MIB = 2 ** 20;

/** Targets from issue 20 (speed as a ratio to the ceiling, peak RSS), and issue 7's growth from the smallest size to the largest. */
const TARGET = { analysisRatio: 1.0, eventsRatio: 0.5, rssMiB: 150, rssGrowth: 0.2 };

/** What many would reach for instead (issue 20): lnav's headless mode (-n) indexing every file of the directory (-r) to count its messages. */
const LNAV_QUERY = ';SELECT count(*) FROM all_logs';

type What = 'ceiling' | 'events' | 'analysis' | 'analysis-1' | 'lnav';
/** A directory of links to other datasets' files is read with --follow-outside: links out of the analysed directory are skipped otherwise. */
const follow = (data: Dataset): string[] => (data.linked ? ['--follow-outside'] : []);
const COMMANDS: Record<What, (data: Dataset) => string[]> = {
  ceiling: (data) => [process.execPath, CEILING, data.dir],
  events: (data) => [process.execPath, CLI, 'events', data.dir, '--format', 'ndjson', ...follow(data)],
  analysis: (data) => [process.execPath, CLI, data.dir, '--format', 'json', ...follow(data)],
  // The same in one thread: what the worker threads gain on this machine, and what they cost in CPU and memory.
  'analysis-1': (data) => [process.execPath, CLI, data.dir, '--format', 'json', '--jobs', '1', ...follow(data)],
  lnav: (data) => ['lnav', '-n', '-r', '-c', LNAV_QUERY, data.dir],
};
const LABEL: Record<What, string> = {
  ceiling: 'ceiling: split2 line count',
  events: '`whoreset events <dir> --format ndjson`',
  analysis: '`whoreset <dir> --format json`',
  'analysis-1': '`whoreset <dir> --format json --jobs 1`',
  lnav: `lnav headless \`${LNAV_QUERY.slice(1)}\``,
};

/** lnav's version when it is installed (Debian's \`lnav\`), else undefined: its row is then left out. */
function lnavVersion(): string | undefined {
  const run = spawnSync('lnav', ['-V'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

interface Row {
  data: Dataset;
  what: What;
  samples: Sample[];
  error?: string;
}

interface Options {
  sizes: number[];
  shapes: Array<{ shape: Shape; sizes?: number[] }>;
  data: string;
  runs: number;
  seed: number;
  write: boolean;
  passing: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { sizes: [100, 1024], shapes: [{ shape: 'server' }, { shape: 'client' }], data: DATA, runs: 3, seed: DEFAULT_SEED, write: true, passing: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = (): string => {
      const x = argv[++i];
      if (x === undefined) throw new Error(`${a} needs a value`);
      return x;
    };
    if (a === '--sizes') o.sizes = sizesOf(v());
    else if (a === '--shapes') o.shapes = shapesOf(v());
    else if (a === '--data') o.data = resolve(v());
    else if (a === '--runs') o.runs = Number(v());
    else if (a === '--seed') o.seed = Number(v());
    else if (a === '--no-write') o.write = false;
    else if (a === '--no-passing') o.passing = false;
    else throw new Error(`unknown option ${a} (known: --sizes 100,1024  --shapes ${SHAPES.join(',')}  --runs N  --seed N  --data DIR  --no-passing  --no-write)`);
  }
  const sizes = [...o.sizes, ...o.shapes.flatMap((s) => s.sizes ?? [])];
  if (!sizes.every((s) => s > 0) || !o.shapes.every(({ shape }) => SHAPES.includes(shape)) || !(o.runs >= 1) || !Number.isInteger(o.seed)) {
    throw new Error('bad --sizes, --shapes, --runs or --seed');
  }
  return o;
}

/** `100,1g` → MiB. */
function sizesOf(text: string): number[] {
  return text.split(',').map((s) => (/^\d+(\.\d+)?g(ib)?$/i.test(s) ? parseFloat(s) * 1024 : Number(s)));
}

/** `server,client,errors@100`: shapes, each at --sizes unless it names its own after `@`. */
function shapesOf(text: string): Options['shapes'] {
  return text.split(/,(?=[a-z])/).map((item) => {
    const [shape, sizes] = item.split('@');
    return { shape: shape as Shape, sizes: sizes === undefined ? undefined : sizesOf(sizes) };
  });
}

const ok = (s: Sample): boolean => s.signal === null && (s.code === 0 || s.code === 1);

async function bench(data: Dataset, runs: number, whats: What[], log: (s: string) => void): Promise<Row[]> {
  const rows = whats.map((what): Row => ({ data, what, samples: [] }));
  // One untimed pass so every timed run reads from a warm page cache.
  await measure(COMMANDS.ceiling(data), ROOT);
  for (let r = 1; r <= runs; r++) {
    // Interleaved, so drift on a shared machine hits every row alike.
    for (const row of rows) {
      if (row.error) continue;
      const s = await measure(COMMANDS[row.what](data), ROOT);
      if (!ok(s)) {
        row.error = `exit ${s.code ?? s.signal}: ${s.stderrTail.trim().split('\n').slice(-5).join(' | ')}`;
        log(`  ${data.name} ${row.what}: FAILED (${row.error})\n`);
        continue;
      }
      row.samples.push(s);
      log(`  ${data.name} run ${r}/${runs} ${row.what.padEnd(10)} ${s.seconds.toFixed(2)} s  ${s.cpuSeconds.toFixed(2)} CPU s  ${(s.rssKiB / 1024).toFixed(0)} MiB\n`);
    }
  }
  return rows;
}

const secs = (row: Row): number[] => row.samples.map((s) => s.seconds);
const cpuSecs = (row: Row): number[] => row.samples.map((s) => s.cpuSeconds);
const peakMiB = (row: Row): number => Math.max(...row.samples.map((s) => s.rssKiB)) / 1024;

function table(rows: Row[], missingCli: boolean): string {
  const out = ['| size | command | runs | median s (min–max) | MiB/s | vs ceiling | CPU s | cores | peak RSS MiB |', '|---|---|---|---|---|---|---|---|---|'];
  for (const row of rows) {
    const ceiling = rows.find((r) => r.data === row.data && r.what === 'ceiling')!;
    const size = `${row.data.name} (${(row.data.bytes / MIB).toFixed(0)} MiB)`;
    if (row.samples.length === 0) {
      const why = missingCli && row.what !== 'ceiling' ? 'n/a: CLI not built' : `n/a: ${row.error ?? 'no runs'}`;
      out.push(`| ${size} | ${LABEL[row.what]} | 0 | ${why} | | | | | |`);
      continue;
    }
    const m = median(secs(row));
    const ratio = row.what === 'ceiling' || ceiling.samples.length === 0 ? '' : `${(median(secs(ceiling)) / m).toFixed(2)}×`;
    out.push(
      `| ${size} | ${LABEL[row.what]} | ${row.samples.length} | ${m.toFixed(2)} (${Math.min(...secs(row)).toFixed(2)}–${Math.max(...secs(row)).toFixed(2)}) | ` +
        `${(row.data.bytes / MIB / m).toFixed(0)} | ${row.what === 'ceiling' ? '1.00×' : ratio} | ${median(cpuSecs(row)).toFixed(2)} | ${(median(cpuSecs(row)) / m).toFixed(2)} | ${peakMiB(row).toFixed(0)} |`,
    );
  }
  return out.join('\n');
}

interface Check {
  target: string;
  measured: string;
  pass: boolean | null;
}

/** The row of `what` on `data` that has runs. */
function rowOf(rows: Row[], data: Dataset, what: What): Row | undefined {
  return rows.find((r) => r.data === data && r.what === what && r.samples.length > 0);
}

/** `what` on `data` as a ratio to the ceiling on the same data (median times), where both ran. */
function ratioOf(rows: Row[], data: Dataset, what: What): number | null {
  const c = rowOf(rows, data, 'ceiling');
  const x = rowOf(rows, data, what);
  return c && x ? median(secs(c)) / median(secs(x)) : null;
}

/** The targets, for each shape on its own: its largest size's ratios, every size's memory. */
function checks(rows: Row[]): Check[] {
  return [...new Set(rows.map((row) => row.data.shape))].flatMap((shape) => shapeChecks(rows.filter((row) => row.data.shape === shape)));
}

function shapeChecks(rows: Row[]): Check[] {
  const sizes = [...new Set(rows.map((r) => r.data))].sort((a, b) => a.bytes - b.bytes);
  const largest = sizes[sizes.length - 1]!;
  const smallest = sizes[0]!;
  const get = (d: Dataset, w: What) => rowOf(rows, d, w);
  const ratio = (d: Dataset, w: What) => ratioOf(rows, d, w);
  const out: Check[] = [];
  const ra = ratio(largest, 'analysis');
  out.push({ target: `full analysis ≥ ${TARGET.analysisRatio.toFixed(1)}× the ceiling's MiB/s (${largest.name})`, measured: ra === null ? 'n/a' : `${ra.toFixed(2)}×`, pass: ra === null ? null : ra >= TARGET.analysisRatio });
  const re = ratio(largest, 'events');
  out.push({ target: `events --format ndjson ≥ ${TARGET.eventsRatio.toFixed(1)}× the ceiling's MiB/s (${largest.name})`, measured: re === null ? 'n/a' : `${re.toFixed(2)}×`, pass: re === null ? null : re >= TARGET.eventsRatio });
  for (const d of sizes) {
    const a = get(d, 'analysis');
    out.push({ target: `full analysis peak RSS ≤ ${TARGET.rssMiB} MiB (${d.name})`, measured: a ? `${peakMiB(a).toFixed(0)} MiB` : 'n/a', pass: a ? peakMiB(a) <= TARGET.rssMiB : null });
  }
  // Also with one thread at both sizes: on two cores the smaller job runs in one thread and the larger
  // in two (pool.ts analysisParallelMinBytes): a worker's heap is not memory growing with the input.
  for (const [what, how] of [['analysis', ''], ['analysis-1', ', --jobs 1 at both sizes']] as const) {
    const small = get(smallest, what);
    const large = get(largest, what);
    if (smallest !== largest && small && large) {
      const growth = peakMiB(large) / peakMiB(small) - 1;
      out.push({ target: `peak RSS ${largest.name} within ${TARGET.rssGrowth * 100} % of ${smallest.name}${how}`, measured: `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %`, pass: growth <= TARGET.rssGrowth });
    } else if (what === 'analysis') {
      out.push({ target: `peak RSS of the largest within ${TARGET.rssGrowth * 100} % of the smallest`, measured: 'n/a (needs two sizes)', pass: null });
    }
  }
  return out;
}

/** Peak RSS with many more server bytes but the same failures: what the window bounds. */
function sameFailuresCheck(rows: Row[], small: Dataset, mixed: Dataset): Check {
  const a = rowOf(rows, small, 'analysis');
  const b = rowOf(rows, mixed, 'analysis');
  const target = `peak RSS with ${mixed.name} (${(mixed.bytes / MIB).toFixed(0)} MiB, the same ${mixed.incidents} failures) within ${TARGET.rssGrowth * 100} % of ${small.name}`;
  if (!a || !b) return { target, measured: 'n/a', pass: null };
  const growth = peakMiB(b) / peakMiB(a) - 1;
  return { target, measured: `${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)} %`, pass: growth <= TARGET.rssGrowth };
}

const verdict = (p: boolean | null): string => (p === null ? 'n/a' : p ? 'PASS' : 'MISS');

/**
 * What the failures cost: each job's analysis against the same job with every test passing (its
 * bytes all bulk), each as a ratio to its own ceiling; the time a failure adds is the difference of
 * the two analyses (the passing one scaled to the failing job's bytes) over the failing job's incidents.
 */
function failureCost(rows: Row[], pairs: ReadonlyArray<readonly [Dataset, Dataset]>): string {
  const ratio = (d: Dataset) => {
    const r = ratioOf(rows, d, 'analysis');
    return r === null ? 'n/a' : `${r.toFixed(2)}×`;
  };
  const out = ['| job | incidents | analysis vs ceiling | the same job, every test passing: analysis vs ceiling | time a failure adds |', '|---|---|---|---|---|'];
  for (const [failing, passing] of pairs) {
    const a = rowOf(rows, failing, 'analysis');
    const b = rowOf(rows, passing, 'analysis');
    const added = a && b && failing.incidents > 0 ? `${(((median(secs(a)) - (median(secs(b)) * failing.bytes) / passing.bytes) / failing.incidents) * 1e6).toFixed(0)} µs` : 'n/a';
    out.push(`| ${failing.name} | ${failing.incidents} | ${ratio(failing)} | ${ratio(passing)} (${passing.name}) | ${added} |`);
  }
  return out.join('\n');
}

function machine(): string {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) model = m[1]!.trim();
  } catch {
    // not Linux: os.cpus() already named it
  }
  return `${cpus().length} cores, ${model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(argv: string[]): Promise<number> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  if (!haveGnuTime()) {
    process.stderr.write(`bench: ${GNU_TIME} is missing; it measures peak RSS. Install it: apt-get update && apt-get install -y time\n`);
    return 2;
  }
  if (!existsSync(CEILING)) {
    process.stderr.write('bench: dist/bench/ceiling.js is missing; build first: npx tsc -p .\n');
    return 2;
  }
  const missingCli = !existsSync(CLI);
  if (missingCli) {
    process.stderr.write(`bench: the whoreset CLI is not built (${CLI} is missing): run \`npx tsc -p .\`. Measuring the ceiling only.\n`);
  }
  const log = (s: string): void => {
    process.stderr.write(s);
  };
  const lnav = lnavVersion();
  if (!lnav) log('bench: lnav is not installed (apt-get install -y lnav): its row is left out\n');
  const whats: What[] = missingCli ? ['ceiling'] : ['ceiling', 'events', 'analysis', 'analysis-1', ...(lnav ? (['lnav'] as const) : [])];
  const rows: Row[] = [];
  const sets: Dataset[] = [];
  for (const { shape, sizes } of o.shapes) {
    for (const mib of sizes ?? o.sizes) {
      const d = ensureDataset(o.data, mib, o.seed, log, shape);
      sets.push(d);
      rows.push(...(await bench(d, o.runs, whats, log)));
      if (missingCli) rows.push(...(['events', 'analysis', 'analysis-1'] as const).map((what): Row => ({ data: d, what, samples: [] })));
    }
  }
  // Each shape's largest job again with every test passing: what its failures cost.
  const pairs: Array<readonly [Dataset, Dataset]> = [];
  for (const { shape } of o.passing && !missingCli ? o.shapes.filter(({ shape }) => shape !== 'errors') : []) {
    const largest = sets.filter((d) => d.shape === shape).sort((a, b) => b.bytes - a.bytes)[0]!;
    const mib = Math.max(...(o.shapes.find((s) => s.shape === shape)!.sizes ?? o.sizes));
    const passing = ensureDataset(o.data, mib, o.seed, log, shape, true);
    pairs.push([largest, passing]);
    rows.push(...(await bench(passing, o.runs, ['ceiling', 'analysis'], log)));
  }
  // The smallest job's failures over the largest job's server logs: memory against bytes alone.
  const bySize = sets.filter((d) => d.shape === 'server').sort((a, b) => a.bytes - b.bytes);
  const mixed = bySize.length > 1 && !missingCli ? mixedDataset(o.data, bySize[0]!, bySize[bySize.length - 1]!) : undefined;
  if (mixed) rows.push(...(await bench(mixed, o.runs, ['ceiling', 'analysis'], log)));
  const tbl = table(rows, missingCli);
  const chk = checks(rows.filter((row) => row.data !== mixed && !row.data.passing));
  if (mixed) chk.push(sameFailuresCheck(rows, bySize[0]!, mixed));
  const chkTable = ['| target | measured | result |', '|---|---|---|', ...chk.map((c) => `| ${c.target} | ${c.measured} | ${verdict(c.pass)} |`)].join('\n');
  const cost = pairs.length > 0 ? failureCost(rows, pairs) : undefined;
  process.stdout.write(`\n${tbl}\n\n${chkTable}\n${cost ? `\n${cost}\n` : ''}`);
  if (o.write) {
    const doc = [
      '# Benchmark results',
      '',
      `Written by \`npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}\` on ${new Date().toISOString()}.`,
      '',
      `- Machine: ${machine()}`,
      `- Node ${process.version}; whoreset at commit ${commit()}; ${lnav ? `${lnav} (its row: \`lnav -n -r -c '${LNAV_QUERY}' <dir>\`, no target)` : 'lnav not installed'}`,
      `- Data: generated by \`bench/gen.ts\` (seed ${o.seed}; shapes ${o.shapes.map(({ shape }) => shape).join(', ')}): ${sets.map((d) => `${d.name} = ${d.bytes} bytes, ${d.incidents} ${d.shape === 'errors' ? 'failure lines' : 'incidents'}`).join('; ')}${mixed ? `; ${mixed.name} = the client side of ${bySize[0]!.name} with the nginx logs of ${bySize[bySize.length - 1]!.name} (symbolic links), ${mixed.bytes} bytes` : ''}${pairs.map(([, passing]) => `; ${passing.name} = ${passing.bytes} bytes, every test passing`).join('')}`,
      `- Each row: ${o.runs} whole-process runs, interleaved with the others, warm page cache; wall time (median, min–max), CPU time of all the process's threads (GNU time %U + %S, median; "cores" = CPU s / wall s) and peak RSS (GNU time %M, max over runs). "vs ceiling" = ceiling median time / row median time (1.00× is as fast as the ceiling).`,
      '',
      tbl,
      '',
      chkTable,
      '',
      ...(cost ? ['What the failures cost: the largest job of each shape against the same job with every test passing (no target).', '', cost, ''] : []),
    ].join('\n');
    writeFileSync(RESULTS, doc);
    log(`\nwrote ${RESULTS}\n`);
  }
  const failed = rows.some((r) => r.error);
  return missingCli || failed ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
