import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_WINDOW_MS } from '../analyze.js';
import { loadFormats } from '../attribute/format-load.js';
import { loadRules } from '../attribute/load.js';
import { InputError } from '../discover/discover.js';
import { jobDirs } from '../discover/jobs.js';
import { runFormats } from '../parse/formats.js';
import type { ClickHouseSink } from '../ship/clickhouse.js';
import { jobRows } from '../ship/rows.js';
import { analyseJob, withSharedWorkers } from './jobs-command.js';
import { jobsProblem, MAX_JOBS } from './options.js';

interface ShipArgs {
  target: string;
  dirs: string[];
  repo: string;
  rules: string[];
  formats: string[];
  include: string[];
  exclude: string[];
  jobs: number;
}

/**
 * `whoreset ship clickhouse://HOST:PORT/DB DIR…`: each job directory analysed on its own, its
 * incidents and their events written to the tables of schemas/clickhouse/tables.sql (created when
 * missing) over ClickHouse's HTTP interface. Shipping a job again replaces its rows (see there).
 * Exit 0 shipped, 2 a job's input or the target was wrong (the other jobs are still shipped).
 */
export function shipCommand(setExitCode: (code: number) => void): CommandModule<object, ShipArgs> {
  return {
    command: 'ship <target> <dirs..>',
    describe: 'analyse job directories and write their incidents and events to ClickHouse (clickhouse://HOST:PORT/DB)',
    builder: (y: Argv) =>
      y
        .positional('target', { type: 'string', demandOption: true, describe: 'clickhouse://HOST:PORT/DATABASE (the HTTP interface; user and password in the URL or CLICKHOUSE_USER/CLICKHOUSE_PASSWORD)' })
        .positional('dirs', { type: 'string', array: true, demandOption: true, describe: 'the job directories (or quoted globs of them)' })
        .option('repo', { type: 'string', default: '', describe: "the repository of jobs whose directory does not name the CI's own" })
        .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'a folder of rule files (repeatable)' })
        .option('formats', { type: 'string', array: true, default: [] as string[], describe: 'a folder of declared log formats (repeatable)' })
        .option('include', { type: 'string', array: true, default: [] as string[], describe: 'only files matching these globs' })
        .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'skip files matching these globs' })
        .option('jobs', { type: 'number', default: Math.min(availableParallelism(), MAX_JOBS), describe: 'files parsed in parallel (worker threads)' }) as unknown as Argv<ShipArgs>,
    handler: async (args) => setExitCode(await ship(args)),
  };
}

async function ship(args: ShipArgs): Promise<number> {
  // Loaded here: the client costs every other command's start-up a tenth of a second.
  const { ClickHouseSink, parseTarget } = await import('../ship/clickhouse.js');
  const target = parseTarget(args.target);
  if (typeof target === 'string') throw new InputError(target);
  const problem = jobsProblem(args.jobs);
  if (problem) throw new InputError(problem);
  const formats = runFormats(await loadFormats(args.formats));
  const rules = await loadRules(args.rules, { formats });
  const shared = { include: args.include, exclude: args.exclude, zones: new Map<string, string>(), windowMs: DEFAULT_WINDOW_MS, rules, jobs: args.jobs, formats };
  let sink: ClickHouseSink;
  try {
    sink = await ClickHouseSink.open(target);
  } catch (error) {
    throw new InputError(`${target.url}/${target.database}: cannot prepare the tables: ${(error as Error).message}`);
  }
  const shippedAt = Date.now();
  let failed = false;
  let incidents = 0;
  let events = 0;
  try {
    const jobs = await jobDirs(args.dirs);
    await withSharedWorkers(shared, async (withPool) => {
      for (const job of jobs) {
        const analysis = await analyseJob(job, withPool);
        if (analysis.filesRead === 0) failed = true;
        const rows = jobRows(job, analysis.verdicts, args.repo, shippedAt);
        await sink.write(rows).catch((error: Error) => {
          throw new InputError(`${target.url}/${target.database}: job ${job.label}: the rows could not be written: ${error.message}`);
        });
        incidents += rows.incidents.length;
        events += rows.events.length;
      }
    });
    process.stderr.write(`whoreset: shipped ${jobs.length} job(s): ${incidents} incident(s), ${events} event(s) to ${target.url}/${target.database}\n`);
  } finally {
    await sink.close();
  }
  return failed ? 2 : 0;
}
