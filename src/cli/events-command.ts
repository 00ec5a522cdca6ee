import { once } from 'node:events';
import { analyze, DEFAULT_WINDOW_MS } from '../analyze.js';
import { discover } from '../discover/discover.js';
import { FALLBACK_FORMAT, FORMATS } from '../parse/formats.js';
import { scanFiles } from '../parse/scan.js';
import { eventWriter, type OutputFormat } from '../report/event-writer.js';
import { BufferedOutput } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import type { CommonOptions } from './main.js';

export interface EventsOptions extends CommonOptions {
  format: OutputFormat;
  /** Correlate first, then stream the events with the id of their incident. */
  incidents: boolean;
}

/** Which incident each event belongs to: its records, then what was joined (first incident wins). */
async function incidentOfEvents(options: EventsOptions): Promise<Map<string, string>> {
  const analysis = await analyze({ ...options, zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules: [] });
  const incidentOf = new Map<string, string>();
  for (const { incident } of analysis.verdicts) {
    for (const event of [...incident.records, ...incident.joined.map((j) => j.event)]) {
      if (!incidentOf.has(event.id)) incidentOf.set(event.id, incident.id);
    }
  }
  return incidentOf;
}

/**
 * `whoreset events <dir>`: every normalised event, streamed file by file (flat memory). With
 * --incidents a correlation pass comes first, so each event can carry its incident id.
 */
export async function eventsCommand(options: EventsOptions): Promise<number> {
  const incidentOf = options.incidents ? await incidentOfEvents(options) : undefined;
  const found = await discover(options.dir, options, FORMATS);
  for (const problem of [...found.problems, ...found.skipped]) process.stderr.write(formatProblem(problem) + '\n');
  const out = new BufferedOutput((chunk) => process.stdout.write(chunk));
  const writer = eventWriter(options.format, out);
  // Pause reading while stdout's pipe is full, so a slow reader never makes us buffer the input.
  const congested = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined);
  await scanFiles(found.files, FALLBACK_FORMAT, (event) => writer.write(event, incidentOf?.get(event.id)), (problem) => process.stderr.write(formatProblem(problem) + '\n'), congested);
  writer.end();
  return found.files.length === 0 ? 2 : 0;
}
