import type { BurstVerdict } from '../attribute/burst.js';
import type { Rule } from '../attribute/rule.js';
import type { SourceSides } from '../model/event.js';
import type { InputProblem } from '../model/problem.js';
import type { ClockReport } from '../time/timeline.js';

/** What a report renders: the analysis's result, decided before any renderer sees it. */
export interface Analysis {
  /** One per incident, a burst of one test's failures with one cause being one. */
  verdicts: BurstVerdict[];
  /** The rules the verdicts were decided by (--explain asks them for near misses). */
  rules: readonly Rule[];
  clock: ClockReport[];
  files: Array<{ file: string; format: string }>;
  /** Files and lines that could not be read, with what was done. */
  problems: InputProblem[];
  filesRead: number;
  /** The side each source speaks for in this run (runFormats): a declared format's source goes by it. */
  sides: SourceSides;
}

/** The analysis without its verdicts: what is known once they have all been handed on (streamed). */
export type AnalysisRest = Omit<Analysis, 'verdicts'>;
