// AssemblyScript, compiled to dist/core/python-log.wasm by `npm run build` (its build:core script).
//
// The bulk of a DEBUG client log read in WebAssembly: runs of urllib3's completed requests
// (`http://host:port "GET /x HTTP/1.1" 200 17`) and its `Starting new HTTP connection (1): host:port`
// under a `2026-11-24 06:40:01,123 ` header, as PythonLoggingParser.lineBytes reads them one at a
// time in JavaScript (src/parse/python-logging.ts; src/parse/python-log-run.ts drives this). A run
// stops at the first line this cannot take as lineBytes would: the caller reads that line the
// JavaScript way and starts a new run after it. What the run took is told as its effects, in order:
// the seconds the records fell in, their latest time, and per connection pool (host:port) its last
// request and its last connection opened. For `whoreset events`, a run also writes the record of each
// record it ends, by the caller's program for its kind and level (core/records.ts).

import { findByte, growMemory, isAsciiLine, SLACK } from './bytes';
import { isOwnExcerpt, recordFits, tellRecords, writeRecord } from './records';

/** The cached second: its 19 bytes (`2026-11-24 06:40:01`), as the caller's WallClock read them. */
const SECOND: usize = 16;
/** Results: i32 fields from OUT, the latest time (f64) at OUT_LATEST. */
const OUT: usize = 64;
const OUT_LATEST: usize = OUT + 32;
/** The record read last and not yet ended (its traceback may follow): i32 fields, then its time. */
const PENDING: usize = 128;
const PENDING_TIME: usize = PENDING + 48;
/** The seconds records fell in, in order (f64), a new one each time the second changes. */
const SECONDS: usize = 256;
const MAX_SECONDS: i32 = 256;
/** The pools named, in the order first named: AUTH_BYTES each. */
const AUTHS: usize = SECONDS + <usize>MAX_SECONDS * 8;
const MAX_AUTHS: i32 = 8;
const AUTH_BYTES: usize = 64;
/** The second's ISO time up to its milliseconds (`2026-11-24T06:40:01.`): records' slot (core/records.ts). */
const SLOT: usize = AUTHS + <usize>MAX_AUTHS * AUTH_BYTES;
const SLOT_BYTES: i32 = 32;
/**
 * A record's fields (records), as start and end (i32 pairs): the line whole, the method, the path,
 * the host, the port, the status, the milliseconds of its time.
 */
const FIELDS: usize = SLOT + <usize>SLOT_BYTES;
/** The record programs (offsets, 0: none) of a connection opened (0 to 7) and a request (8 to 15), by level (levelIn's number). */
const PROGRAMS: usize = FIELDS + 64;
/** What the last run wrote of records (tellRecords). */
const RECORDS_OUT: usize = PROGRAMS + 64;
/** Where the caller puts the programs' bytes, up to INPUT. */
export const PROGRAM_TEXTS: usize = 3072;
/** Where the caller copies the lines. */
export const INPUT: usize = 8192;
/** The records one run may write. */
const RECORD_BYTES: i32 = 64 * 1024;

// A pool's entry: i32 fields, then f64 times.
const A_KEY_START = 0;
const A_KEY_END = 4;
const A_REQ = 8; // 0: none; 1: the last request taken; 2: a connection opened after it
const A_REQ_START = 12;
const A_REQ_END = 16;
const A_REQ_AUTH_START = 20;
const A_REQ_AUTH_END = 24;
const A_REQ_NO = 28;
const A_OPEN = 32; // 0: none; 1: a connection opened
const A_OPEN_AUTH_START = 36;
const A_OPEN_AUTH_END = 40;
const A_OPEN_NO = 44;
const A_REQ_TIME = 48;
const A_OPEN_TIME = 56;

// The record a run holds: none, the caller's (it must end it: flushCaller), or one of this run.
const NONE = 0;
const CALLERS = 1;
const OURS = 2;

let secondMs: f64 = 0;
let haveSecond = false;

/** The caller's WallClock read the 19 bytes at SECOND as `ms`; 0 bytes: it holds no second a run may use. */
export function useSecond(ms: f64, have: bool): void {
  secondMs = ms;
  haveSecond = have;
}

