import { decide, type Verdict } from './attribute/verdict.js';
import type { Rule } from './attribute/rule.js';
import { EvidenceCollector, isFarSide } from './correlate/collect.js';
import { correlate } from './correlate/correlate.js';
import { discover, type LogFile } from './discover/discover.js';
import { FALLBACK_FORMAT, FORMATS } from './parse/formats.js';
import type { InputProblem } from './parse/parser.js';
import { scanFiles } from './parse/scan.js';
import { clockGroup } from './time/clock-group.js';
import { Timeline, type ClockReport } from './time/timeline.js';

export interface AnalyzeOptions {
  dir: string;
  include: string[];
  exclude: string[];
  /** --tz: clock group → zone. */
  zones: ReadonlyMap<string, string>;
  windowMs: number;
  rules: readonly Rule[];
}

export interface Analysis {
  verdicts: Verdict[];
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
  const add = (event: Parameters<EvidenceCollector['add']>[0]) => collector.add(event);
  const fast = {
    ordinary: collector.ordinaryLine.bind(collector),
    unremarkable: collector.unremarkableLine.bind(collector),
  };
  await scanFiles(found.files.filter((f) => !farSide(f)), FALLBACK_FORMAT, add, report, undefined, fast);
  collector.freezeAnchors();
  await scanFiles(found.files.filter(farSide), FALLBACK_FORMAT, add, report, undefined, fast);

  const timeline = new Timeline({
    zones: options.zones,
    traffic: collector.traffic,
    zoneSeen: collector.zoneSeen,
    groups: new Set([...collector.sources].map(clockGroup)),
  });
  const incidents = correlate(collector, timeline, options.windowMs);
  return {
    verdicts: incidents.map((incident) => decide(incident, options.rules)),
    clock: timeline.report(),
    files: found.files.map((f) => ({ file: f.relative, format: f.format?.source ?? 'unclaimed' })),
    problems,
    filesRead: found.files.length,
  };
}
