import type { ConnectionEvent } from '../model/event.js';
import { cleanLine } from '../read/clean.js';
import { unwrapCiPrefix } from '../read/ci-prefix.js';
import { checkedContext } from './field-ranges.js';
import type { FormatParser } from './parser.js';
import type { InputProblem } from '../model/problem.js';

/**
 * Runs a format's parser over lines held in memory, cleaned as the reader would clean them.
 * For format examples, `rules test`, and unit tests; files go through read/lines.ts instead.
 */
export function parseLines(
  format: FormatParser,
  lines: readonly string[],
  file = 'example.log',
): { events: ConnectionEvent[]; problems: InputProblem[] } {
  const events: ConnectionEvent[] = [];
  const problems: InputProblem[] = [];
  const parser = format.create(
    checkedContext({
      file,
      emit: (event) => events.push(event),
      problem: (line, message) => problems.push({ file, line, message }),
    }),
  );
  lines.forEach((raw, i) => {
    const { text, time } = unwrapCiPrefix(cleanLine(raw));
    parser.line(text, i + 1, time);
  });
  parser.end();
  return { events, problems };
}
