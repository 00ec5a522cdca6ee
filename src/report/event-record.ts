import { EVENT_FIELDS, type ConnectionEvent } from '../model/event.js';
import { RecordProgramWriter, type LineFields, type RecordProgram } from '../parse/record-program.js';
import { csvRow } from './csv.js';
import type { ChunkBuffer } from './output.js';

type EventField = (typeof EVENT_FIELDS)[number];

/** Years 0000-9999, where toISOString has its fixed 24-character form. */
const LAST_FIXED_FORM_MS = 253402300800000;

export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * A time as spreadsheets read a date-time, "2026-11-24 23:06:24.814" (UTC: the column's header says
 * so; LibreOffice and Excel read ISO's `T…Z` form as text); the ISO form outside years 0000-9999.
 */
export function spreadsheetTime(ms: number | null | undefined): string | null {
  const iso = isoTime(ms);
  return iso !== null && fixedForm(ms!) ? `${iso.slice(0, 10)} ${iso.slice(11, 23)}` : iso;
}

/** A time isoTime writes in its fixed 24-character form. */
function fixedForm(ms: number): boolean {
  return ms >= 0 && ms < LAST_FIXED_FORM_MS && Number.isInteger(ms);
}

/** The header of a spreadsheet's time column: its times are UTC. */
export const TIME_UTC_HEADER = 'timeUtc';

/**
 * The one table of an event's fields as the machine formats write them (JSON and NDJSON records,
 * CSV rows, and the byte writers below), in EVENT_FIELDS' order: the time as an ISO string (a
 * spreadsheet's date-time in CSV, under its own header), always written (null when unknown); every
 * other field as its value, left out when undefined.
 */
interface FieldWay {
  name: EventField;
  time: boolean;
  /** Its CSV column's header. */
  column: string;
}
const FIELDS: readonly FieldWay[] = EVENT_FIELDS.map((name) => ({ name, time: name === 'time', column: name === 'time' ? TIME_UTC_HEADER : name }));

/** The event as the machine formats show it: fixed key order, ISO times, unknown fields left out. */
export function eventRecord(event: ConnectionEvent, incident?: string): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  if (incident !== undefined) record.incident = incident;
  for (const { name, time } of FIELDS) {
    const value = time ? isoTime(event.time) : event[name];
    if (value !== undefined) record[name] = value;
  }
  return record;
}

/** The CSV columns of an event row, documented in the README. */
export const EVENT_CSV_COLUMNS: readonly string[] = ['incident', ...FIELDS.map((field) => field.column)];

export function eventCsvCells(event: ConnectionEvent, incident: string | undefined): (string | number | null | undefined)[] {
  return [incident, ...FIELDS.map(({ name, time }) => (time ? spreadsheetTime(event.time) : (event[name] as string | number | undefined)))];
}

/*
 * Byte writers for `whoreset events`: they write the bytes that JSON.stringify(eventRecord(…)) and
 * csvRow(eventCsvCells(…)) give, once encoded as UTF-8, straight into output chunks, allocating
 * nothing per event (a value of another type than the model's takes the plain way). Building a
 * record, a string and then its UTF-8 copy per event cost more than the parsing did.
 */

/** Each field's place in the table, by name: an event's own keys are looked up here. */
const SLOT = new Map<string, number>(FIELDS.map((field, slot) => [field.name, slot]));
const TIME_SLOT = SLOT.get('time')!;

/**
 * Fixed ASCII phrases (JSON keys) in one table of bytes, copied four at a time: a byte at a time,
 * the keys cost more than any value but the excerpt. A copy may write up to 3 bytes past its end,
 * which what comes next overwrites (the room asked for counts them: WORD_SPILL).
 */
class Phrases {
  private readonly view: DataView;
  private readonly starts: Int32Array;
  readonly lengths: Int32Array;
  constructor(texts: readonly string[]) {
    const bytes = new Uint8Array(texts.reduce((n, text) => n + text.length, 0) + 4);
    this.view = new DataView(bytes.buffer);
    this.starts = new Int32Array(texts.length);
    this.lengths = new Int32Array(texts.length);
    let at = 0;
    texts.forEach((text, k) => {
      this.starts[k] = at;
      this.lengths[k] = text.length;
      for (let i = 0; i < text.length; i++) bytes[at++] = text.charCodeAt(i);
    });
  }

