// AssemblyScript, compiled to dist/core/access-log.wasm by `npm run build` (its build:core script).
//
// The bulk of an access log read in WebAssembly: runs of request lines with a 1xx to 3xx status in
// the second of the stamp read last, as AccessLogParser.ordinaryBytes reads them one at a time in
// JavaScript (src/parse/access-log.ts drives this, through src/parse/access-log-run.ts). A run stops
// at the first line this cannot take as ordinaryBytes and its consumer would: the caller reads it
// the JavaScript way. A request of a failed path is taken only where the caller said its consumer
// takes that path at this stamp (ask, then useFlag); the run tells which failed paths it took. For
// `whoreset events`, `records` writes each request line's record instead (core/records.ts).

import { byteAt, findByte, growMemory, isAsciiLine, SLACK } from './bytes';
import { isOwnExcerpt, recordFits, tellRecords, writeRecord } from './records';

/** The stamp read last (`24/Nov/2026:06:40:01 +0000`), as the caller's StampCache read it. */
const STAMP: usize = 16;
const MAX_STAMP: i32 = 96;
/** Results, i32; those of `records` from RECORDS_OUT. */
const OUT: usize = 128;
const RECORDS_OUT: usize = OUT + 16;
/** A record's fields (records): start and end of each (i32 pairs), as record-program.ts numbers them. */
const FIELDS: usize = 160;
const FIELD_LINE: usize = FIELDS;
const FIELD_ADDRESS: usize = FIELDS + 8;
const FIELD_METHOD: usize = FIELDS + 16;
const FIELD_PATH: usize = FIELDS + 24;
const FIELD_STATUS: usize = FIELDS + 32;
/** The failed paths the runs of one call took first in their stamp (their numbers), in that order. */
const PRESENT: usize = 256;
const MAX_PRESENT: i32 = 1024;
/** The record program (core/records.ts), written there by the caller. */
const PROGRAM: usize = PRESENT + <usize>MAX_PRESENT * 4;
const MAX_PROGRAM: i32 = 8192;
/** The failed paths' table (open addressing), then their bytes, then the lines, then the records written. */
const TABLE: usize = PROGRAM + <usize>MAX_PROGRAM;
/** The records one call of `records` may write. */
const RECORD_BYTES: i32 = 64 * 1024;
const ENTRY_BYTES: usize = 48;
// An entry, in bytes: its path's bytes (offset, length), its number, the flag asked and which answers it is of, the stamp it was last taken in.
const E_KEY = 0;
const E_LENGTH = 4;
const E_INDEX = 8;
const E_FLAG = 12;
const E_FLAG_ANSWERS = 16;
const E_TAKEN_STAMP = 20;
// The instants (f64) between which every request of the path is taken (the caller's quiet span), from and to excluded.
const E_QUIET_FROM = 32;
const E_QUIET_TO = 40;

let stampLength: i32 = 0;
let stampInstant: f64 = 0;
let capacity: i32 = 0;
let keysEnd: usize = 0;
let input: usize = 0;
/** Where records are written: past the lines reserved last. */
let recordsAt: usize = 0;
/** Which stamp is read, and which of the caller's answers (new with each stamp, or when the caller says) the flags hold. */
let stamp: i32 = 0;
let answers: i32 = 1;
let present: i32 = 0;

/** The stamp at STAMP, `length` bytes, at instant `instant`; 0: none a run may use. What was asked or taken of the one before no longer holds. */
export function useStamp(length: i32, instant: f64): void {
  stampLength = length <= MAX_STAMP ? length : 0;
  stampInstant = instant;
  stamp++;
  answers++;
}

/**
 * Room for `count` failed paths of `bytes` bytes in all (useKey each, from the input area, which has
 * room for the longest); returns where lines go (reserve).
 */
export function usePaths(count: i32, bytes: i32): usize {
  capacity = 16;
  while (capacity < count * 2) capacity <<= 1;
  keysEnd = TABLE + <usize>capacity * ENTRY_BYTES;
  input = (keysEnd + <usize>bytes + 15) & ~15;
  growMemory(input + <usize>bytes);
  memory.fill(TABLE, 0, <usize>capacity * ENTRY_BYTES);
  answers++;
  return input;
}

/** Failed path `index`: its bytes at `at` (in the input area), `length` of them. */
export function useKey(index: i32, at: usize, length: i32): void {
  memory.copy(keysEnd, at, <usize>length);
  let slot = hashOf(keysEnd, keysEnd + <usize>length) & (capacity - 1);
  while (load<i32>(entryAt(slot) + E_INDEX) != 0) slot = (slot + 1) & (capacity - 1);
  const entry = entryAt(slot);
  store<i32>(entry + E_KEY, <i32>keysEnd);
  store<i32>(entry + E_LENGTH, length);
  store<i32>(entry + E_INDEX, index + 1);
  keysEnd += <usize>length;
}

