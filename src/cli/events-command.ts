import { once } from 'node:events';
import { discover } from '../discover/discover.js';
import { FALLBACK_FORMAT, FORMATS } from '../parse/formats.js';
import { scanFiles } from '../parse/scan.js';
import { eventWriter, type OutputFormat } from '../report/event-writer.js';
import { BufferedOutput } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import type { CommonOptions } from './main.js';

export interface EventsOptions extends CommonOptions {
  format: OutputFormat;
}

/** `whoreset events <dir>`: every normalised event, streamed file by file (flat memory). */
export async function eventsCommand(options: EventsOptions): Promise<number> {
  const found = await discover(options.dir, options, FORMATS);
  for (const problem of [...found.problems, ...found.skipped]) process.stderr.write(formatProblem(problem) + '\n');
  const out = new BufferedOutput((chunk) => process.stdout.write(chunk));
  const writer = eventWriter(options.format, out);
  // Pause reading while stdout's pipe is full, so a slow reader never makes us buffer the input.
  const congested = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined);
  await scanFiles(found.files, FALLBACK_FORMAT, (event) => writer.write(event), (problem) => process.stderr.write(formatProblem(problem) + '\n'), congested);
  writer.end();
  return found.files.length === 0 ? 2 : 0;
}