/** Memory for `bytes` of lines at INPUT and SLACK past them, and for records after them: grows it as needed (the caller's views are then new). */
export function reserve(bytes: i32): void {
  recordsAt = (INPUT + <usize>bytes + <usize>SLACK + 15) & ~15;
  growMemory(recordsAt + <usize>RECORD_BYTES + <usize>SLACK);
}

let recordsAt: usize = 0;
let slotLength: usize = 0;
/** The most fixed bytes of the programs. */
let fixedMax: usize = 0;

/** The slot's text is the `length` bytes at SLOT; the programs at PROGRAMS write at most `fixed` bytes of fixed text. */
export function useRecords(length: i32, fixed: i32): void {
  slotLength = length <= SLOT_BYTES ? <usize>length : 0;
  fixedMax = <usize>fixed;
}

// The records this run wrote.
let recording = false;
let out: usize = 0;
let recordsTaken: i32 = 0;
let full = false;

// What run() leaves for the caller.
let taken: i32 = 0;
let flushCaller: i32 = 0;
let held: i32 = 0;
let seconds: i32 = 0;
let auths: i32 = 0;
let latest: f64 = -Infinity;
let lastSecond: f64 = NaN;

// The record pending (OURS).
let pStart: i32 = 0;
let pEnd: i32 = 0;
let pRequest: i32 = 0;
let pAuthStart: i32 = 0;
let pAuthEnd: i32 = 0;
let pPathStart: i32 = 0;
let pPathEnd: i32 = 0;
let pStatus: i32 = 0;
let pLevel: i32 = 0;
let pNo: i32 = 0;
let pTime: f64 = 0;

// What readHeader found.
let hRequest: i32 = 0;
let hAuthStart: i32 = 0;
let hAuthEnd: i32 = 0;
let hPathStart: i32 = 0;
let hPathEnd: i32 = 0;
let hStatus: i32 = 0;
let hLevel: i32 = 0;

@inline function at(i: i32): i32 {
  return <i32>load<u8>(<usize>i);
}

@inline function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

/**
 * Takes lines from `start` (an offset in memory, at INPUT or past it) while lineBytes would, before
 * `end` (past a line end) and with no byte at `limit` or past it. `callerRecord`: the caller's parser
 * holds a record; `requests`: the consumer takes request lines; `levels`: bit n set where it takes a
 * connection opened at level n (0: none named). `ascii`: the lines are known ASCII. `no`: the number
 * of the line before `start`. Returns where it stopped: `end`, or the start of a line it declined.
 */
export function run(start: i32, end: i32, limit: i32, callerRecord: bool, requests: bool, levels: i32, ascii: bool, no: i32, records: bool): i32 {
  let record = callerRecord ? CALLERS : NONE;
  recording = records;
  out = recordsAt;
  recordsTaken = 0;
  full = false;
  taken = 0;
  flushCaller = 0;
  seconds = 0;
  auths = 0;
  latest = -Infinity;
  lastSecond = NaN;
  let p = start;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    if (nl == p) {
      // An empty line: no header, no exception line.
      taken++;
      p = nl + 1;
      continue;
    }
    const first = at(p);
    if (first == 32) {
      // Indented: a traceback's frame, part of the record.
      if (record == NONE) break;
      taken++;
      p = nl + 1;
      continue;
    }
    // A header `YYYY-MM-DD HH:MM:SS` of the cached second (no CI prefix: there is no 'T' at 10).
    if (!isDigit(first) || nl - p < 19 || at(p + 4) != 45 || at(p + 10) != 32 || !haveSecond || !sameSecond(p)) break;
    if (!readHeader(p, nl)) break;
    if (hRequest == 1 ? !requests || hStatus < 100 : (levels & (1 << hLevel)) == 0) break;
    // A record's level (the program's) is read of a request too.
    if (recording && hRequest == 1) hLevel = levelIn(p + 19, nl);
    // The record before it ends here: its effects are told (the caller's: it ends it first).
    if (record == OURS) {
      if (seconds >= MAX_SECONDS - 1 || auths >= MAX_AUTHS - 1) break;
      // A record this cannot write is left held: the caller ends it, and makes its program.
      if (recording && !writePending()) break;
      tell();
    } else if (record == CALLERS) {
      flushCaller = 1;
    }
    record = OURS;
    pStart = p;
    pEnd = nl;
    pRequest = hRequest;
    pAuthStart = hAuthStart;
    pAuthEnd = hAuthEnd;
    pPathStart = hPathStart;
    pPathEnd = hPathEnd;
    pStatus = hStatus;
    pLevel = hLevel;
    pNo = no + taken + 1;
    pTime = secondMs + fractionMs(p + 19, nl);
    taken++;
    p = nl + 1;
  }
  held = record == OURS ? 1 : 0;
  writeOut();
  tellRecords(RECORDS_OUT, recordsTaken, full, recordsAt, out);
  return p;
}

