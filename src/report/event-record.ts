import { EVENT_FIELDS, type ConnectionEvent } from '../model/event.js';
import { csvCell, csvRow } from './csv.js';
import type { ChunkBuffer } from './output.js';

type EventField = (typeof EVENT_FIELDS)[number];

/** Years 0000-9999, where toISOString has its fixed 24-character form. */
const LAST_FIXED_FORM_MS = 253402300800000;

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

/**
 * A time as spreadsheets read a date-time, "2026-11-24 23:06:24.814" (UTC: the column's header says
 * so; LibreOffice and Excel read ISO's `T…Z` form as text); the ISO form outside years 0000-9999.
 */
export function spreadsheetTime(ms: number | null | undefined): string | null {
  const iso = isoTime(ms);
  return iso !== null && fixedForm(ms!) ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso;
}

/** The header of a spreadsheet's time column: its times are UTC. */
export const TIME_UTC_HEADER = 'timeUtc';

const EVENT_CSV_FIELDS = ['incident', ...EVENT_FIELDS] as const;
/** The CSV columns of an event row, documented in the README. */
export const EVENT_CSV_COLUMNS: readonly string[] = EVENT_CSV_FIELDS.map((column) => (column === 'time' ? TIME_UTC_HEADER : column));

export function eventCsvCells(event: ConnectionEvent, incident: string | undefined): (string | number | null | undefined)[] {
  return EVENT_CSV_FIELDS.map((column) => {
    if (column === 'incident') return incident;
    if (column === 'time') return spreadsheetTime(event.time);
    return event[column] as string | number | undefined;
  });
}

/*
 * Byte encoders for `whoreset events`: they write the bytes that JSON.stringify(eventRecord(…)) and
 * csvRow(eventCsvCells(…)) give, once encoded as UTF-8, straight into output chunks. Building a
 * record, a string and then its UTF-8 copy per event cost more than the parsing did. Each event
 * makes room for the most it can take once, then its fields are written at a position `p` in the
 * chunk `b`, each writer returning where it ended, or -1 when the event did not fit (NO_FIT).
 */

/** How each field is written: the one table the JSON and CSV byte writers follow, in EVENT_FIELDS' order. */
const ID = 0; // first: it opens the JSON object (after the incident, if any)
const TIME = 1; // an ISO string, or null
const REPEATS = 2; // values that come again from event to event: their bytes are kept and copied
const VARIES = 3; // written afresh each time
const WRITTEN_AS: Readonly<Record<EventField, number>> = {
  id: ID,
  source: REPEATS,
  kind: REPEATS,
  time: TIME,
  timeQuality: REPEATS,
  file: REPEATS,
  line: VARIES,
  errno: REPEATS,
  errnoName: REPEATS,
  exception: REPEATS,
  cause: REPEATS,
  method: REPEATS,
  path: VARIES,
  host: REPEATS,
  port: REPEATS,
  status: REPEATS,
  clientAddr: REPEATS,
  clientPort: VARIES,
  upstream: REPEATS,
  connId: VARIES,
  test: REPEATS,
  closedBy: REPEATS,
  proxyCode: REPEATS,
  level: REPEATS,
  excerpt: VARIES,
  phase: REPEATS,
};

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

interface FieldWriter {
  name: EventField;
  as: number;
  /** `,"name":`: the comma that separates it from the field before comes with it. */
  key: Uint8Array;
}
const FIELDS: readonly FieldWriter[] = EVENT_FIELDS.map((name) => ({ name, as: WRITTEN_AS[name], key: bytesOf(`,"${name}":`) }));
// The JSON object opens with the id (or the incident): its key is written without the comma.
if (FIELDS[0]!.as !== ID) throw new Error('event-record.ts: EVENT_FIELDS must start with the id');

/** What a writer returns when the event did not fit its room, or a field is of another type than the model's. */
const NO_FIT = -1;
/** Strings shorter than this are copied char by char; longer ones by Buffer#write, then checked as bytes. */
const NATIVE_FROM = 24;
const HEX = bytesOf('0123456789abcdef');
/** The letter of JSON's two-character escapes (\b \t \n \f \r), 0 for the \u00XX ones. */
const SHORT_ESCAPE = new Uint8Array(32);
for (const [code, letter] of [[8, 'b'], [9, 't'], [10, 'n'], [12, 'f'], [13, 'r']] as const) SHORT_ESCAPE[code] = letter.charCodeAt(0);
/** The most bytes a number takes as String(n) ("-1.2345678901234567e-300"). */
const NUMBER_MAX = 26;
/**
 * Room an event takes for all but its long strings: every field (and the incident) a key and a
 * short string at 6 bytes a char, or a number, a time, a repeated value's kept bytes (64).
 */
