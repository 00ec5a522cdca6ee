import type { Analysis, AnalysisRest } from './analysis.js';
import { csvRow } from './csv.js';
import { eventCsvCells, EVENT_CSV_COLUMNS, eventRecord, spreadsheetTime, TIME_UTC_HEADER } from './event-record.js';
import type { OutputFormat } from './event-writer.js';
import { BufferedOutput, type ReportOutput } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { writeEcs } from './ecs.js';
import { analysisRecord, incidentRecord, recordDecided, secondsFromFailure, summaryOf } from './incident-record.js';
import type { BurstVerdict } from '../attribute/burst.js';
import { renderTable } from './table.js';
import { DEFAULT_WIDTH, type TableView } from './table-style.js';

const INCIDENT_CSV_COLUMNS = ['id', TIME_UTC_HEADER, 'timeQuality', 'test', 'clientError', 'errnoName', 'method', 'url', 'attribution', 'cause', 'ruleId', 'confidence', 'evidenceCount', 'advice', 'reasons'];

/** Renders the analysis as one string (tests, the library); the CLI streams it with writeIncidents. */
export function renderIncidents(analysis: Analysis, format: OutputFormat, explain: boolean, view?: TableView): string {
  let text = '';
  const out = new BufferedOutput((chunk) => (text += chunk));
  writeIncidents(analysis, format, explain, out, view);
  return text;
}

/**
 * Writes the analysis incident by incident: no record of every incident and no whole output text is
 * ever held (a long job's JSON is tens of MB, twice that as objects). The bytes are those of
 * `JSON.stringify(analysisRecord(analysis), null, 2)` and of the row-per-incident formats.
 * Renderers never re-analyse.
 */
export function writeIncidents(analysis: Analysis, format: OutputFormat, explain: boolean, out: BufferedOutput, view: TableView = { width: DEFAULT_WIDTH, colour: false }): void {
  switch (format) {
    case 'json':
    case 'ndjson':
    case 'csv': {
      const sink = incidentSink(format, out);
      for (const v of analysis.verdicts) sink.verdict(v);
      sink.end(analysis);
      return;
    }
    case 'ecs':
      writeEcs(analysis, false, out);
      break;
    case 'table':
      out.push(renderTable(analysis, explain, view));
      break;
  }
  out.flush();
}

/** The formats written one incident at a time, as the verdicts come (incidentSink). */
export type StreamedFormat = 'json' | 'ndjson' | 'csv';
export function isStreamedFormat(format: string): format is StreamedFormat {
  return format === 'json' || format === 'ndjson' || format === 'csv';
}

/** Takes the verdicts as they are decided, then the rest of the analysis. */
export interface IncidentSink {
  verdict(verdict: BurstVerdict): void;
  end(rest: AnalysisRest): void;
}

/**
 * writeIncidents for verdicts still coming: each written as it arrives, nothing written before the
 * first (an analysis that fails writes nothing), the summary counted as they pass. Same bytes.
 */
export function incidentSink(format: StreamedFormat, out: ReportOutput): IncidentSink {
  const summary = summaryOf([]);
  let json: PrettyJson | undefined;
  let rows = 0;
  const verdict = (v: BurstVerdict) => {
    summary[v.attribution]!++;
    if (format === 'ndjson') {
      out.push(JSON.stringify(incidentRecord(v)) + '\n');
    } else if (format === 'json') {
      if (!json) (json = new PrettyJson(out)).open([['schemaVersion', SCHEMA_VERSION]], 'incidents');
      json.item(incidentRecord(v));
    } else {
      if (rows++ === 0) out.push(csvRow(INCIDENT_CSV_COLUMNS));
      const r = incidentRecord(v);
      out.push(csvRow([r.id as string, spreadsheetTime(v.incident.time), r.timeQuality as string, r.test as string, r.clientError as string, r.errnoName as string, r.method as string, r.url as string, v.attribution, v.cause, v.ruleId, v.confidence, (r.evidence as unknown[]).length, v.advice.join(' | '), v.reasons.join(' | ')]));
    }
  };
  const end = (rest: AnalysisRest) => {
    if (format === 'json') {
      const entries = Object.entries(analysisRecord(rest, STREAMED, summary));
      const at = entries.findIndex(([, value]) => value === STREAMED);
      if (!json) (json = new PrettyJson(out)).open(entries.slice(0, at), entries[at]![0]);
      json.close(entries.slice(at + 1));
    } else if (format === 'csv' && rows === 0) {
      out.push(csvRow(INCIDENT_CSV_COLUMNS));
    }
    out.flush();
  };
  return { verdict, end };
}

/** Where the streamed incidents stand in the analysis record. */
const STREAMED = Symbol('incidents');

