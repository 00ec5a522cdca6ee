import { RuleIndex } from './attribute/rule-index.js';
import { BurstGrouper, type BurstVerdict } from './attribute/burst.js';
import { decide } from './attribute/verdict.js';
import type { Rule } from './attribute/rule.js';
import { EvidenceCollector } from './correlate/collect.js';
import { buildIncidents, farEvents, holdIncidents, joinWindowsOf, type ClientIncidents } from './correlate/correlate.js';
import { joinContext } from './correlate/join.js';
import { DEFAULT_SPILL_EVENTS, removeRuns, type SpilledRun } from './correlate/spill.js';
import { sweep } from './correlate/sweep.js';
import type { JoinWindowsInput } from './correlate/windows.js';
import { discover, type Discovery, type LogFile } from './discover/discover.js';
import type { SourceSides } from './model/event.js';
import type { InputProblem } from './model/problem.js';
import { runFormats, type RunFormats } from './parse/formats.js';
import type { Analysis, AnalysisRest } from './report/analysis.js';
export type { Analysis, AnalysisRest };
import { readPartials } from './run/partials.js';
import { analysisParallelMinBytes, runnersFor, WorkerPool } from './run/pool.js';
import { sizeOfAll, splitsWell } from './run/ranges.js';
import { ProblemLimiter } from './run/problem-limit.js';
import { probeClocks } from './run/probe.js';
import { scanFiles } from './run/scan.js';
import { clockGroup } from './time/clock-group.js';
import { Timeline } from './time/timeline.js';

/** How far either side of a failure other sources' events are joined, unless --window says otherwise. */
export const DEFAULT_WINDOW_MS = 10_000;

export interface AnalyzeOptions {
  dir: string;
  include: string[];
  exclude: string[];
  /** Follow links out of `dir` (--follow-outside). */
  followOutside?: boolean;
  /** --tz: clock group → zone. */
  zones: ReadonlyMap<string, string>;
  windowMs: number;
  rules: readonly Rule[];
  /** Files parsed in parallel (worker threads); 1 or undefined: all in this thread. Output is the same. */
  jobs?: number;
  /** Workers shared by the analyses of several job directories: used when `jobs` asks for threads, never closed here. */
  pool?: WorkerPool;
  /** Told once discovery is done: how many files will be read, and their bytes (a progress line). */
  onFound?: (found: { files: number; bytes: number }) => void;
  /** The formats to read with (runFormats: the built-in ones and the user's declared ones); default: the built-in ones. */
  formats?: RunFormats;
  /** Notable far-side events a reader holds before writing them to a temporary file (default: spill.ts); tests make it small. */
  spillEvents?: number;
  /** What discover() found in `dir`, when the caller has looked already (the CLI weighs the input before it starts). */
  discovered?: Discovery;
}


/**
 * The whole pipeline: discover → read → parse → time → correlate → attribute. The client side is
 * read first and its failures become incidents on the one timeline (the far side's clocks probed
 * from its files' heads), so that while the (much larger) server logs stream past, only what an
 * incident can join is kept.
 */
export async function analyze(options: AnalyzeOptions, onProblem: (problem: InputProblem) => void = () => {}): Promise<Analysis> {
  const verdicts: BurstVerdict[] = [];
  const rest = await analyzeStreaming(options, onProblem, (verdict) => verdicts.push(verdict));
  return { verdicts, ...rest };
}

/**
 * analyze(), with each verdict handed to `onVerdict` as soon as it is final, in the order and with
 * the ids analyze() gives them: the far side's failures are decided as the window passes them, so
 * memory follows the window, not the number of failures.
 */
export async function analyzeStreaming(
  options: AnalyzeOptions,
  onProblem: (problem: InputProblem) => void,
  onVerdict: (verdict: BurstVerdict) => void,
  /** A promise while what the verdicts are written to cannot take more: the analysis waits. */
  congested?: () => Promise<void> | undefined,
): Promise<AnalysisRest> {
  const formats = options.formats ?? runFormats();
  const found = options.discovered ?? (await discover(options.dir, options, formats.list));
  const problems: InputProblem[] = [...found.problems, ...found.skipped];
  problems.forEach(onProblem);
  // Per file, a few problems of each kind one by one, the rest counted (the ranges of a file add up).
  const limiter = new ProblemLimiter((problem) => {
    problems.push(problem);
    onProblem(problem);
  });
  const report = limiter.report.bind(limiter);
  const collector = new EvidenceCollector(formats.sides);
  // Runs spilled to the temporary directory (the far side's, the client's incidents) go when the analysis ends, or the process does.
  const incidentRuns: SpilledRun[] = [];
  const removeSpill = () => removeRuns([...collector.spilled, ...incidentRuns]);
  process.once('exit', removeSpill);
  try {
    const { timeline, incidents } = await collectAll(collector, found.files, { ...options, formats }, report, incidentRuns);
    limiter.end();
    for (const config of collector.configs) timeline.resolve(config);
    // Far-side incidents name a test only if a far-side line does: otherwise their bursts are final at once.
    const bursts = new BurstGrouper(onVerdict, (origin) => origin === 'client' || collector.farNamesTest);
    const rules = new RuleIndex(options.rules);
    await sweep({
      incidents,
      events: farEvents(collector, timeline),
      configs: collector.configs,
      context: joinContext(collector, timeline, options.windowMs),
      decide: (incident) => decide(incident, rules.matchable(incident)),
      emit: (verdict) => bursts.add(verdict),
      congested,
    });
    bursts.end();
    return {
      rules: options.rules,
      clock: timeline.report(),
      files: found.files.map((f) => ({ file: f.relative, format: f.format?.source ?? 'unclaimed' })),
      problems,
      filesRead: found.files.length,
      sides: formats.sides,
    };
  } finally {
    removeSpill();
    process.off('exit', removeSpill);
  }
}