const SHORT_ROOM = (EVENT_FIELDS.length + 1) * (16 + 6 * NATIVE_FROM + 3) + 16;
const KEYS_BYTES = FIELDS.reduce((n, field) => n + field.key.length, 0) + 16;
const ID_FIRST = bytesOf('{"id":');
const INCIDENT_FIRST = bytesOf('{"incident":');
const NULL = bytesOf('null');
const QUOTE = bytesOf('"');

/**
 * Whether a long string of n chars cannot be written at p, leaving SHORT_ROOM. An event is written
 * with no measuring first: a long string only where it leaves SHORT_ROOM after it (at 6 bytes a
 * char), so that the chunk holds whatever follows; when one does not fit, the event is measured and
 * written again (EventBytes.write). Measuring every event read each of its fields twice.
 */
function noRoomFor(b: Buffer, p: number, n: number): boolean {
  return n >= NATIVE_FROM && p + 6 * n + 3 + SHORT_ROOM > b.length;
}

function bytesAt(b: Buffer, p: number, bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) b[p++] = bytes[i]!;
  return p;
}

function asciiAt(b: Buffer, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
  return p;
}

/** `JSON.stringify(text)` written the plain way: a short string to escape or not ASCII, a lone surrogate. */
function slowJsonAt(b: Buffer, p: number, text: string): number {
  return p + b.write(JSON.stringify(text), p);
}

/**
 * Writes `JSON.stringify(text)` as UTF-8 at p (escapes as JSON.stringify makes them; a lone
 * surrogate as `\udxxx`), with room for 6 bytes a char and the quotes.
 */
function jsonAt(b: Buffer, p: number, text: string): number {
  const start = p;
  const n = text.length;
  if (noRoomFor(b, p, n)) return NO_FIT;
  b[p++] = 34;
  if (n < NATIVE_FROM) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c === 34 || c === 92 || c > 0x7e) return slowJsonAt(b, start, text);
      b[p++] = c;
    }
  } else {
    const end = p + b.write(text, p);
    // What escaping adds: 1 byte for \" \\ \n…, 5 for \u00XX. EF BF BD is U+FFFD, or what the write
    // made of a lone surrogate, which JSON escapes instead: that string takes the slow way.
    let extra = 0;
    for (let i = p; i < end; i++) {
      const c = b[i]!;
      if (c <= 92) {
        if (c < 0x20) extra += SHORT_ESCAPE[c] === 0 ? 5 : 1;
        else if (c === 34 || c === 92) extra++;
      } else if (c === 0xef && b[i + 1] === 0xbf && b[i + 2] === 0xbd) return slowJsonAt(b, start, text);
    }
    if (extra > 0) {
      // Escaped in place, from the back: each byte moves right by the escapes before it.
      let dst = end + extra - 1;
      for (let src = end - 1; dst > src; src--) {
        const c = b[src]!;
        if (c === 34 || c === 92) {
          b[dst--] = c;
          b[dst--] = 92;
        } else if (c >= 0x20) {
          b[dst--] = c;
        } else if (SHORT_ESCAPE[c] !== 0) {
          b[dst--] = SHORT_ESCAPE[c]!;
          b[dst--] = 92;
        } else {
          b[dst--] = HEX[c & 15]!;
          b[dst--] = HEX[c >> 4]!;
          b[dst--] = 48;
          b[dst--] = 48;
          b[dst--] = 117;
          b[dst--] = 92;
        }
      }
    }
    p = end + extra;
  }
  b[p++] = 34;
  return p;
}

/** Writes String(value): a number as JSON and a CSV cell show it (`json`: null for NaN and the infinities). */
function numberAt(b: Buffer, p: number, value: number, json: boolean): number {
  if (!(value >= 0 && value < 0x40000000 && (value | 0) === value)) return asciiAt(b, p, json && !Number.isFinite(value) ? 'null' : `${value}`);
  const digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5 : value < 1000000 ? 6 : `${value}`.length;
  for (let k = p + digits - 1; k >= p; k--) {
    b[k] = 48 + (value % 10);
    value = (value / 10) | 0;
  }
  return p + digits;
}

/** A time isoTime writes in its fixed 24-character form. */
function fixedForm(ms: number): boolean {
  return ms >= 0 && ms < LAST_FIXED_FORM_MS && Number.isInteger(ms);
}

/**
 * The most bytes an event's fields can take, keys and separators aside (6 a char of a string, as
 * `\u00XX`, a number as String(n), a time); -1 when a field is of another type than the model's
 * (the event then takes the plain way).
 */
function fieldsBound(e: ConnectionEvent): number {
  let n = 0;
  for (const field of FIELDS) {
    const value = e[field.name] as unknown;
    if (field.as !== TIME) n += typeof value === 'string' ? 6 * value.length + 3 : typeof value === 'number' ? NUMBER_MAX : value === undefined ? 0 : -Infinity;
    else if (value !== null && value !== undefined && typeof value !== 'number') return -1;
  }
  return n < 0 ? -1 : n + NUMBER_MAX + 6;
}

