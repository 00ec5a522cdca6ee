import { EVENT_FIELDS, type ConnectionEvent } from '../model/event.js';

/** The latest second formatted ("2026-11-24T06:40:01."): consecutive events share their second. */
let cachedSecond = NaN;
let cachedPrefix = '';
/** Years 0000-9999, where toISOString has its fixed 24-character form. */
const LAST_FIXED_FORM_MS = 253402300800000;

export function isoTime(ms: number | null | undefined): string | null {
  if (ms === null || ms === undefined) return null;
  if (!(ms >= 0 && ms < LAST_FIXED_FORM_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 20);
  }
  const millis = ms - second * 1000;
  return `${cachedPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
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
