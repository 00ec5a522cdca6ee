import type { Analysis } from './analysis.js';
import { csvRow } from './csv.js';
import { eventCsvCells, EVENT_CSV_COLUMNS, eventRecord, spreadsheetTime, TIME_UTC_HEADER } from './event-record.js';
import type { OutputFormat } from './event-writer.js';
import { BufferedOutput } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { writeEcs } from './ecs.js';
import { analysisRecord, incidentRecord, recordDecided, secondsFromFailure } from './incident-record.js';
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
    case 'json': {
      writePrettyJson(out, Object.entries(analysisRecord(analysis, new Streamed(analysis.verdicts, incidentRecord))));
      break;
    }
    case 'ndjson':
      for (const v of analysis.verdicts) out.push(JSON.stringify(incidentRecord(v)) + '\n');
      break;
    case 'ecs':
      writeEcs(analysis, false, out);
      break;
    case 'csv':
      out.push(csvRow(INCIDENT_CSV_COLUMNS));
      for (const v of analysis.verdicts) {
        const r = incidentRecord(v);
        out.push(csvRow([r.id as string, spreadsheetTime(v.incident.time), r.timeQuality as string, r.test as string, r.clientError as string, r.errnoName as string, r.method as string, r.url as string, v.attribution, v.cause, v.ruleId, v.confidence, (r.evidence as unknown[]).length, v.advice.join(' | '), v.reasons.join(' | ')]));
      }
      break;
    case 'table':
      out.push(renderTable(analysis, explain, view));
      break;
  }
  out.flush();
}

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

/** `JSON.stringify(value, null, 2)` text nested `depth` levels deep. */
function nested(value: unknown, depth: number): string {
  const text = JSON.stringify(value, null, 2) ?? 'null';
  // JSON escapes every newline inside strings: each one here starts a line of the layout.
  return text.includes('\n') ? text.replace(/\n/g, '\n' + '  '.repeat(depth)) : text;
}

/**
 * The bytes of `JSON.stringify(object, null, 2) + '\n'` for an object given as its entries, where
 * a Streamed value is written element by element instead of being held whole.
 */
function writePrettyJson(out: BufferedOutput, entries: ReadonlyArray<readonly [string, unknown]>): void {
  const present = entries.filter(([, value]) => value !== undefined && typeof value !== 'function' && typeof value !== 'symbol');
  if (present.length === 0) {
    out.push('{}\n');
    return;
  }
  out.push('{');
  present.forEach(([key, value], i) => {
    out.push(`${i > 0 ? ',' : ''}\n  ${JSON.stringify(key)}: `);
    if (!(value instanceof Streamed)) {
      out.push(nested(value, 1));
      return;
    }
    let n = 0;
    for (const item of value.items as Iterable<unknown>) {
      out.push(`${n++ > 0 ? ',' : '['}\n    ${nested(value.map(item), 2)}`);
    }
    out.push(n > 0 ? '\n  ]' : '[]');
  });
  out.push('\n}\n');
}