/**
 * Writes the record of the pending record (its header alone, the next header having ended it) by
 * the program of its kind and level: false where there is none, where the record is not its own
 * excerpt, its time's milliseconds are not three digits, its port not the number's digits (0 to
 * 65535), and where the records fill their room.
 */
function writePending(): bool {
  if (!isOwnExcerpt(pStart, pEnd)) return false;
  const program = <usize>load<i32>(PROGRAMS + ((<usize>(pRequest * 8 + pLevel)) << 2));
  if (program == 0 || (pRequest == 1 && pStatus < 100)) return false;
  const ms = pStart + 20;
  if ((at(ms - 1) != 44 && at(ms - 1) != 46) || !isDigit(at(ms)) || !isDigit(at(ms + 1)) || !isDigit(at(ms + 2))) return false;
  let colon = pAuthStart;
  while (colon < pAuthEnd && at(colon) != 58) colon++;
  const digits = pAuthEnd - colon - 1;
  if (digits < 1 || digits > 5 || (digits > 1 && at(colon + 1) == 48)) return false;
  let port = 0;
  for (let i = colon + 1; i < pAuthEnd; i++) {
    if (!isDigit(at(i))) return false;
    port = port * 10 + at(i) - 48;
  }
  if (port > 65535) return false;
  if (!recordFits(out, recordsAt + <usize>RECORD_BYTES, fixedMax + slotLength, pEnd - pStart)) {
    full = true;
    return false;
  }
  store<i32>(FIELDS, pStart);
  store<i32>(FIELDS + 4, pEnd);
  if (pRequest == 1) {
    store<i32>(FIELDS + 8, pPathStart - 1 - methodLength());
    store<i32>(FIELDS + 12, pPathStart - 1);
    store<i32>(FIELDS + 16, pPathStart);
    store<i32>(FIELDS + 20, pPathEnd);
    // The status's three digits, after `HTTP/1.1" `.
    const status = statusAt(pPathEnd);
    store<i32>(FIELDS + 40, status);
    store<i32>(FIELDS + 44, status + 3);
  }
  store<i32>(FIELDS + 24, pAuthStart);
  store<i32>(FIELDS + 28, colon);
  store<i32>(FIELDS + 32, colon + 1);
  store<i32>(FIELDS + 36, pAuthEnd);
  store<i32>(FIELDS + 48, ms);
  store<i32>(FIELDS + 52, ms + 3);
  out = writeRecord(program, FIELDS, pNo, SLOT, slotLength, out);
  recordsTaken++;
  return true;
}

/** The method's length: the uppercase letters before the path's space. */
function methodLength(): i32 {
  let i = pPathStart - 2;
  while (at(i) >= 65 && at(i) <= 90) i--;
  return pPathStart - 2 - i;
}

/** Where the status's digits start after the path: ` HTTP/1.1" ` then the status. */
function statusAt(pathEnd: i32): i32 {
  let i = pathEnd + 6;
  while (isDigit(at(i)) || at(i) == 46) i++;
  return i + 2;
}

function writeOut(): void {
  store<i32>(OUT, taken);
  store<i32>(OUT + 4, flushCaller);
  store<i32>(OUT + 8, held);
  store<i32>(OUT + 12, seconds);
  store<i32>(OUT + 16, auths);
  store<f64>(OUT_LATEST, latest);
  store<i32>(PENDING, pStart);
  store<i32>(PENDING + 4, pEnd);
  store<i32>(PENDING + 8, pRequest);
  store<i32>(PENDING + 12, pAuthStart);
  store<i32>(PENDING + 16, pAuthEnd);
  store<i32>(PENDING + 20, pPathStart);
  store<i32>(PENDING + 24, pPathEnd);
  store<i32>(PENDING + 28, pStatus);
  store<i32>(PENDING + 32, pLevel);
  store<i32>(PENDING + 36, pNo);
  store<f64>(PENDING_TIME, pTime);
}

