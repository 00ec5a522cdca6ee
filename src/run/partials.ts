/**
 * The analysis on the pool (`--jobs`): each file, or byte range of a big splittable file, read
 * into a fresh collector by some runner; the partials (kept events, seconds of activity, the clock
 * sample, presence bitmaps) and problems come back in file and range order, which is what reading
 * the files in this thread gives.
 */
import type { CollectorPartial } from '../correlate/collect.js';
import type { JoinWindowsInput } from '../correlate/windows.js';
import type { LogFile } from '../discover/discover.js';
import type { InputProblem } from '../model/problem.js';
import { plan, type WorkerPool } from './pool.js';
import { sizeOfAll, SPLIT_MIN_BYTES } from './ranges.js';

/** Reads `files` on the pool, handing each partial and problem on in file order. */
export function readPartials(
  pool: WorkerPool,
  files: readonly LogFile[],
  failedPaths: readonly string[],
  windows: JoinWindowsInput | undefined,
  sink: { partial(partial: CollectorPartial): void; problem(problem: InputProblem): void },
): Promise<void> {
  // A share of the phase's bytes small enough that the runners finish together, and that a
  // range's partial stays small (a quarter of a runner's share: peak RSS lower than a third,
  // time the same within noise; an eighth cost more than it balanced).
  const total = sizeOfAll(files);
  const rangeBytes = pool.size > 1 ? Math.max(SPLIT_MIN_BYTES, Math.ceil(total / (pool.size * 4))) : undefined;
  return pool.run(plan(files, { kind: 'partial', failedPaths, windows }, pool.formats.list, rangeBytes), sink, { biggestFirst: true });
}
