import { decide, type Verdict } from './attribute/verdict.js';
import type { Rule } from './attribute/rule.js';
import { EvidenceCollector, isFarSide, type CollectorPartial } from './correlate/collect.js';
import { correlate } from './correlate/correlate.js';
import { discover, type LogFile } from './discover/discover.js';
import { FALLBACK_FORMAT, FORMATS } from './parse/formats.js';
import type { InputProblem } from './parse/parser.js';
import { sizeOf, splitsWell, WorkerPool } from './parse/parallel.js';
import { scanFiles } from './parse/scan.js';
import { clockGroup } from './time/clock-group.js';
import { Timeline, type ClockReport } from './time/timeline.js';

/** How far either side of a failure other sources' events are joined, unless --window says otherwise. */
export const DEFAULT_WINDOW_MS = 10_000;

export interface AnalyzeOptions {
  dir: string;
  include: string[];
  exclude: string[];
  /** --tz: clock group → zone. */
  zones: ReadonlyMap<string, string>;
  windowMs: number;
  rules: readonly Rule[];
  /** Files parsed in parallel (worker threads); 1 or undefined: all in this thread. Output is the same. */
  jobs?: number;
}

export interface Analysis {
  verdicts: Verdict[];
  /** The rules the verdicts were decided by (--explain asks them for near misses). */
  rules: readonly Rule[];
  clock: ClockReport[];
  files: Array<{ file: string; format: string }>;
  /** Files and lines that could not be read, with what was done. */
  problems: InputProblem[];
  filesRead: number;
}

/**
 * The whole pipeline: discover → read → parse → time → correlate → attribute. The client side is
 * read first, so that while the (much larger) server logs stream past, only the paths that failed
 * are kept.
 */
export async function analyze(options: AnalyzeOptions, onProblem: (problem: InputProblem) => void = () => {}): Promise<Analysis> {
  const found = await discover(options.dir, options, FORMATS);
  const problems: InputProblem[] = [...found.problems, ...found.skipped];
  problems.forEach(onProblem);
  const report = (problem: InputProblem) => {
    problems.push(problem);
    onProblem(problem);
  };
  const farSide = (file: LogFile) => file.format !== undefined && isFarSide(file.format.source);
  const collector = new EvidenceCollector();
  const clientSide = found.files.filter((f) => !farSide(f));
  const far = found.files.filter(farSide);
  const jobs = Math.min(options.jobs ?? 1, Math.max(clientSide.length, far.length, found.files.some((file) => splitsWell(file)) ? Infinity : 0));
  if (jobs > 1) {
    // Each file in a worker; partials merged in file order, so the result is the one below.
    const pool = new WorkerPool(jobs);
    const merge = (partial: CollectorPartial | undefined, fileProblems: InputProblem[]) => {
      if (partial) collector.merge(partial);
      fileProblems.forEach(report);
    };
    try {
      await pool.scan(clientSide, clientSide.map(sizeOf), [], merge);
      collector.freezeAnchors();
      await pool.scan(far, far.map(sizeOf), collector.failedPaths, merge, () => collector.fullOrdinaryKeys());
    } finally {
      await pool.close();
    }
  } else {
    const add = (event: Parameters<EvidenceCollector['add']>[0]) => collector.add(event);
    const fast = {
      ordinary: collector.ordinaryLine.bind(collector),
      unremarkable: collector.unremarkableLine.bind(collector),
    };
    await scanFiles(clientSide, FALLBACK_FORMAT, add, report, undefined, fast);
    collector.freezeAnchors();
    await scanFiles(far, FALLBACK_FORMAT, add, report, undefined, fast);
  }

  const timeline = new Timeline({
    zones: options.zones,
    traffic: collector.traffic,
    zoneSeen: collector.zoneSeen,
    groups: new Set([...collector.sources].map(clockGroup)),
  });
  const incidents = correlate(collector, timeline, options.windowMs);
  return {
    verdicts: incidents.map((incident) => decide(incident, options.rules)),
    rules: options.rules,
    clock: timeline.report(),
    files: found.files.map((f) => ({ file: f.relative, format: f.format?.source ?? 'unclaimed' })),
    problems,
    filesRead: found.files.length,
  };
}