/** Memory for `bytes` of lines at the input area, and for records after them: grows it as needed (the caller's views are then new). */
export function reserve(bytes: i32): usize {
  recordsAt = (input + <usize>bytes + <usize>SLACK + 15) & ~15;
  growMemory(recordsAt + <usize>RECORD_BYTES + <usize>SLACK);
  return input;
}


/** A new call of runs, none of the failed paths told taken yet; `changed`: the caller's answers may have changed since the last (flags asked no longer hold). */
export function begin(changed: bool): void {
  if (changed) answers++;
  present = 0;
}

/**
 * The flag of the failed path `ask` named (its entry, `entry`), while the stamp and the caller's
 * answers hold; and the instants between which its requests are all taken, for the rest of the file.
 */
export function useFlag(entry: usize, takes: bool, quietFrom: f64, quietTo: f64): void {
  store<i32>(entry + E_FLAG, takes ? 1 : 0);
  store<i32>(entry + E_FLAG_ANSWERS, answers);
  store<f64>(entry + E_QUIET_FROM, quietFrom);
  store<f64>(entry + E_QUIET_TO, quietTo);
}

let taken: i32 = 0;
let asked: i32 = -1;
let askedEntry: usize = 0;

/**
 * Takes lines from `start` while ordinaryBytes and its consumer would, before `end` (past a line end)
 * with no byte at `limit` or past it; `requests`: the consumer takes request lines (a failed path's
 * as its flag says). Returns where it stopped. OUT: lines taken, the failed path to ask about (or -1),
 * how many failed paths this call took (at PRESENT), the entry of the one asked about.
 */
export function run(start: i32, end: i32, limit: i32, requests: bool, ascii: bool): i32 {
  taken = 0;
  asked = -1;
  let p = start;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl || !requests || stampLength == 0) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    if (mayHavePrefix(p, nl)) break;
    const pathEnd = readRequest(p, nl);
    if (pathEnd < 0) break;
    const pathStart = pathStartOf;
    let keyEnd = pathStart;
    while (keyEnd < pathEnd && load<u8>(<usize>keyEnd) != 63) keyEnd++;
    const entry = find(pathStart, keyEnd);
    if (entry != 0 && !(stampInstant > load<f64>(entry + E_QUIET_FROM) && stampInstant < load<f64>(entry + E_QUIET_TO))) {
      if (load<i32>(entry + E_FLAG_ANSWERS) != answers) {
        asked = load<i32>(entry + E_INDEX) - 1;
        askedEntry = entry;
        break;
      }
      if (load<i32>(entry + E_FLAG) == 0) break;
    }
    if (entry != 0) {
      // Told once a stamp: the path was logged in its second.
      if (load<i32>(entry + E_TAKEN_STAMP) != stamp) {
        if (present >= MAX_PRESENT) break;
        store<i32>(PRESENT + (<usize>present << 2), load<i32>(entry + E_INDEX) - 1);
        present++;
        store<i32>(entry + E_TAKEN_STAMP, stamp);
      }
    }
    taken++;
    p = nl + 1;
  }
  store<i32>(OUT, taken);
  store<i32>(OUT + 4, asked);
  store<i32>(OUT + 8, present);
  store<i32>(OUT + 12, <i32>askedEntry);
  return p;
}

/**
 * Writes the records of the lines from `start` that `run` would take of a consumer taking every
 * request (failed paths too), by the program at PROGRAM (`fixed`: its text's bytes, at most), the
 * first line numbered `lineNumber`; stops at a line whose record is not the line whole (over
 * EXCERPT_MAX bytes, or space at either end), and where the records written fill RECORD_BYTES.
 * Returns where it stopped; tellRecords at RECORDS_OUT.
 */
export function records(start: i32, end: i32, limit: i32, ascii: bool, lineNumber: i32, fixed: i32): i32 {
  let out = recordsAt;
  const room = recordsAt + <usize>RECORD_BYTES;
  let full = false;
  let p = start;
  let taken = 0;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl || stampLength == 0) break;
    if (!isOwnExcerpt(p, nl)) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    if (mayHavePrefix(p, nl)) break;
    const pathEnd = readRequest(p, nl);
    if (pathEnd < 0) break;
    if (!recordFits(out, room, <usize>fixed, nl - p)) {
      full = true;
      break;
    }
    store<i32>(FIELD_LINE, p);
    store<i32>(FIELD_LINE + 4, nl);
    store<i32>(FIELD_ADDRESS, p);
    store<i32>(FIELD_ADDRESS + 4, byteAt(32, p, nl));
    store<i32>(FIELD_METHOD, methodStartOf);
    store<i32>(FIELD_METHOD + 4, pathStartOf - 1);
    store<i32>(FIELD_PATH, pathStartOf);
    store<i32>(FIELD_PATH + 4, pathEnd);
    store<i32>(FIELD_STATUS, statusAtOf);
    store<i32>(FIELD_STATUS + 4, statusAtOf + 3);
    out = writeRecord(PROGRAM, FIELDS, lineNumber + taken, 0, 0, out);
    taken++;
    p = nl + 1;
  }
  tellRecords(RECORDS_OUT, taken, full, recordsAt, out);
  return p;
}