/**
 * The bytes last written for a field whose values repeat from event to event (source, kind, file,
 * level, status…), key and all: copied as they are when the value comes again.
 */
class Repeated {
  private value: unknown = Repeated;
  private readonly bytes = new Uint8Array(64);
  /** The kept bytes: a view made again only when their length changes. */
  private kept = this.bytes.subarray(0, 0);

  /** Writes the kept bytes when `value` is the kept one; -1 when it is not. */
  at(b: Buffer, p: number, value: unknown): number {
    if (value !== this.value) return -1;
    b.set(this.kept, p);
    return p + this.kept.length;
  }

  /** Keeps the bytes just written for `value` (start to end in b), when they are few. */
  keep(b: Buffer, start: number, end: number, value: unknown): void {
    const n = end - start;
    if (n > this.bytes.length) return;
    for (let i = 0; i < n; i++) this.bytes[i] = b[start + i]!;
    if (this.kept.length !== n) this.kept = this.bytes.subarray(0, n);
    this.value = value;
  }
}

/** A field's key and value, as JSON.stringify writes them (string or number; nothing when undefined). */
function jsonFieldAt(b: Buffer, p: number, key: Uint8Array, value: unknown): number {
  if (value === undefined) return p;
  if (typeof value === 'string') return jsonAt(b, bytesAt(b, p, key), value);
  if (typeof value === 'number') return numberAt(b, bytesAt(b, p, key), value, true);
  return NO_FIT;
}

/** `csvCell(text)` written the plain way: a formula start, a non-ASCII short string. */
function slowCsvAt(b: Buffer, p: number, text: string): number {
  return p + b.write(csvCell(text), p);
}

/**
 * Writes the bytes of `csvCell(text)` at p (a formula start quoted away, a cell with `"` `,` CR or
 * LF in quotes; a lone surrogate as U+FFFD, as a string written to a stream), with room for 6
 * bytes a char and 3 more.
 */
function csvAt(b: Buffer, p: number, text: string): number {
  const n = text.length;
  if (n === 0) return p;
  if (noRoomFor(b, p, n)) return NO_FIT;
  const first = text.charCodeAt(0);
  if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13) return slowCsvAt(b, p, text);
  if (n < NATIVE_FROM) {
    const start = p;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 || c === 44 || c === 10 || c === 13 || c > 0x7e) return slowCsvAt(b, start, text);
      b[p++] = c;
    }
    return p;
  }
  // Written one byte in, for the opening quote it may need.
  const end = p + 1 + b.write(text, p + 1);
  let quotes = 0;
  let special = false;
  for (let i = p + 1; i < end; i++) {
    const c = b[i]!;
    if (c <= 44) {
      if (c === 34) quotes++;
      else if (c === 44 || c === 10 || c === 13) special = true;
    }
  }
  if (quotes === 0 && !special) {
    b.copyWithin(p, p + 1, end);
    return end - 1;
  }
  // Quoted, each quote doubled, in place from the back.
  let dst = end + quotes;
  b[dst--] = 34;
  for (let src = end - 1; dst > src; src--) {
    const c = b[src]!;
    b[dst--] = c;
    if (c === 34) b[dst--] = 34;
  }
  b[p] = 34;
  return end + quotes + 1;
}

/** A CSV cell after the comma before it, as csvCell writes a string or a number (nothing for undefined). */
function csvFieldAt(b: Buffer, p: number, value: unknown): number {
  b[p++] = 44;
  if (value === undefined) return p;
  if (typeof value === 'string') return csvAt(b, p, value);
  if (typeof value === 'number') return numberAt(b, p, value, false);
  return NO_FIT;
}

/**
 * Writes events as the bytes of `JSON.stringify(eventRecord(event, incident))` or of
 * `csvRow(eventCsvCells(event, incident))`, field by field as FIELDS says. One per stream of
 * events: it keeps the bytes of what repeats from one event to the next.
 */
export class EventBytes {
  /** Per field of FIELDS, the bytes last written for it, when its values repeat. */
  private readonly repeated = FIELDS.map((field) => (field.as === REPEATS ? new Repeated() : undefined));
  /** The latest second's ISO prefix ("2026-11-24T06:40:01."): consecutive events share their second. */
  private second = NaN;
  private readonly secondBytes = new Uint8Array(20);

  constructor(private readonly format: 'json' | 'csv') {}