/** Reads both sides into the collector, with --jobs workers or in this thread. */
async function collectAll(
  collector: EvidenceCollector,
  files: LogFile[],
  options: AnalyzeOptions & { formats: RunFormats },
  report: (problem: InputProblem) => void,
  incidentRuns: SpilledRun[],
): ReturnType<typeof collect> {
  const bytes = sizeOfAll(files);
  options.onFound?.({ files: files.length, bytes });
  const { clientSide, far } = sidesOf(files, options.formats.sides);
  const jobs = Math.min(runnersFor(bytes, options.jobs ?? 1, analysisParallelMinBytes()), Math.max(clientSide.length, far.length, files.some((file) => splitsWell(file)) ? Infinity : 0));
  const pool = jobs > 1 ? (options.pool ?? new WorkerPool(jobs, { formats: options.formats })) : undefined;
  /** Reads one side's files into the collector, in file order whoever reads them: the result does not depend on --jobs. */
  const read = async (files: LogFile[], windows?: JoinWindowsInput) => {
    if (pool) {
      await readPartials(pool, files, collector.failedPaths, windows, { partial: (partial) => collector.merge(partial), problem: report });
      // The client side is read without windows. Its workers end before its incidents are built, the
      // run's peak, and the far side starts them again (a pool the caller gave is theirs to keep).
      if (windows === undefined && pool !== options.pool) await pool.release();
      return;
    }
    await scanFiles(files, { onEvent: (event) => collector.add(event), onProblem: report, fast: collector.fastPaths(), formats: options.formats.list });
  };
  try {
    return await collect(collector, clientSide, far, options, read, incidentRuns);
  } finally {
    // Before the joins and rules: the workers' heaps go back to the system, not into the peak.
    if (pool !== options.pool) await pool?.close();
  }
}

/** The client side (read first: its failures are the incidents) and the far side (servers, proxies, firewalls). */
export function sidesOf(files: readonly LogFile[], sides: SourceSides): { clientSide: LogFile[]; far: LogFile[] } {
  const farSide = (file: LogFile) => file.format !== undefined && sides.isFarSide(file.format.source);
  return { clientSide: files.filter((file) => !farSide(file)), far: files.filter(farSide) };
}

/**
 * Collection in its order: the client side, its failures as incidents on the timeline (the far
 * side's clocks probed first), then the far side keeping what they can join. `read` reads files
 * into the collector (with --jobs, or in this thread).
 */
export async function collect(
  collector: EvidenceCollector,
  clientSide: LogFile[],
  far: LogFile[],
  options: Pick<AnalyzeOptions, 'zones' | 'windowMs' | 'spillEvents'> & { formats: RunFormats },
  read: (files: LogFile[], windows?: JoinWindowsInput) => Promise<void>,
  /** Where the run of the incidents goes, when they are written to disk while the far side is read. */
  incidentRuns: SpilledRun[] = [],
): Promise<{ timeline: Timeline; incidents: ClientIncidents }> {
  // The probe needs only the far side's heads: it reads them while the client side is read.
  const probing = probeClocks(far, options.formats);
  probing.catch(() => {}); // awaited below; should the client side fail first, its error is the one reported
  await read(clientSide);
  collector.freezeAnchors();
  const probe = await probing;
  collector.useClockSample(probe);
  const timeline = new Timeline({
    zones: options.zones,
    traffic: collector.traffic,
    zoneSeen: collector.zoneSeen,
    groups: new Set([...collector.sources, ...probe.sources].map(clockGroup)),
  });
  // The clocks are estimated: the samples (20,000 requests a clock group) are not held through the far side and the sweep.
  collector.traffic.clear();
  const built = buildIncidents(collector, timeline, options.windowMs);
  const windows = { ...joinWindowsOf(built, timeline, options.windowMs), spillEvents: options.spillEvents };
  const incidents = holdIncidents(built, options.spillEvents ?? DEFAULT_SPILL_EVENTS, incidentRuns);
  collector.useWindows(windows);
  await read(far, windows);
  return { timeline, incidents };
}
