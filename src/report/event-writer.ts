import Table from 'cli-table3';
import { PLAIN_STYLE } from './table-style.js';
import type { ConnectionEvent } from '../model/event.js';
import { csvRow } from './csv.js';
import { EVENT_CSV_COLUMNS, eventCsvCells, eventRecord, isoTime } from './event-record.js';
import type { BufferedOutput } from './output.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'ndjson';

export interface EventWriter {
  write(event: ConnectionEvent, incident?: string): void;
  end(): void;
}

/** Streams events in the machine formats; the table is the one format that must hold rows. */
export function eventWriter(format: OutputFormat, out: BufferedOutput): EventWriter {
  switch (format) {
    case 'ndjson':
      return {
        write: (event, incident) => out.push(JSON.stringify(eventRecord(event, incident)) + '\n'),
        end: () => out.flush(),
      };
    case 'csv':
      out.push(csvRow(EVENT_CSV_COLUMNS));
      return {
        write: (event, incident) => out.push(csvRow(eventCsvCells(event, incident))),
        end: () => out.flush(),
      };
    case 'json': {
      let first = true;
      out.push('{"events":[');
      return {
        write: (event, incident) => {
          out.push((first ? '\n' : ',\n') + JSON.stringify(eventRecord(event, incident)));
          first = false;
        },
        end: () => {
          out.push('\n]}\n');
          out.flush();
        },
      };
    }
    case 'table':
      return tableWriter(out);
  }
}

function tableWriter(out: BufferedOutput): EventWriter {
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
