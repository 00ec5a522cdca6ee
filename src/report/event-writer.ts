import Table from 'cli-table3';
import { PLAIN_STYLE } from './table-style.js';
import type { ConnectionEvent } from '../model/event.js';
import { csvRow } from './csv.js';
import { EVENT_CSV_COLUMNS, EventBytes, isoTime, recordProgram } from './event-record.js';
import type { RecordSink } from '../parse/parser.js';
import type { BufferedOutput, ChunkBuffer } from './output.js';
import { SCHEMA_VERSION } from './schema-version.js';
import { ecsEvent } from './ecs.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson' | 'ecs';
/** The formats written event by event, as bytes, in any number of pieces (files, ranges, threads). */
export type StreamFormat = Exclude<OutputFormat, 'table'>;

export interface EventWriter {
  write(event: ConnectionEvent, incident?: string): void;
  end(): void;
}

/** What a stream of events starts with: the CSV header, the JSON object's opening. */
export function streamHead(format: StreamFormat): string {
  return format === 'csv' ? csvRow(EVENT_CSV_COLUMNS) : format === 'json' ? `{"schemaVersion":${JSON.stringify(SCHEMA_VERSION)},"events":[` : '';
}

export function streamTail(format: StreamFormat): string {
  return format === 'json' ? '\n]}\n' : '';
}

/** What a stream's body is written from: events, and records the parsers write from bytes. */
export interface EventEncoder {
  event(event: ConnectionEvent): void;
  /** ParseContext.records: for JSON, NDJSON and CSV events that name no incident. */
  records?: RecordSink;
}

/**
 * The body of a stream: writes each event's bytes into `out`. In `json` every event comes after
 * ",\n", so that a piece needs not know whether events came before it: the stream drops the very
 * first comma (see `dropsFirstByte`).
 */
export function eventEncoder(format: StreamFormat, out: ChunkBuffer, incidentOf?: ReadonlyMap<string, string>): EventEncoder {
  const bytes = format === 'ecs' ? ECS_BYTES : new EventBytes(format === 'csv' ? 'csv' : 'json');
  const separator = format === 'ndjson' || format === 'ecs' ? NEWLINE : format === 'json' ? COMMA_NEWLINE : undefined;
  const event = (event: ConnectionEvent) => {
    if (separator === COMMA_NEWLINE) out.ascii(separator);
    bytes.write(out, event, incidentOf?.get(event.id));
    if (separator === NEWLINE) out.ascii(separator);
  };
  if (format === 'ecs' || incidentOf !== undefined) return { event };
  const [before, after] = format === 'json' ? [COMMA_NEWLINE, ''] : format === 'ndjson' ? ['', NEWLINE] : ['', ''];
  const recordFormat = format === 'csv' ? 'csv' : 'json';
  return {
    event,
    records: {
      program: (exemplar, lineFields, timeSlot) => recordProgram(recordFormat, exemplar, lineFields, before, after, timeSlot),
      write(records) {
        out.room(records.length);
        out.buf.set(records, out.pos);
        out.pos += records.length;
      },
    },
  };
}
const NEWLINE = '\n';

/** Events as ECS documents: the plain way (JSON.stringify). */
const ECS_BYTES: Pick<EventBytes, 'write'> = {
  write(out, event, incident) {
    out.utf8(JSON.stringify(ecsEvent(event, incident === undefined ? {} : { incident })));
  },
};
const COMMA_NEWLINE = ',\n';

/** Whether the stream's first body byte is dropped: the comma before the first JSON event. */
export function dropsFirstByte(format: StreamFormat): boolean {
  return format === 'json';
}

/** The table: the one format that must hold its rows until the end. */
/**
 * Rows rendered a batch at a time: cli-table3 recursed per row and overflowed the stack on a 100 MiB
 * job's table. The columns' widths are fixed, so a batch's rows render as they would in one table.
 */
export const TABLE_BATCH_ROWS = 1000;

const TABLE_HEAD = ['incident', 'time (UTC)', 'source', 'kind', 'where', 'details'];
const TABLE_WIDTHS = [10, 26, 13, 24, 28, 60];

export function tableWriter(out: BufferedOutput, batchRows = TABLE_BATCH_ROWS): EventWriter {
  const newTable = (head: string[]) => new Table({ head, wordWrap: true, colWidths: TABLE_WIDTHS, style: PLAIN_STYLE });
  let table = newTable(TABLE_HEAD);
  let rows = 0;
  let pending = 0;
  /** Writes the batch's rows: after the first batch without its top border, before the last with a row separator for its bottom border. */
  const writeBatch = (last: boolean) => {
    let text = table.toString();
    if (rows > pending) text = text.slice(text.indexOf('\n') + 1);
    if (!last) text = text.slice(0, text.lastIndexOf('\n') + 1) + text.slice(text.lastIndexOf('\n') + 1).replace('└', '├').replaceAll('┴', '┼').replace('┘', '┤') + '\n';
    out.push(text);
    table = newTable([]);
    pending = 0;
  };
  return {
    write(event, incident) {
      if (pending === batchRows) writeBatch(false);
      rows++;
      pending++;
      const details = [event.method, event.path, event.status, event.errnoName, event.exception ?? event.cause]
        .filter((part) => part !== undefined)
        .join(' ');
      table.push([incident ?? '', isoTime(event.time) ?? '-', event.source, event.kind, `${event.file}:${event.line}`, details || event.excerpt.slice(0, 120)]);
    },
    end() {
      if (rows === 0) out.push('No events.\n');
      else {
        writeBatch(true);
        out.push(`\n${rows} event(s)\n`);
      }
      out.flush();
    },
  };
}