  write(out: ChunkBuffer, e: ConnectionEvent, incident: string | undefined): void {
    out.room(SHORT_ROOM);
    let p = this.eventAt(out.buf, out.pos, e, incident);
    if (p === NO_FIT) {
      const bound = typeof e.id === 'string' ? fieldsBound(e) : -1;
      if (bound < 0) return out.utf8(this.format === 'json' ? JSON.stringify(eventRecord(e, incident)) : csvRow(eventCsvCells(e, incident)));
      out.room(bound + KEYS_BYTES + (incident === undefined ? 0 : 6 * incident.length + 16) + SHORT_ROOM);
      p = this.eventAt(out.buf, out.pos, e, incident);
      if (p === NO_FIT) throw new Error('event-record.ts: an event did not fit the room measured for it');
    }
    out.pos = p;
  }

  private eventAt(b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined): number {
    return this.format === 'json' ? this.jsonEventAt(b, p, e, incident) : this.csvEventAt(b, p, e, incident);
  }

  private jsonEventAt(b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined): number {
    for (let i = 0; i < FIELDS.length && p !== NO_FIT; i++) {
      const { name, as, key } = FIELDS[i]!;
      const value = e[name] as unknown;
      if (as === REPEATS) {
        if (value === undefined) continue;
        const repeated = this.repeated[i]!;
        const q = repeated.at(b, p, value);
        if (q >= 0) p = q;
        else {
          const end = jsonFieldAt(b, p, key, value);
          if (end !== NO_FIT) repeated.keep(b, p, end, value);
          p = end;
        }
      } else if (as === VARIES) {
        p = jsonFieldAt(b, p, key, value);
      } else if (as === TIME) {
        if (value === null || value === undefined) p = bytesAt(b, bytesAt(b, p, key), NULL);
        else if (typeof value !== 'number') return NO_FIT;
        else {
          p = this.isoTimeAt(b, bytesAt(b, bytesAt(b, p, key), QUOTE), value);
          b[p++] = 34;
        }
      } else {
        if (typeof value !== 'string') return NO_FIT;
        p = incident === undefined ? bytesAt(b, p, ID_FIRST) : jsonAt(b, bytesAt(b, p, INCIDENT_FIRST), incident);
        if (p === NO_FIT) return NO_FIT;
        if (incident !== undefined) p = bytesAt(b, p, key);
        p = jsonAt(b, p, value);
      }
    }
    if (p === NO_FIT) return NO_FIT;
    b[p++] = 125;
    return p;
  }

  private csvEventAt(b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined): number {
    if (incident !== undefined) p = csvAt(b, p, incident);
    for (let i = 0; i < FIELDS.length && p !== NO_FIT; i++) {
      const { as } = FIELDS[i]!;
      const value = e[FIELDS[i]!.name] as unknown;
      if (as === REPEATS) {
        const repeated = this.repeated[i]!;
        const q = repeated.at(b, p, value);
        if (q >= 0) p = q;
        else {
          const end = csvFieldAt(b, p, value);
          if (end !== NO_FIT) repeated.keep(b, p, end, value);
          p = end;
        }
      } else if (as === VARIES) {
        p = csvFieldAt(b, p, value);
      } else if (as === TIME) {
        b[p++] = 44;
        if (typeof value === 'number') p = fixedForm(value) ? this.spreadsheetTimeAt(b, p, value) : csvAt(b, p, isoTime(value)!);
        else if (value !== null && value !== undefined) return NO_FIT;
      } else {
        p = csvFieldAt(b, p, value);
      }
    }
    if (p === NO_FIT) return NO_FIT;
    b[p++] = 13;
    b[p++] = 10;
    return p;
  }

  /** Writes isoTime(ms) (no quotes), in at most NUMBER_MAX + 4 bytes. */
  private isoTimeAt(b: Buffer, p: number, ms: number): number {
    if (!fixedForm(ms)) return asciiAt(b, p, isoTime(ms)!);
    const second = Math.floor(ms / 1000);
    const secondBytes = this.secondBytes;
    if (second !== this.second) {
      this.second = second;
      const prefix = new Date(second * 1000).toISOString();
      for (let i = 0; i < 20; i++) secondBytes[i] = prefix.charCodeAt(i);
    }
    const millis = ms - second * 1000;
    for (let i = 0; i < 20; i++) b[p++] = secondBytes[i]!;
    b[p++] = 48 + Math.floor(millis / 100);
    b[p++] = 48 + (Math.floor(millis / 10) % 10);
    b[p++] = 48 + (millis % 10);
    b[p++] = 90;
    return p;
  }

  /** Writes spreadsheetTime(ms) of a fixed-form time: isoTime's bytes with a space for the `T` and no `Z`. */
  private spreadsheetTimeAt(b: Buffer, p: number, ms: number): number {
    const end = this.isoTimeAt(b, p, ms);
    b[p + 10] = 32;
    return end - 1;
  }
}
