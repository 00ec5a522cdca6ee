import { groupBursts } from './attribute/burst.js';
import { decide } from './attribute/verdict.js';
import type { Rule } from './attribute/rule.js';
import { EvidenceCollector, isFarSide } from './correlate/collect.js';
import { buildIncidents, inTimeOrder, joinFarSide, joinWindowsOf, openFarSide } from './correlate/correlate.js';
import { claimedBy } from './correlate/far-side.js';
import type { Incident } from './correlate/incident.js';
import type { JoinWindowsInput } from './correlate/windows.js';
import { discover, type LogFile } from './discover/discover.js';
import type { InputProblem } from './model/problem.js';
import { FORMATS } from './parse/formats.js';
import type { Analysis } from './report/analysis.js';
export type { Analysis };
import { readPartials } from './run/partials.js';
import { runnersFor, WorkerPool } from './run/pool.js';
import { sizeOf, splitsWell } from './run/ranges.js';
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
}

/**
 * The whole pipeline: discover → read → parse → time → correlate → attribute. The client side is
 * read first and its failures become incidents on the one timeline (the far side's clocks probed
 * from its files' heads), so that while the (much larger) server logs stream past, only what an
 * incident can join is kept.
 */
export async function analyze(options: AnalyzeOptions, onProblem: (problem: InputProblem) => void = () => {}): Promise<Analysis> {
  const found = await discover(options.dir, options, FORMATS);
  const problems: InputProblem[] = [...found.problems, ...found.skipped];
  problems.forEach(onProblem);
  // Per file, a few problems of each kind one by one, the rest counted (the ranges of a file add up).
  const limiter = new ProblemLimiter((problem) => {
    problems.push(problem);
    onProblem(problem);
  });
  const report = limiter.report.bind(limiter);
  const collector = new EvidenceCollector();
  const bytes = found.files.reduce((sum, file) => sum + sizeOf(file), 0);
  options.onFound?.({ files: found.files.length, bytes });
  const { clientSide, far } = sidesOf(found.files);
  const jobs = Math.min(runnersFor(bytes, options.jobs ?? 1), Math.max(clientSide.length, far.length, found.files.some((file) => splitsWell(file)) ? Infinity : 0));
  const pool = jobs > 1 ? (options.pool ?? new WorkerPool(jobs)) : undefined;
  /** Reads one side's files into the collector, in file order whoever reads them: the result does not depend on --jobs. */
  const read = async (files: LogFile[], windows?: JoinWindowsInput) => {
    if (pool) {
      await readPartials(pool, files, collector.failedPaths, windows, { partial: (partial) => collector.merge(partial), problem: report });
      return;
    }
    const fast = { ordinary: collector.ordinaryLine.bind(collector), unremarkable: collector.unremarkableLine.bind(collector) };
    await scanFiles(files, { onEvent: (event) => collector.add(event), onProblem: report, fast });
  };
  let collected: Awaited<ReturnType<typeof collect>>;
  try {
    collected = await collect(collector, clientSide, far, options, read);
  } finally {
    // Before the joins and rules: the workers' heaps go back to the system, not into the peak.
    if (pool !== options.pool) await pool?.close();
  }
  limiter.end();
  const { timeline, incidents } = collected;
  joinFarSide(incidents, collector, timeline, options.windowMs);
  const clientVerdicts = incidents.map((incident) => decide(incident, options.rules));
  // What a client verdict rested on is that failure's, even when tied only by its moment.
  const claimed = claimedBy(incidents);
  for (const verdict of clientVerdicts) for (const join of verdict.deciding) claimed.add(join.event);
  const farVerdicts = openFarSide(claimed, collector, timeline, options.windowMs).map((incident) => decide(incident, options.rules));
  return {
    verdicts: groupBursts(inTimeOrder([...clientVerdicts, ...farVerdicts])),
    rules: options.rules,
    clock: timeline.report(),
    files: found.files.map((f) => ({ file: f.relative, format: f.format?.source ?? 'unclaimed' })),
    problems,
    filesRead: found.files.length,
  };
}

/** The client side (read first: its failures are the incidents) and the far side (servers, proxies, firewalls). */
export function sidesOf(files: readonly LogFile[]): { clientSide: LogFile[]; far: LogFile[] } {
  const farSide = (file: LogFile) => file.format !== undefined && isFarSide(file.format.source);
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
  options: Pick<AnalyzeOptions, 'zones' | 'windowMs'>,
  read: (files: LogFile[], windows?: JoinWindowsInput) => Promise<void>,
): Promise<{ timeline: Timeline; incidents: Incident[] }> {
  // The probe needs only the far side's heads: it reads them while the client side is read.
  const probing = probeClocks(far);
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
  const incidents = buildIncidents(collector, timeline, options.windowMs);
  const windows = joinWindowsOf(incidents, timeline, options.windowMs);
  collector.useWindows(windows);
  await read(far, windows);
  return { timeline, incidents };
}