let pathStartOf: i32 = 0;
let methodStartOf: i32 = 0;
let statusAtOf: i32 = 0;

/**
 * ordinaryBytes: `addr ident user [stamp] "METHOD /path HTTP/1.1" 200 …` with the stamp read last and
 * a 1xx to 3xx status. Returns where the path ends (pathStartOf: where it starts), or -1.
 */
function readRequest(start: i32, end: i32): i32 {
  const space = byteAt(32, start, end);
  if (space == start || space == end) return -1;
  // The first " [" after the address.
  let bracket = space;
  do bracket = byteAt(91, bracket + 1, end);
  while (bracket < end && load<u8>(<usize>(bracket - 1)) != 32);
  if (bracket == end) return -1;
  const close = bracket + 1 + stampLength;
  if (close + 1 >= end || load<u8>(<usize>close) != 93 || load<u8>(<usize>(close + 1)) != 32) return -1;
  if (memory.compare(<usize>(bracket + 1), STAMP, <usize>stampLength) != 0) return -1;
  const at = close + 2;
  if (load<u8>(<usize>at) != 34) return -1;
  const methodEnd = byteAt(32, at + 1, end);
  if (methodEnd == at + 1 || methodEnd == end || load<u8>(<usize>(methodEnd - 1)) == 34) return -1;
  let pathEnd = byteAt(32, methodEnd + 1, end);
  if (pathEnd == end) return -1;
  let endQuote: i32;
  if (load<u8>(<usize>(pathEnd - 1)) == 34) {
    pathEnd -= 1;
    endQuote = pathEnd;
  } else {
    endQuote = end;
    for (let i = byteAt(34, pathEnd + 1, end); i < end - 1; i = byteAt(34, i + 1, end)) {
      if (load<u8>(<usize>(i + 1)) == 32) {
        endQuote = i;
        break;
      }
    }
  }
  const statusAt = endQuote + 2;
  if (statusAt + 3 > end) return -1;
  const d0 = <i32>load<u8>(<usize>statusAt) - 48;
  const d1 = <i32>load<u8>(<usize>(statusAt + 1)) - 48;
  const d2 = <i32>load<u8>(<usize>(statusAt + 2)) - 48;
  if (!(d0 >= 1 && d0 <= 3 && d1 >= 0 && d1 <= 9 && d2 >= 0 && d2 <= 9)) return -1;
  if (end > statusAt + 3 && load<u8>(<usize>(statusAt + 3)) != 32) return -1;
  methodStartOf = at + 1;
  pathStartOf = methodEnd + 1;
  statusAtOf = statusAt;
  return pathEnd;
}

/**
 * Where prefixEnd (src/read/ci-prefix.ts) may find a CI prefix: ordinaryBytes reads a line past it,
 * so a run leaves such a line to it.
 */
function mayHavePrefix(start: i32, end: i32): bool {
  const first = <i32>load<u8>(<usize>start);
  if (first >= 48 && first <= 57) return end - start > 10 && load<u8>(<usize>(start + 10)) == 84;
  if (first == 91) return true;
  return first >= 65 && first <= 90 && load<u8>(<usize>(start + 3)) == 32 && load<u8>(<usize>(start + 9)) == 58;
}



@inline function entryAt(slot: i32): usize {
  return TABLE + <usize>slot * ENTRY_BYTES;
}

/** FNV-1a of the bytes from `start` to `end`. */
function hashOf(start: usize, end: usize): i32 {
  let hash: u32 = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = (hash ^ <u32>load<u8>(i)) * 0x01000193;
  return <i32>(hash & 0x7fffffff);
}

/** The entry of the failed path whose bytes are from `start` to `end`, or 0. */
function find(start: i32, end: i32): usize {
  if (capacity == 0) return 0;
  const length = end - start;
  // The table is at most half full: a free slot ends every probe.
  let slot = hashOf(<usize>start, <usize>end) & (capacity - 1);
  let entry = entryAt(slot);
  while (load<i32>(entry + E_INDEX) != 0) {
    if (load<i32>(entry + E_LENGTH) == length && memory.compare(<usize>load<i32>(entry + E_KEY), <usize>start, <usize>length) == 0) return entry;
    slot = (slot + 1) & (capacity - 1);
    entry = entryAt(slot);
  }
  return 0;
}