  /** Writes phrase k at p of `out`; returns its end. */
  at(out: DataView, p: number, k: number): number {
    const start = this.starts[k]!;
    const n = this.lengths[k]!;
    for (let i = 0; i < n; i += 4) out.setInt32(p + i, this.view.getInt32(start + i, true), true);
    return p + n;
  }
}
const WORD_SPILL = 3;
/** Phrase k: `"name":` of field k; FIELDS.length + k: `,"name":`; then the incident's key and null. */
const JSON_KEYS = new Phrases([...FIELDS.map((field) => `"${field.name}":`), ...FIELDS.map((field) => `,"${field.name}":`), '"incident":', 'null']);
const COMMA_KEY = FIELDS.length;
const INCIDENT_KEY = 2 * FIELDS.length;
const NULL = INCIDENT_KEY + 1;
const HEX = asciiBytes('0123456789abcdef');
/** The letter of JSON's two-character escapes (\b \t \n \f \r), 0 for the \u00XX ones. */
const SHORT_ESCAPE = new Uint8Array(32);
for (const [code, letter] of [[8, 'b'], [9, 't'], [10, 'n'], [12, 'f'], [13, 'r']] as const) SHORT_ESCAPE[code] = letter.charCodeAt(0);
/**
 * The most bytes a value takes: a string 6 a UTF-16 unit (`\u00XX`; UTF-8 takes at most 3) and its
 * quotes (CSV: a formula's `'`), a number or a time (String(n) is at most 24 chars: "-1.2345678901234567e-300").
 */
const STRING_EXTRA = 4;
const NUMBER_MAX = 32;
/** Room for what an event writes besides its values: each key, separator and the line's end. */
const KEYS_ROOM = JSON_KEYS.lengths.reduce((n, length) => n + length, 8) + WORD_SPILL;

function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

function asciiAt(b: Uint8Array, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) b[p++] = text.charCodeAt(i);
  return p;
}

/**
 * Writes the UTF-8 bytes of the char code c (> 0x7f) at text[i]: a surrogate pair as one 4-byte
 * char; a lone surrogate as `\udxxx` in JSON (as JSON.stringify), as U+FFFD in CSV (as a string
 * written to a stream). Returns where it ended; a pair's second unit is skipped by the caller
 * (`i + 1` of the pair is read here).
 */
function wideAt(b: Uint8Array, p: number, c: number, text: string, i: number, json: boolean): number {
  if (c < 0x800) {
    b[p++] = 0xc0 | (c >> 6);
    b[p++] = 0x80 | (c & 63);
    return p;
  }
  if (c >= 0xd800 && c <= 0xdfff) {
    const next = c <= 0xdbff ? text.charCodeAt(i + 1) : NaN;
    if (next >= 0xdc00 && next <= 0xdfff) {
      const code = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
      b[p++] = 0xf0 | (code >> 18);
      b[p++] = 0x80 | ((code >> 12) & 63);
      b[p++] = 0x80 | ((code >> 6) & 63);
      b[p++] = 0x80 | (code & 63);
      return p;
    }
    if (json) {
      b[p++] = 92;
      b[p++] = 117;
      for (let shift = 12; shift >= 0; shift -= 4) b[p++] = HEX[(c >> shift) & 15]!;
      return p;
    }
    c = 0xfffd;
  }
  b[p++] = 0xe0 | (c >> 12);
  b[p++] = 0x80 | ((c >> 6) & 63);
  b[p++] = 0x80 | (c & 63);
  return p;
}

/** Whether the char code c at i is the first of a surrogate pair (its UTF-8 covers both units). */
function pairAt(c: number, text: string, i: number): boolean {
  if (c < 0xd800 || c > 0xdbff) return false;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff;
}

/**
 * Strings shorter than this are written char by char; longer ones by Buffer#write in one call, then
 * escaped in place. charCodeAt on a slice of a line (an excerpt, a path) costs about three times
 * what it does on a flat string, which Buffer#write avoids.
 */
const NATIVE_FROM = 16;

/** Writes `JSON.stringify(text)` as UTF-8 at p. */
function jsonAt(b: Buffer, p: number, text: string): number {
  b[p++] = 34;
  p = text.length >= NATIVE_FROM ? jsonNativeAt(b, p, text) : jsonCharsAt(b, p, text);
  b[p++] = 34;
  return p;
}

