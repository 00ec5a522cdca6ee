/**
 * Problems, bounded: a million unparsable lines must not become a million stderr lines and JSON
 * warnings, held in memory. Per file, the first few of each kind are passed
 * on as they come; the rest are held as one problem, the first of them, that counts the others
 * (`more`), passed on at the end. Counts add up: a file read in byte ranges (--jobs) gives what the
 * whole file gives when each range's limiter feeds one limiter for the file, in line order.
 */
import type { InputProblem } from '../model/problem.js';

/** Problems of one kind per file passed on one by one; the rest are counted. */
export const SHOWN_PER_KIND = 5;
/** Kinds told apart per file; problems of further kinds are all counted under the last one. */
const MAX_KINDS = 64;

interface Kind {
  shown: number;
  /** The first problem not passed on, which will stand for the others. */
  held: InputProblem | undefined;
  more: number;
}

/** A problem's kind: its message without the numbers that differ line by line. */
function kindOf(message: string): string {
  return message.replace(/\d+/g, '#').slice(0, 120);
}

export class ProblemLimiter {
  private readonly files = new Map<string, Map<string, Kind>>();
  constructor(private readonly onProblem: (problem: InputProblem) => void) {}

  report(problem: InputProblem): void {
    let kinds = this.files.get(problem.file);
    if (!kinds) this.files.set(problem.file, (kinds = new Map()));
    let key = kindOf(problem.message);
    if (!kinds.has(key) && kinds.size >= MAX_KINDS) key = [...kinds.keys()].at(-1)!;
    let kind = kinds.get(key);
    if (!kind) kinds.set(key, (kind = { shown: 0, held: undefined, more: 0 }));
    if (problem.more === undefined && kind.shown < SHOWN_PER_KIND) {
      kind.shown++;
      this.onProblem(problem);
      return;
    }
    const extra = problem.more?.count ?? 0;
    if (kind.held === undefined) {
      kind.held = { file: problem.file, line: problem.line, message: problem.message };
      kind.more += extra;
    } else {
      kind.more += 1 + extra;
    }
  }

  /** What was held: per file and kind, its first problem counting the others. */
  end(): void {
    for (const kinds of this.files.values()) {
      for (const kind of kinds.values()) {
        if (kind.held) this.onProblem({ ...kind.held, more: { count: kind.more } });
      }
    }
    this.files.clear();
  }
}
