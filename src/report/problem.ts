import type { InputProblem } from '../parse/parser.js';
import { escapeControls } from './output.js';

/** One line per problem: file, line, what was wrong and what was done. */
export function formatProblem(problem: InputProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  return `whoreset: ${escapeControls(`${where}: ${problem.message}`, false)}`;
}