/**
 * Writes the chars of `JSON.stringify(text)` by Buffer#write in one call, then escapes its `"` and
 * `\\` in place; as many bytes as chars means every char was ASCII. A control char or any other
 * (rare in a log line) is written again char by char.
 */
function jsonNativeAt(b: Buffer, p: number, text: string): number {
  const end = p + b.write(text, p, 'utf8');
  if (end - p !== text.length) return jsonCharsAt(b, p, text);
  let extra = 0;
  for (let i = p; i < end; i++) {
    const c = b[i]!;
    if (c === 34 || c === 92) extra++;
    else if (c < 32) return jsonCharsAt(b, p, text);
  }
  // From the back: each byte moves right by the escapes before it.
  for (let src = end - 1, dst = end + extra - 1; dst > src; src--) {
    const c = b[src]!;
    b[dst--] = c;
    if (c === 34 || c === 92) b[dst--] = 92;
  }
  return end + extra;
}

/** Writes the chars of `JSON.stringify(text)` between its quotes, one by one. */
function jsonCharsAt(b: Uint8Array, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c !== 34 && c !== 92 && c < 0x80) {
      b[p++] = c;
    } else if (c === 34 || c === 92) {
      b[p++] = 92;
      b[p++] = c;
    } else if (c < 0x20) {
      b[p++] = 92;
      if (SHORT_ESCAPE[c] !== 0) b[p++] = SHORT_ESCAPE[c]!;
      else {
        b[p++] = 117;
        b[p++] = 48;
        b[p++] = 48;
        b[p++] = HEX[c >> 4]!;
        b[p++] = HEX[c & 15]!;
      }
    } else {
      p = wideAt(b, p, c, text, i, true);
      if (pairAt(c, text, i)) i++;
    }
  }
  return p;
}

/**
 * Writes the bytes of `csvCell(text)` at p: a formula start quoted away with `'`, a cell holding
 * `"` `,` CR or LF in quotes with each quote doubled. Written one byte in, for the opening quote
 * it may need.
 */
function csvAt(b: Buffer, p: number, text: string): number {
  const start = p;
  let q = p + 1;
  const first = text.charCodeAt(0);
  if (first === 61 || first === 43 || first === 45 || first === 64 || first === 9 || first === 13) b[q++] = 39;
  // Buffer#write's UTF-8 is csvCharsAt's, a lone surrogate as U+FFFD too.
  const end = text.length >= NATIVE_FROM ? q + b.write(text, q, 'utf8') : csvCharsAt(b, q, text);
  let quotes = 0;
  let quoted = false;
  for (let i = q; i < end; i++) {
    const c = b[i]!;
    if (c <= 44) {
      if (c === 34) quotes++;
      else if (c === 44 || c === 10 || c === 13) quoted = true;
    }
  }
  if (quotes === 0 && !quoted) {
    b.copyWithin(start, start + 1, end);
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
  b[start] = 34;
  return end + quotes + 1;
}

/** Writes the UTF-8 bytes of text, one char at a time (a lone surrogate as U+FFFD). */
function csvCharsAt(b: Uint8Array, p: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) b[p++] = c;
    else {
      p = wideAt(b, p, c, text, i, false);
      if (pairAt(c, text, i)) i++;
    }
  }
  return p;
}

/** Writes String(value): a number as JSON and a CSV cell show it (`json`: null for NaN and the infinities). */
function numberAt(b: Uint8Array, p: number, value: number, json: boolean): number {
  if (!(value >= 0 && value < 0x40000000 && (value | 0) === value)) return asciiAt(b, p, json && !Number.isFinite(value) ? 'null' : `${value}`);
  const digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5 : value < 1000000 ? 6 : `${value}`.length;
  for (let k = p + digits - 1; k >= p; k--) {
    b[k] = 48 + (value % 10);
    value = (value / 10) | 0;
  }
  return p + digits;
}

/**
 * Writes events as the bytes of `JSON.stringify(eventRecord(event, incident))` or of
 * `csvRow(eventCsvCells(event, incident))`, as the table says. One per stream of events: it holds
 * the values of the event being written, and the latest second's ISO prefix.
 */
