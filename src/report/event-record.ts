import { EVENT_FIELDS, type ConnectionEvent } from '../model/event.js';

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/** The event as the machine formats show it: fixed key order, ISO times, unknown fields left out. */
export function eventRecord(event: ConnectionEvent, incident?: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (incident !== undefined) record.incident = incident;
  for (const field of EVENT_FIELDS) {
    const value = field === 'time' ? isoTime(event.time) : event[field];
    if (value !== undefined) record[field] = value;
  }
  return record;
}

/** The CSV columns of an event row, documented in the README. */
export const EVENT_CSV_COLUMNS = ['incident', ...EVENT_FIELDS] as const;

export function eventCsvCells(event: ConnectionEvent, incident: string | undefined): (string | number | null | undefined)[] {
  return EVENT_CSV_COLUMNS.map((column) => {
    if (column === 'incident') return incident;
    if (column === 'time') return isoTime(event.time);
    return event[column] as string | number | undefined;
  });
}
