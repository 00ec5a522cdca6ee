import { EVENT_FIELDS, type ConnectionEvent } from '../model/event.js';
import { csvCell, csvRow } from './csv.js';
import type { ChunkBuffer } from './output.js';

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
 * chunk `b`, each writer returning where it ended.
 */

/** Strings shorter than this are copied char by char; longer ones by Buffer#utf8Write, then checked as bytes. */
const NATIVE_FROM = 24;
/** Buffer#write(text, offset) for UTF-8 without its argument checks (the room is made beforehand). */
const utf8Write: (this: Buffer, text: string, offset: number) => number =
  (Buffer.prototype as unknown as { utf8Write?: (this: Buffer, text: string, offset: number) => number }).utf8Write ??
  function (this: Buffer, text: string, offset: number) {
    return this.write(text, offset);
  };
const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
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
/**
 * An event is written with no measuring first: a long string is written only where it leaves
 * SHORT_ROOM after it (with 6 bytes a char), so that the chunk holds whatever follows. Set when
 * one did not fit, or a field is of another type than the model's: the event is then measured and
 * written again (see writeFitted). Measuring every event read each of its fields twice.
 */
let unfit = false;

/** Whether a long string of n chars cannot be written at p, leaving SHORT_ROOM: then marks the event unfit. */
function noRoomFor(b: Buffer, p: number, n: number): boolean {
  if (n < NATIVE_FROM || p + 6 * n + 3 + SHORT_ROOM <= b.length) return false;
  unfit = true;
  return true;
}