export class EventBytes {
  /** The values of the event being written, by slot; undefined between events. */
  private readonly values: unknown[] = FIELDS.map(() => undefined);
  /** The latest second's ISO prefix ("2026-11-24T06:40:01."): consecutive events share their second. */
  private second = NaN;
  private readonly secondBytes = new DataView(new ArrayBuffer(20));
  /** The output chunk being written, and a view of it for the four-byte copies. */
  private chunk: Buffer | undefined;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  constructor(private readonly format: 'json' | 'csv') {}

  write(out: ChunkBuffer, e: ConnectionEvent, incident: string | undefined): void {
    const room = this.gather(e, incident);
    if (room < 0) {
      this.values.fill(undefined);
      return out.utf8(this.format === 'json' ? JSON.stringify(eventRecord(e, incident)) : csvRow(eventCsvCells(e, incident)));
    }
    out.room(room);
    if (out.buf !== this.chunk) {
      this.chunk = out.buf;
      this.view = new DataView(out.buf.buffer, out.buf.byteOffset, out.buf.byteLength);
    }
    out.pos = this.format === 'json' ? this.jsonEventAt(out.buf, out.pos, incident) : this.csvEventAt(out.buf, out.pos, incident);
  }

  /**
   * Puts the event's values in their slots (its own keys, in one pass: reading each of the table's
   * names from events of many shapes cost more than writing them) and returns the most bytes the
   * event can take; -1 when a value is of another type than the model's (the plain way writes it).
   */
  private gather(e: ConnectionEvent, incident: string | undefined): number {
    const values = this.values;
    let room = KEYS_ROOM + (incident === undefined ? 0 : 6 * incident.length + STRING_EXTRA);
    for (const key in e) {
      const slot = SLOT.get(key);
      if (slot === undefined) continue;
      const value = (e as unknown as Record<string, unknown>)[key];
      if (typeof value === 'number') room += NUMBER_MAX;
      else if (typeof value === 'string' && slot !== TIME_SLOT) room += 6 * value.length + STRING_EXTRA;
      else if (value !== undefined && !(value === null && slot === TIME_SLOT)) room = -Infinity;
      values[slot] = value;
    }
    return room >= 0 ? room : -1;
  }

  private jsonEventAt(b: Buffer, p: number, incident: string | undefined): number {
    const values = this.values;
    const view = this.view;
    b[p++] = 123;
    if (incident !== undefined) p = jsonAt(b, JSON_KEYS.at(view, p, INCIDENT_KEY), incident);
    let first = incident === undefined;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value === undefined && slot !== TIME_SLOT) continue;
      values[slot] = undefined;
      p = JSON_KEYS.at(view, p, first ? slot : COMMA_KEY + slot);
      first = false;
      if (slot === TIME_SLOT) {
        if (typeof value !== 'number') p = JSON_KEYS.at(view, p, NULL);
        else {
          b[p++] = 34;
          p = this.isoTimeAt(b, p, value);
          b[p++] = 34;
        }
      } else p = typeof value === 'string' ? jsonAt(b, p, value) : numberAt(b, p, value as number, true);
    }
    b[p++] = 125;
    return p;
  }

  private csvEventAt(b: Buffer, p: number, incident: string | undefined): number {
    const values = this.values;
    if (incident !== undefined && incident.length > 0) p = csvAt(b, p, incident);
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      b[p++] = 44;
      if (value === undefined) continue;
      values[slot] = undefined;
      if (typeof value === 'string') {
        if (value.length > 0) p = csvAt(b, p, value);
      } else if (slot === TIME_SLOT) {
        if (typeof value === 'number') p = fixedForm(value) ? this.spreadsheetTimeAt(b, p, value) : csvAt(b, p, isoTime(value)!);
      } else p = numberAt(b, p, value as number, false);
    }
    b[p++] = 13;
    b[p++] = 10;
    return p;
  }

  /** Writes isoTime(ms) (no quotes). */
  private isoTimeAt(b: Uint8Array, p: number, ms: number): number {
    if (!fixedForm(ms)) return asciiAt(b, p, isoTime(ms)!);
    const second = Math.floor(ms / 1000);
    const secondBytes = this.secondBytes;
    if (second !== this.second) {
      this.second = second;
      const prefix = new Date(second * 1000).toISOString();
      for (let i = 0; i < 20; i++) secondBytes.setUint8(i, prefix.charCodeAt(i));
    }
    const millis = ms - second * 1000;
    for (let i = 0; i < 20; i += 4) this.view.setInt32(p + i, secondBytes.getInt32(i, true), true);
    p += 20;
    b[p++] = 48 + Math.floor(millis / 100);
    b[p++] = 48 + (Math.floor(millis / 10) % 10);
    b[p++] = 48 + (millis % 10);
    b[p++] = 90;
    return p;
  }

  /** Writes spreadsheetTime(ms) of a fixed-form time: isoTime's bytes with a space for the `T` and no `Z`. */
  private spreadsheetTimeAt(b: Uint8Array, p: number, ms: number): number {
    const end = this.isoTimeAt(b, p, ms);
    b[p + 10] = 32;
    return end - 1;
  }
}