/** The effects of the pending record, which the next header ends: its second, its time, its pool. */
function tell(): void {
  // As the collector's countActivity: Math.floor(time / 1000).
  const second = Math.floor(pTime / 1000);
  if (second != lastSecond) {
    store<f64>(SECONDS + (<usize>seconds << 3), second);
    seconds++;
    lastSecond = second;
  }
  if (pTime > latest) latest = pTime;
  const entry = poolOf(pAuthStart, pAuthEnd);
  if (pRequest == 1) {
    store<i32>(entry + A_REQ, 1);
    store<i32>(entry + A_REQ_START, pStart);
    store<i32>(entry + A_REQ_END, pEnd);
    store<i32>(entry + A_REQ_AUTH_START, pAuthStart);
    store<i32>(entry + A_REQ_AUTH_END, pAuthEnd);
    store<i32>(entry + A_REQ_NO, pNo);
    store<f64>(entry + A_REQ_TIME, pTime);
  } else {
    if (load<i32>(entry + A_REQ) == 1) store<i32>(entry + A_REQ, 2);
    store<i32>(entry + A_OPEN, 1);
    store<i32>(entry + A_OPEN_AUTH_START, pAuthStart);
    store<i32>(entry + A_OPEN_AUTH_END, pAuthEnd);
    store<i32>(entry + A_OPEN_NO, pNo);
    store<f64>(entry + A_OPEN_TIME, pTime);
  }
}

/** The entry of the pool `host:port` (start to end), made if this run had none. */
function poolOf(start: i32, end: i32): usize {
  const length = end - start;
  for (let i = 0; i < auths; i++) {
    const entry = AUTHS + <usize>i * AUTH_BYTES;
    const keyStart = load<i32>(entry + A_KEY_START);
    if (load<i32>(entry + A_KEY_END) - keyStart == length && memory.compare(<usize>keyStart, <usize>start, <usize>length) == 0) return entry;
  }
  const entry = AUTHS + <usize>auths * AUTH_BYTES;
  auths++;
  store<i32>(entry + A_KEY_START, start);
  store<i32>(entry + A_KEY_END, end);
  store<i32>(entry + A_REQ, 0);
  store<i32>(entry + A_OPEN, 0);
  return entry;
}


function sameSecond(p: i32): bool {
  for (let i = 0; i < 19; i++) if (at(p + i) != <i32>load<u8>(SECOND + <usize>i)) return false;
  return true;
}

/** WallClock.atBytes's fraction: `,mmm` or `.mmm` at `p`, up to three digits, before `end`. */
function fractionMs(p: i32, end: i32): f64 {
  if (p >= end) return 0;
  const sep = at(p);
  if (sep != 44 && sep != 46) return 0;
  let ms = 0;
  let scale = 100;
  for (let i = p + 1; i <= p + 3 && i < end && isDigit(at(i)); i++) {
    ms += (at(i) - 48) * scale;
    scale /= 10;
  }
  return <f64>ms;
}

/** Where `word` (ASCII, at most 32 bytes) first starts from `from` on, wholly before `end`; `end` if nowhere. */
function wordAt(word: string, from: i32, end: i32): i32 {
  const last = end - word.length + 1;
  const first = <i32>word.charCodeAt(0);
  for (let i = findByte(first, from, last); i < last; i = findByte(first, i + 1, last)) if (sameAt(i, word)) return i;
  return end;
}


/** readHeader: a request completed or a connection opened, in a record naming no thread. */
function readHeader(start: i32, end: i32): bool {
  if (wordAt('Thread', start, end) < end) return false;
  const scheme = wordAt('://', start + 19, end);
  if (scheme < end) return readRequest(start, scheme);
  const opens = wordAt('Starting new HTTP', start + 19, end);
  if (opens == end || findByte(34, start, end) < end || wordAt('after connection broken by', start, end) < end) return false;
  return readOpened(start, opens, end);
}

