import { once } from 'node:events';
import { analyze, DEFAULT_WINDOW_MS } from '../analyze.js';
import { discover, InputError } from '../discover/discover.js';
import { streamEvents, type EventSink } from '../run/event-stream.js';
import { loadFormats } from '../attribute/format-load.js';
import { runFormats, type RunFormats } from '../parse/formats.js';
import { ProblemLimiter } from '../run/problem-limit.js';
import { scanFiles } from '../run/scan.js';
import { dropsFirstByte, streamHead, streamTail, tableWriter, type OutputFormat, type StreamFormat } from '../report/event-writer.js';
import { UTF8_BOM } from '../report/csv.js';
import { BufferedOutput, ByteStream } from '../report/output.js';
import { formatProblem } from '../report/problem.js';
import type { LogFile } from '../discover/discover.js';
import type { ConnectionEvent } from '../model/event.js';
import { EXIT } from './exit.js';
import type { CommonOptions } from './options.js';
import { inputPath, jobsFor } from './input.js';
import { writeReportText } from './stdout.js';

export interface EventsOptions extends CommonOptions {
  format: OutputFormat;
  /** Correlate first, then stream the events with the id of their incident. */
  incidents: boolean;
  /** Only what the fallback read in files no format claims: the lines to write a format for. */
  unclaimed?: boolean;
  /** Files (and ranges of big splittable files) parsed in parallel; the output is the same whatever it is. */
  jobs?: number;
  /** No warnings on stderr (files skipped, problems reading, the --unclaimed count): only the events. */
  quiet?: boolean;
}

/** Which incident each event belongs to: its records, then what was joined (first incident wins). */
async function incidentOfEvents(options: EventsOptions, formats: RunFormats): Promise<Map<string, string>> {
  const analysis = await analyze({ ...options, zones: new Map(), windowMs: DEFAULT_WINDOW_MS, rules: [], formats });
  const incidentOf = new Map<string, string>();
  for (const { incident: standing, members } of analysis.verdicts) {
    for (const incident of members) {
      for (const event of [...incident.records, ...incident.joined.map((j) => j.event)]) {
        if (!incidentOf.has(event.id)) incidentOf.set(event.id, standing.id);
      }
    }
  }
  return incidentOf;
}

type Problem = Parameters<typeof formatProblem>[0];
const reportProblem = (problem: Problem) => process.stderr.write(formatProblem(problem) + '\n');

/**
 * `whoreset events <dir>`: every normalised event, streamed file by file (flat memory). With
 * --incidents a correlation pass comes first, so each event can carry its incident id (the
 * workers get the map of ids).
 */
export async function eventsCommand(given: EventsOptions): Promise<number> {
  const dir = inputPath(given.dir);
  const options = { ...given, dir, jobs: await jobsFor(dir, given.jobs ?? 1) };
  const formats = runFormats(await loadFormats(options.formats));
  const incidentOf = options.incidents ? await incidentOfEvents(options, formats) : undefined;
  const found = await discover(options.dir, options, formats.list);
  const warn = options.quiet ? () => {} : reportProblem;
  for (const problem of [...found.problems, ...found.skipped]) warn(problem);
  if (options.unclaimed) {
    const unclaimed = found.files.filter((file) => file.format === undefined);
    const lines = await writeUnclaimed(unclaimed, formats, warn);
    if (!options.quiet) process.stderr.write(`whoreset: ${lines} line(s) naming a connection failure in ${unclaimed.length} file(s) no format claims\n`);
  } else {
    // Problems while reading: per file, a few of each kind one by one, the rest counted (the ranges of a file add up).
    const readingProblems = new ProblemLimiter(warn);
    const onProblem = (problem: Problem) => readingProblems.report(problem);
    if (options.format === 'table') await writeTable(found.files, incidentOf, formats, onProblem);
    else await writeStream(found.files, options.format, incidentOf, options.jobs ?? 1, options.bom === true, formats, onProblem);
    readingProblems.end();
  }
  // After the (empty) document, which a pipeline may still parse.
  if (found.files.length === 0) throw new InputError(`${options.dir === '-' ? 'standard input' : options.dir}: no readable log files`);
  return EXIT.ok;
}

/** The machine formats: each file's (or range's) events encoded as bytes, in workers with several jobs. */
async function writeStream(files: readonly LogFile[], format: StreamFormat, incidentOf: ReadonlyMap<string, string> | undefined, jobs: number, bom: boolean, formats: RunFormats, onProblem: (problem: Problem) => void): Promise<void> {
  const out = new ByteStream(process.stdout, dropsFirstByte(format));
  const sink: EventSink = { chunk: (bytes, written) => out.chunk(bytes, written), problem: onProblem };
  out.text((bom ? UTF8_BOM : '') + streamHead(format));
  await streamEvents(files, format, incidentOf, jobs, sink, formats);
  out.text(streamTail(format));
}

/**
 * `--unclaimed`: `file:line<TAB>kind<TAB>text` of each line the fallback turned into an event in a
 * file no format claims, what a declared format (--formats) could read; their count is returned.
 */
async function writeUnclaimed(files: readonly LogFile[], formats: RunFormats, onProblem: (problem: Problem) => void): Promise<number> {
  const out = new BufferedOutput((chunk) => process.stdout.write(chunk));
  let lines = 0;
  const onEvent = (event: ConnectionEvent) => {
    lines++;
    out.push(`${event.file}:${event.line}\t${event.kind}\t${event.excerpt}\n`);
  };
  await scanFiles(files, { onEvent, onProblem, formats: formats.list });
  out.flush();
  return lines;
}

/** The table, a batch of rows at a time as they are read (in this thread: its rows come in file order). */
async function writeTable(files: readonly LogFile[], incidentOf: ReadonlyMap<string, string> | undefined, formats: RunFormats, onProblem: (problem: Problem) => void): Promise<void> {
  const out = new BufferedOutput((chunk) => writeReportText('table', chunk));
  const writer = tableWriter(out);
  // Pause reading while stdout's pipe is full, so a slow reader never makes us buffer the input.
  const congested = () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : undefined);
  await scanFiles(files, { onEvent: (event) => writer.write(event, incidentOf?.get(event.id)), onProblem, congested, formats: formats.list });
  writer.end();
}