/** What `--events` CSV adds to an event's columns: seconds from the failure, the link that ties it (none for the failure's own records), whether it decided. */
export const CORRELATED_CSV_COLUMNS = ['dt', 'link', 'decisive'];

/** `--events`: the correlated events with their incident id, one row each. */
export function renderCorrelatedEvents(analysis: Analysis, format: OutputFormat): string {
  let text = '';
  const out = new BufferedOutput((chunk) => (text += chunk));
  writeCorrelatedEvents(analysis, format, out);
  return text;
}

/** `--events`, streamed: the bytes of renderCorrelatedEvents. */
export function writeCorrelatedEvents(analysis: Analysis, format: OutputFormat, out: BufferedOutput): void {
  function* rows() {
    for (const v of analysis.verdicts) {
      for (const event of v.incident.records) yield { verdict: v, incident: v.incident.id, event, join: undefined };
      for (const join of v.incident.joined) yield { verdict: v, incident: v.incident.id, event: join.event, join };
    }
  }
  switch (format) {
    case 'csv':
      out.push(csvRow([...EVENT_CSV_COLUMNS, ...CORRELATED_CSV_COLUMNS]));
      for (const { verdict, incident, event, join } of rows()) {
        const decisive = join === undefined ? recordDecided(verdict, event) : verdict.deciding.includes(join);
        out.push(csvRow([...eventCsvCells(event, incident), secondsFromFailure(event, verdict.incident.time), join?.link, decisive]));
      }
      break;
    case 'ndjson':
      for (const { incident, event } of rows()) out.push(JSON.stringify(eventRecord(event, incident)) + '\n');
      break;
    case 'ecs':
      writeEcs(analysis, true, out);
      break;
    default:
      writePrettyJson(out, [['schemaVersion', SCHEMA_VERSION], ['events', new Streamed(rows(), ({ incident, event }) => eventRecord(event, incident))]]);
  }
  out.flush();
}

/** An array written element by element, each element made when it is written. */
class Streamed<T> {
  constructor(
    readonly items: Iterable<T>,
    readonly map: (item: T) => unknown,
  ) {}
}

/**
 * `JSON.stringify(value, null, 2)` text nested `depth` (1 or more) levels deep: the value is
 * stringified inside `depth` arrays, so V8 indents it in its one pass, and their brackets are cut off.
 */
function nested(value: unknown, depth: number): string {
  let wrapped = value;
  for (let level = 0; level < depth; level++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Level i (1..depth) opens with "[\n" and 2i spaces, and closes with "\n", 2(i-1) spaces and "]".
  return text.slice(depth * (depth + 3), text.length - depth * (depth + 1));
}

/** What JSON.stringify leaves out of an object: its undefined, function and symbol values. */
function shown(entries: ReadonlyArray<readonly [string, unknown]>): ReadonlyArray<readonly [string, unknown]> {
  return entries.filter(([, value]) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol');
}

/**
 * The bytes of `JSON.stringify(object, null, 2) + '\n'` for an object of entries, one of them an
 * array written element by element as they come: the entries before it, its items, those after.
 */
class PrettyJson {
  private keys = 0;
  private items = 0;
  constructor(private readonly out: ReportOutput) {}

  private key(key: string): void {
    this.out.push(`${this.keys++ > 0 ? ',' : '{'}\n  ${JSON.stringify(key)}: `);
  }

  open(before: ReadonlyArray<readonly [string, unknown]>, arrayKey: string): void {
    for (const [key, value] of shown(before)) {
      this.key(key);
      this.out.push(nested(value, 1));
    }
    this.key(arrayKey);
  }

  item(value: unknown): void {
    // Two pieces: one string of both would be a copy of the item's text.
    this.out.push(this.items++ > 0 ? ',\n    ' : '[\n    ');
    this.out.push(nested(value, 2));
  }

  close(after: ReadonlyArray<readonly [string, unknown]>): void {
    this.out.push(this.items > 0 ? '\n  ]' : '[]');
    for (const [key, value] of shown(after)) {
      this.key(key);
      this.out.push(nested(value, 1));
    }
    this.out.push('\n}\n');
  }
}

/** `JSON.stringify(Object.fromEntries(entries), null, 2) + '\n'`, a Streamed value written element by element. */
function writePrettyJson(out: BufferedOutput, entries: ReadonlyArray<readonly [string, unknown]>): void {
  const at = entries.findIndex(([, value]) => value instanceof Streamed);
  const json = new PrettyJson(out);
  const streamed = entries[at]![1] as Streamed<unknown>;
  json.open(entries.slice(0, at), entries[at]![0]);
  for (const item of streamed.items) json.item(streamed.map(item));
  json.close(entries.slice(at + 1));
}