function sameAt(i: i32, word: string): bool {
  for (let k = 0; k < word.length; k++) if (at(i + k) != <i32>word.charCodeAt(k)) return false;
  return true;
}

/** readRequestBytes: `http://host:port "GET /x HTTP/1.1" 200 ` from the first "://" (at `scheme`). */
function readRequest(start: i32, scheme: i32): bool {
  const http = at(scheme - 1) == 115 ? scheme - 5 : scheme - 4;
  if (http < start || !sameAt(http, 'http')) return false;
  const host = scheme + 3;
  let i = host;
  for (let c = at(i); c != 58; c = at(++i)) if (c <= 32 || c == 47 || c == 34 || c == 91) return false;
  const colon = i;
  while (isDigit(at(++i)));
  const quote = i;
  if (colon == host || quote == colon + 1 || at(quote) != 32 || at(quote + 1) != 34) return false;
  i = quote + 2;
  while (at(i) >= 65 && at(i) <= 90) i++;
  const methodEnd = i;
  if (methodEnd == quote + 2 || at(methodEnd) != 32) return false;
  while (at(++i) > 32);
  const pathEnd = i;
  if (pathEnd == methodEnd + 1 || at(pathEnd) != 32 || !sameAt(pathEnd, ' HTTP/')) return false;
  i = pathEnd + 6;
  while (isDigit(at(i)) || at(i) == 46) i++;
  const close = i;
  if (close == pathEnd + 6 || at(close) != 34 || at(close + 1) != 32) return false;
  if (!isDigit(at(close + 2)) || !isDigit(at(close + 3)) || !isDigit(at(close + 4)) || at(close + 5) != 32) return false;
  hRequest = 1;
  hAuthStart = host;
  hAuthEnd = quote;
  hPathStart = methodEnd + 1;
  hPathEnd = pathEnd;
  hStatus = (at(close + 2) - 48) * 100 + (at(close + 3) - 48) * 10 + (at(close + 4) - 48);
  hLevel = 0;
  return true;
}

/** readOpenedBytes: `Starting new HTTP connection (1): host:port` to the line's end (at `opens`). */
function readOpened(start: i32, opens: i32, end: i32): bool {
  let i = opens + 17;
  if (at(i) == 83) i++;
  if (!sameAt(i, ' connection (')) return false;
  i += 13;
  const count = i;
  while (isDigit(at(i))) i++;
  if (i == count || at(i) != 41 || at(i + 1) != 58 || at(i + 2) != 32) return false;
  i += 3;
  const host = i;
  while (i < end && at(i) > 32 && at(i) != 58) i++;
  if (i == host || at(i) != 58 || i + 1 == end) return false;
  for (let k = i + 1; k < end; k++) if (!isDigit(at(k))) return false;
  hRequest = 0;
  hAuthStart = host;
  hAuthEnd = end;
  hPathStart = 0;
  hPathEnd = 0;
  hStatus = 0;
  hLevel = levelIn(start + 19, end);
  return true;
}

/** levelIn: the leftmost level name standing as a word, numbered as LEVELS (1 DEBUG … 7 FATAL; 0 none). */
function levelIn(from: i32, end: i32): i32 {
  for (let i = from; i < end; i++) {
    const c = at(i);
    if ((c != 68 && c != 73 && c != 87 && c != 69 && c != 67 && c != 70) || isWordByte(at(i - 1))) continue;
    const level = levelWordAt(i, end);
    if (level != 0) return level;
  }
  return 0;
}

function levelWordAt(i: i32, end: i32): i32 {
  if (wordEndsAt(i, 'DEBUG', end)) return 1;
  if (wordEndsAt(i, 'INFO', end)) return 2;
  if (wordEndsAt(i, 'WARNING', end)) return 3;
  if (wordEndsAt(i, 'WARN', end)) return 4;
  if (wordEndsAt(i, 'ERROR', end)) return 5;
  if (wordEndsAt(i, 'CRITICAL', end)) return 6;
  if (wordEndsAt(i, 'FATAL', end)) return 7;
  return 0;
}

function wordEndsAt(i: i32, word: string, end: i32): bool {
  const after = i + word.length;
  return after <= end && sameAt(i, word) && (after == end || !isWordByte(at(after)));
}

function isWordByte(c: i32): bool {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95;
}
