import Table from 'cli-table3';
import { PLAIN_STYLE } from './table-style.js';
import type { ConnectionEvent } from '../model/event.js';
import { csvRow } from './csv.js';
import { EVENT_CSV_COLUMNS, EventBytes, isoTime } from './event-record.js';
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

/**
 * The body of a stream: writes each event's bytes into `out`. In `json` every event comes after
 * ",\n", so that a piece needs not know whether events came before it: the stream drops the very
 * first comma (see `dropsFirstByte`).
 */
export function eventEncoder(format: StreamFormat, out: ChunkBuffer, incidentOf?: ReadonlyMap<string, string>): (event: ConnectionEvent) => void {
  const bytes = format === 'ecs' ? ECS_BYTES : new EventBytes(format === 'csv' ? 'csv' : 'json');
  const separator = format === 'ndjson' || format === 'ecs' ? NEWLINE : format === 'json' ? COMMA_NEWLINE : undefined;
  return (event) => {
    if (separator === COMMA_NEWLINE) out.ascii(separator);
    bytes.write(out, event, incidentOf?.get(event.id));
    if (separator === NEWLINE) out.ascii(separator);
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
export function tableWriter(out: BufferedOutput): EventWriter {
  const table = new Table({ head: ['incident', 'time (UTC)', 'source', 'kind', 'where', 'details'], wordWrap: true, colWidths: [10, 26, 13, 24, 28, 60], style: PLAIN_STYLE });
  let rows = 0;
  return {
    write(event, incident) {
      rows++;
      const details = [event.method, event.path, event.status, event.errnoName, event.exception ?? event.cause]
        .filter((part) => part !== undefined)
        .join(' ');
      table.push([incident ?? '', isoTime(event.time) ?? '-', event.source, event.kind, `${event.file}:${event.line}`, details || event.excerpt.slice(0, 120)]);
    },
    end() {
      out.push(rows === 0 ? 'No events.\n' : table.toString() + `\n${rows} event(s)\n`);
      out.flush();
    },
  };
}