/**
 * The program (parse/record-program.ts) that writes the record of a line as EventBytes writes its
 * event, with no incident, between `before` and `after` (JSON: the stream's separators): the event
 * is `exemplar` but for its id and line (the line's number), `lineFields` (a string field as the
 * format writes a string, a number as its digits, from the line's bytes) and, with `timeSlot`, its
 * time: the reader's slot (the ISO time of the line's stamp), or, where `lineFields` has a time
 * field, the slot (its second's ISO time up to the milliseconds) then that field's three digits.
 */
export function recordProgram(format: 'json' | 'csv', exemplar: Readonly<ConnectionEvent>, lineFields: Readonly<LineFields>, before: string, after: string, timeSlot: boolean): RecordProgram {
  const program = new RecordProgramWriter();
  const json = format === 'json';
  // Every char of the exemplar's values may take 6 bytes (`\u00XX`); the file is written twice.
  const text = Buffer.allocUnsafe(6 * (JSON.stringify(exemplar).length + exemplar.file.length) + 1024);
  let p = asciiAt(text, 0, json ? before + '{' : '');
  const flush = () => {
    program.text(text.subarray(0, p));
    p = 0;
  };
  /** A string as the format writes one, quotes (and a CSV formula's `'`) included. */
  const stringAt = (value: string) => (p = json ? jsonAt(text, p, value) : csvAt(text, p, value));
  let first = true;
  for (const { name, time } of FIELDS) {
    const value = exemplar[name];
    if (json) {
      if (value === undefined && !time) continue;
      p = asciiAt(text, p, `${first ? '' : ','}"${name}":`);
      first = false;
    } else {
      p = asciiAt(text, p, ',');
      // An empty string is an empty cell, but where the program writes the value (the id, a line's field).
      if (value === undefined || value === null || (value === '' && name !== 'id' && lineFields[name] === undefined)) continue;
    }
    const field = lineFields[name];
    if (name === 'id') {
      // `${file}:${line}`: the file's chars as the format writes them, then the number (none of its chars is escaped nor quoted).
      const start = p;
      stringAt(`${exemplar.file}:`);
      const quoted = text[p - 1] === 34 && p - start > `${exemplar.file}:`.length;
      if (quoted) p--;
      flush();
      program.lineNumber();
      if (quoted) p = asciiAt(text, p, '"');
    } else if (name === 'line') {
      flush();
      program.lineNumber();
    } else if (time && timeSlot && typeof value === 'number') {
      // The slot: the stamp's time, or (a time field: its milliseconds' digits) its second's up to them.
      if (json) p = asciiAt(text, p, '"');
      flush();
      if (json) program.slot();
      else program.spreadsheetSlot();
      if (field !== undefined) program.rawField(field);
      if (json) p = asciiAt(text, p, field === undefined ? '"' : 'Z"');
    } else if (time) p = json ? asciiAt(text, p, JSON.stringify(isoTime(value as number | null))) : asciiAt(text, p, spreadsheetTime(value as number)!);
    else if (field !== undefined && typeof value === 'number') {
      flush();
      program.rawField(field);
    } else if (field !== undefined) {
      if (json) p = asciiAt(text, p, '"');
      flush();
      if (json) program.jsonField(field);
      else program.csvField(field);
      if (json) p = asciiAt(text, p, '"');
    } else if (typeof value === 'string') stringAt(value);
    else p = numberAt(text, p, value as number, json);
  }
  p = asciiAt(text, p, json ? '}' + after : '\r\n');
  flush();
  return program.done();
}