function bytesOf(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
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
  if (noRoomFor(b, p, n)) return p;
  b[p++] = 34;
  if (n < NATIVE_FROM) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 0x20 || c === 34 || c === 92 || c > 0x7e) return slowJsonAt(b, start, text);
      b[p++] = c;
    }
  } else {
    const end = p + utf8Write.call(b, text, p);
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

/** The bytes of the latest second's ISO prefix ("2026-11-24T06:40:01."), as isoTime caches its string. */
let bytesSecond = NaN;
const secondBytes = new Uint8Array(20);

/** Writes isoTime(ms) (no quotes), in at most NUMBER_MAX + 4 bytes. */
function isoTimeAt(b: Buffer, p: number, ms: number): number {
  if (!fixedForm(ms)) return asciiAt(b, p, isoTime(ms)!);
  const second = Math.floor(ms / 1000);
  if (second !== bytesSecond) {
    bytesSecond = second;
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
function spreadsheetTimeAt(b: Buffer, p: number, ms: number): number {
  const end = isoTimeAt(b, p, ms);
  b[p + 10] = 32;
  return end - 1;
}

/** The fields in the order the writers below write them, by name (no keyed loads): EVENT_FIELDS' order. */
const WRITTEN_FIELDS = ['id', 'source', 'kind', 'time', 'timeQuality', 'file', 'line', 'errno', 'errnoName', 'exception', 'cause', 'method', 'path', 'host', 'port', 'status', 'clientAddr', 'clientPort', 'upstream', 'connId', 'test', 'closedBy', 'proxyCode', 'level', 'excerpt', 'phase'] as const;
if (WRITTEN_FIELDS.join() !== EVENT_FIELDS.join()) throw new Error('event-record.ts: the byte writers do not write EVENT_FIELDS (update writeEventJson and writeEventCsv)');

/**
 * The most bytes an event's fields can take, keys and separators aside (6 a char of a string, as
 * `\u00XX`, a number as String(n), a time); -1 when a field is of another type than the model's
 * (the event then takes the plain way).
 */
function fieldsBound(e: ConnectionEvent): number {
  const n =
    fieldBound(e.id) + fieldBound(e.source) + fieldBound(e.kind) + fieldBound(e.timeQuality) + fieldBound(e.file) + fieldBound(e.line) + fieldBound(e.errno) + fieldBound(e.errnoName) +
    fieldBound(e.exception) + fieldBound(e.cause) + fieldBound(e.method) + fieldBound(e.path) + fieldBound(e.host) + fieldBound(e.port) + fieldBound(e.status) + fieldBound(e.clientAddr) +
    fieldBound(e.clientPort) + fieldBound(e.upstream) + fieldBound(e.connId) + fieldBound(e.test) + fieldBound(e.closedBy) + fieldBound(e.proxyCode) + fieldBound(e.level) + fieldBound(e.excerpt) + fieldBound(e.phase);
  const t = e.time as unknown;
  return n < 0 || (t !== null && t !== undefined && typeof t !== 'number') ? -1 : n + NUMBER_MAX + 6;
}

function fieldBound(value: unknown): number {
  return typeof value === 'string' ? 6 * value.length + 3 : typeof value === 'number' ? NUMBER_MAX : value === undefined ? 0 : -Infinity;
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

type RepeatedField = 'source' | 'kind' | 'timeQuality' | 'file' | 'errno' | 'errnoName' | 'exception' | 'cause' | 'method' | 'host' | 'port' | 'status' | 'clientAddr' | 'upstream' | 'test' | 'closedBy' | 'proxyCode' | 'level' | 'phase';
function repeatedFields(): Record<RepeatedField, Repeated> {
  const names: RepeatedField[] = ['source', 'kind', 'timeQuality', 'file', 'errno', 'errnoName', 'exception', 'cause', 'method', 'host', 'port', 'status', 'clientAddr', 'upstream', 'test', 'closedBy', 'proxyCode', 'level', 'phase'];
  return Object.fromEntries(names.map((name) => [name, new Repeated()])) as Record<RepeatedField, Repeated>;
}

/** `,"key":` of each field: the comma that separates it from the one before comes with it. */
const KEY = Object.fromEntries(EVENT_FIELDS.map((field) => [field, bytesOf(`,"${field}":`)])) as Record<(typeof EVENT_FIELDS)[number], Uint8Array>;
const KEYS_BYTES = EVENT_FIELDS.reduce((n, field) => n + KEY[field].length, 0) + 16;
const ID_FIRST = bytesOf('{"id":');
const INCIDENT_FIRST = bytesOf('{"incident":');
const TIME_KEY = bytesOf(',"time":"');
const TIME_NULL = bytesOf(',"time":null');
const JSON_REPEATED = repeatedFields();

/** A field's key and value, as JSON.stringify writes them (string or number; nothing when undefined; another type: unfit). */
function jsonFieldAt(b: Buffer, p: number, key: Uint8Array, value: string | number | undefined): number {
  if (value === undefined) return p;
  if (typeof value === 'string') return jsonAt(b, bytesAt(b, p, key), value);
  if (typeof value === 'number') return numberAt(b, bytesAt(b, p, key), value, true);
  unfit = true;
  return p;
}

/** jsonFieldAt for a field whose values repeat: the bytes are copied when the value does. */
function repeatedJsonAt(b: Buffer, p: number, key: Uint8Array, value: string | number | undefined, repeated: Repeated): number {
  if (value === undefined) return p;
  const q = repeated.at(b, p, value);
  if (q >= 0) return q;
  const end = jsonFieldAt(b, p, key, value);
  if (!unfit) repeated.keep(b, p, end, value);
  return end;
}

/*
 * An event of a byte range (--jobs) carries the range's line numbers: written with the file's, as
 * parallel.ts renumbers the analysis' events (the line plus the lines before the range; the id too
 * when it is "<file>:<line>"). The id is checked and rewritten in its bytes: no strings per event.
 */

/** The file whose bytes are below: the name in a JSON string, and as a plain CSV cell (undefined: not plain). */
let idFile: string | undefined;
let idFileJson = new Uint8Array(0);
let idFileCsv: Uint8Array | undefined;

function useIdFile(file: string): void {
  if (file === idFile) return;
  idFile = file;
  idFileJson = Buffer.from(JSON.stringify(file).slice(1, -1), 'utf8');
  // Plain: a cell written as it is, which no formula guard or quotes can turn into another cell's bytes.
  idFileCsv = /^[\x20-\x7e]*$/.test(file) && !/[",]/.test(file) && !/^[=+\-@']/.test(file) ? Buffer.from(file, 'latin1') : undefined;
}

function digitsOf(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/**
 * When the bytes start to end are `name` ":" `line`, writes the line plus `before` after the colon
 * and returns where it ends; otherwise returns end (the id is not the line's).
 */
function renumberedAt(b: Buffer, start: number, end: number, name: Uint8Array, line: number, before: number): number {
  const colon = start + name.length;
  if (end - colon - 1 !== digitsOf(line) || b[colon] !== 58) return end;
  for (let i = 0; i < name.length; i++) if (b[start + i] !== name[i]) return end;
  for (let k = end - 1, n = line; k > colon; k--, n = Math.floor(n / 10)) if (b[k] !== 48 + (n % 10)) return end;
  return numberAt(b, colon + 1, line + before, false);
}

/** Whether an event's line can be renumbered in its bytes (a whole number, as parsers give). */
function renumbersInPlace(e: ConnectionEvent): boolean {
  return Number.isSafeInteger(e.line) && e.line >= 0 && typeof e.file === 'string';
}

/** The event with the file's line numbers, as parallel.ts makes it: for what is not renumbered in place. */
export function renumbered(e: ConnectionEvent, before: number): ConnectionEvent {
  const line = e.line + before;
  return { ...e, line, id: e.id === `${e.file}:${e.line}` ? `${e.file}:${line}` : e.id };
}

/** An event's bytes written at p in b (JSON or CSV), `before` lines after its file's start; returns where they end. */
type EventAt = (b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined, before: number) => number;

/**
 * Writes an event with `eventAt`; when it came out unfit, measures it and writes it again in as
 * much room, or (a field of another type than the model's) writes `plain` of it.
 */
function writeFitted(out: ChunkBuffer, e: ConnectionEvent, incident: string | undefined, before: number, eventAt: EventAt, plain: (e: ConnectionEvent, incident: string | undefined) => string): void {
  out.room(SHORT_ROOM);
  unfit = false;
  let p = eventAt(out.buf, out.pos, e, incident, before);
  if (unfit) {
    const bound = typeof e.id === 'string' ? fieldsBound(e) : -1;
    if (bound < 0) return out.utf8(plain(before === 0 ? e : renumbered(e, before), incident));
    out.room(bound + KEYS_BYTES + (incident === undefined ? 0 : 6 * incident.length + 16) + SHORT_ROOM);
    unfit = false;
    p = eventAt(out.buf, out.pos, e, incident, before);
    if (unfit) throw new Error('event-record.ts: an event did not fit the room measured for it');
  }
  out.pos = p;
}

const plainJson = (e: ConnectionEvent, incident: string | undefined) => JSON.stringify(eventRecord(e, incident));
const plainCsv = (e: ConnectionEvent, incident: string | undefined) => csvRow(eventCsvCells(e, incident));

/** Writes the bytes of `JSON.stringify(eventRecord(event, incident))`. */
export function writeEventJson(out: ChunkBuffer, e: ConnectionEvent, incident: string | undefined, before = 0): void {
  if (before !== 0 && !renumbersInPlace(e)) return writeEventJson(out, renumbered(e, before), incident);
  writeFitted(out, e, incident, before, eventJsonAt, plainJson);
}

function eventJsonAt(b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined, before: number): number {
  if (typeof e.id !== 'string') {
    unfit = true;
    return p;
  }
  if (incident !== undefined) {
    p = jsonAt(b, bytesAt(b, p, INCIDENT_FIRST), incident);
    p = bytesAt(b, p, KEY.id);
  } else {
    p = bytesAt(b, p, ID_FIRST);
  }
  if (before === 0) p = jsonAt(b, p, e.id);
  else {
    const start = p + 1;
    useIdFile(e.file);
    p = renumberedAt(b, start, jsonAt(b, p, e.id) - 1, idFileJson, e.line, before);
    b[p++] = 34;
  }
  const r = JSON_REPEATED;
  p = repeatedJsonAt(b, p, KEY.source, e.source, r.source);
  p = repeatedJsonAt(b, p, KEY.kind, e.kind, r.kind);
  const time = e.time as unknown;
  if (time === null || time === undefined) p = bytesAt(b, p, TIME_NULL);
  else if (typeof time === 'number') {
    p = isoTimeAt(b, bytesAt(b, p, TIME_KEY), time);
    b[p++] = 34;
  } else unfit = true;
  p = repeatedJsonAt(b, p, KEY.timeQuality, e.timeQuality, r.timeQuality);
  p = repeatedJsonAt(b, p, KEY.file, e.file, r.file);
  p = jsonFieldAt(b, p, KEY.line, before === 0 ? e.line : e.line + before);
  p = repeatedJsonAt(b, p, KEY.errno, e.errno, r.errno);
  p = repeatedJsonAt(b, p, KEY.errnoName, e.errnoName, r.errnoName);
  p = repeatedJsonAt(b, p, KEY.exception, e.exception, r.exception);
  p = repeatedJsonAt(b, p, KEY.cause, e.cause, r.cause);
  p = repeatedJsonAt(b, p, KEY.method, e.method, r.method);
  p = jsonFieldAt(b, p, KEY.path, e.path);
  p = repeatedJsonAt(b, p, KEY.host, e.host, r.host);
  p = repeatedJsonAt(b, p, KEY.port, e.port, r.port);
  p = repeatedJsonAt(b, p, KEY.status, e.status, r.status);
  p = repeatedJsonAt(b, p, KEY.clientAddr, e.clientAddr, r.clientAddr);
  p = jsonFieldAt(b, p, KEY.clientPort, e.clientPort);
  p = repeatedJsonAt(b, p, KEY.upstream, e.upstream, r.upstream);
  p = jsonFieldAt(b, p, KEY.connId, e.connId);
  p = repeatedJsonAt(b, p, KEY.test, e.test, r.test);
  p = repeatedJsonAt(b, p, KEY.closedBy, e.closedBy, r.closedBy);
  p = repeatedJsonAt(b, p, KEY.proxyCode, e.proxyCode, r.proxyCode);
  p = repeatedJsonAt(b, p, KEY.level, e.level, r.level);
  p = jsonFieldAt(b, p, KEY.excerpt, e.excerpt);
  p = repeatedJsonAt(b, p, KEY.phase, e.phase, r.phase);
  b[p++] = 125;
  return p;
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
  if (n === 0 || noRoomFor(b, p, n)) return p;
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
  const end = p + 1 + utf8Write.call(b, text, p + 1);
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

/** A CSV cell after the comma before it, as csvCell writes a string or a number (nothing for undefined; another type: unfit). */
function csvFieldAt(b: Buffer, p: number, value: string | number | undefined): number {
  b[p++] = 44;
  if (value === undefined) return p;
  if (typeof value === 'string') return csvAt(b, p, value);
  if (typeof value === 'number') return numberAt(b, p, value, false);
  unfit = true;
  return p;
}

/** csvFieldAt for a column whose values repeat: the bytes are copied when the value does. */
function repeatedCsvAt(b: Buffer, p: number, value: string | number | undefined, repeated: Repeated): number {
  const q = repeated.at(b, p, value);
  if (q >= 0) return q;
  const end = csvFieldAt(b, p, value);
  if (!unfit) repeated.keep(b, p, end, value);
  return end;
}

const CSV_REPEATED = repeatedFields();

/** Writes the bytes of `csvRow(eventCsvCells(event, incident))`. */
export function writeEventCsv(out: ChunkBuffer, e: ConnectionEvent, incident: string | undefined, before = 0): void {
  if (before !== 0) {
    if (renumbersInPlace(e)) useIdFile(e.file);
    if (!renumbersInPlace(e) || idFileCsv === undefined) return writeEventCsv(out, renumbered(e, before), incident);
  }
  writeFitted(out, e, incident, before, eventCsvAt, plainCsv);
}

function eventCsvAt(b: Buffer, p: number, e: ConnectionEvent, incident: string | undefined, before: number): number {
  if (incident !== undefined) p = csvAt(b, p, incident);
  const r = CSV_REPEATED;
  const idStart = p + 1;
  p = csvFieldAt(b, p, e.id);
  if (before !== 0) p = renumberedAt(b, idStart, p, idFileCsv!, e.line, before);
  p = repeatedCsvAt(b, p, e.source, r.source);
  p = repeatedCsvAt(b, p, e.kind, r.kind);
  b[p++] = 44;
  const time = e.time as unknown;
  if (typeof time === 'number') p = fixedForm(time) ? spreadsheetTimeAt(b, p, time) : csvAt(b, p, isoTime(time)!);
  else if (time !== null && time !== undefined) unfit = true;
  p = repeatedCsvAt(b, p, e.timeQuality, r.timeQuality);
  p = repeatedCsvAt(b, p, e.file, r.file);
  p = csvFieldAt(b, p, before === 0 ? e.line : e.line + before);
  p = repeatedCsvAt(b, p, e.errno, r.errno);
  p = repeatedCsvAt(b, p, e.errnoName, r.errnoName);
  p = repeatedCsvAt(b, p, e.exception, r.exception);
  p = repeatedCsvAt(b, p, e.cause, r.cause);
  p = repeatedCsvAt(b, p, e.method, r.method);
  p = csvFieldAt(b, p, e.path);
  p = repeatedCsvAt(b, p, e.host, r.host);
  p = repeatedCsvAt(b, p, e.port, r.port);
  p = repeatedCsvAt(b, p, e.status, r.status);
  p = repeatedCsvAt(b, p, e.clientAddr, r.clientAddr);
  p = csvFieldAt(b, p, e.clientPort);
  p = repeatedCsvAt(b, p, e.upstream, r.upstream);
  p = csvFieldAt(b, p, e.connId);
  p = repeatedCsvAt(b, p, e.test, r.test);
  p = repeatedCsvAt(b, p, e.closedBy, r.closedBy);
  p = repeatedCsvAt(b, p, e.proxyCode, r.proxyCode);
  p = repeatedCsvAt(b, p, e.level, r.level);
  p = csvFieldAt(b, p, e.excerpt);
  p = repeatedCsvAt(b, p, e.phase, r.phase);
  b[p++] = 13;
  b[p++] = 10;
  return p;
}
