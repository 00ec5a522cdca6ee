import type { InputProblem } from '../model/problem.js';
import { escapeControls } from './output.js';

/** One line per problem: file, line, what was wrong and what was done. */
export function formatProblem(problem: InputProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const more = problem.more && problem.more.count > 0 ? ` (and ${problem.more.count} more like it after it: not listed one by one)` : '';
  return `whoreset: ${escapeControls(`${where}: ${problem.message}${more}`, false)}`;
}
