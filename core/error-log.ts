// AssemblyScript, compiled to dist/core/error-log.wasm by `npm run build` (its build:core script).
//
// The bulk of an nginx error log read in WebAssembly: runs of the lines that
// NginxErrorParser.unremarkableBytes takes one at a time in JavaScript (src/parse/nginx-error.ts;
// src/parse/error-log-run.ts drives this). A whole line in the second of the stamp read last, at a
// level of one of the messages the string way classified lately, naming no request (no ", "), whose
// message is that one word for word and of a kind its consumer only counts. A run stops at the first
// line it cannot take: the caller reads that line the JavaScript way. For `whoreset events`,
// `records` writes each line's record by its message's program instead (core/records.ts).

import { byteAt, findByte, growMemory, isAsciiLine, SLACK } from './bytes';
import { isOwnExcerpt, recordFits, tellRecords, writeRecord } from './records';

/** The stamp read last (`2026/11/24 06:40:01`), as the caller read it. */
const STAMP: usize = 16;
const STAMP_BYTES: i32 = 19;
/** Results, i32: lines taken; then (records) whether it stopped for room, the records' bytes, where they are. */
const OUT: usize = 48;
/** The messages: MAX_ENTRIES entries of i32 fields, then their bytes (each entry's level, then its message, then its record programs). */
const ENTRIES: usize = 64;
const MAX_ENTRIES: i32 = 16;
const ENTRY_BYTES: usize = 28;
/** The ISO time of the stamp (records' slot, core/records.ts), SLOT_BYTES at most. */
const SLOT: usize = ENTRIES + <usize>MAX_ENTRIES * ENTRY_BYTES;
const SLOT_BYTES: i32 = 32;
/** A record's fields (records): the line whole, its connection's number (`*N`: N), as start and end (i32 pairs). */
const FIELDS: usize = SLOT + <usize>SLOT_BYTES;
const TEXTS: usize = FIELDS + 16;
/** The records one call of `records` may write. */
const RECORD_BYTES: i32 = 64 * 1024;
// An entry's fields.
const E_LEVEL = 0; // offset of its level's bytes
const E_LEVEL_LENGTH = 4;
const E_MESSAGE = 8; // offset of its message's bytes
const E_MESSAGE_LENGTH = 12;
const E_TAKES = 16; // 1: its consumer only counts the message's lines
const E_PROGRAM = 20; // offset of the record program of its lines without a connection's number, 0: none
const E_CONN_PROGRAM = 24; // of its lines with one

let haveStamp = false;
let entries: i32 = 0;
/** Where the lines go: past the entries' bytes. */
let input: usize = TEXTS;
/** Where records are written: past the lines reserved last. */
let recordsAt: usize = 0;
let slotLength: usize = 0;

/** The 19 bytes at STAMP are the stamp runs may read lines of; false: none. */
export function useStamp(have: bool): void {
  haveStamp = have;
}

/** Room for `count` messages of `bytes` bytes in all (levels and messages), from TEXTS on: useEntry each. Returns TEXTS. */
export function useEntries(count: i32, bytes: i32): usize {
  entries = count < MAX_ENTRIES ? count : MAX_ENTRIES;
  input = (TEXTS + <usize>bytes + 15) & ~15;
  growMemory(input);
  return TEXTS;
}

/**
 * Message `index`: its level's bytes at `at`, `levelLength` of them, then its message's; `takes`:
 * its lines are only counted; the record programs of its lines without and with a connection's
 * number (offsets in the texts, 0: none).
 */
export function useEntry(index: i32, at: usize, levelLength: i32, messageLength: i32, takes: bool, program: usize, connProgram: usize): void {
  const entry = ENTRIES + <usize>index * ENTRY_BYTES;
  store<i32>(entry + E_LEVEL, <i32>at);
  store<i32>(entry + E_LEVEL_LENGTH, levelLength);
  store<i32>(entry + E_MESSAGE, <i32>at + levelLength);
  store<i32>(entry + E_MESSAGE_LENGTH, messageLength);
  store<i32>(entry + E_TAKES, takes ? 1 : 0);
  store<i32>(entry + E_PROGRAM, <i32>program);
  store<i32>(entry + E_CONN_PROGRAM, <i32>connProgram);
}

/** The slot's text (the stamp's ISO time) is the `length` bytes at SLOT. */
export function useSlot(length: i32): void {
  slotLength = length <= SLOT_BYTES ? <usize>length : 0;
}

/** Memory for `bytes` of lines and SLACK past them, and for records after them; returns where the lines go. */
export function reserve(bytes: i32): usize {
  recordsAt = (input + <usize>bytes + <usize>SLACK + 15) & ~15;
  growMemory(recordsAt + <usize>RECORD_BYTES + <usize>SLACK);
  return input;
}


/**
 * Takes lines from `start` while unremarkableBytes and its consumer would, before `end` (past a line
 * end) and with no byte at `limit` or past it. `ascii`: the lines are known ASCII. Returns where it
 * stopped: `end`, or the start of a line it declined. OUT: the lines taken.
 */
export function run(start: i32, end: i32, limit: i32, ascii: bool): i32 {
  let taken = 0;
  let p = start;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl || !haveStamp) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    const entry = entryOfLine(p, nl);
    if (entry == 0 || load<i32>(entry + E_TAKES) != 1) break;
    taken++;
    p = nl + 1;
  }
  store<i32>(OUT, taken);
  return p;
}

/**
 * Writes the records of the lines from `start` that `run` would read as one of the messages, by the
 * message's program (core/records.ts; `fixed`: the most fixed bytes of any), the first line numbered
 * `lineNumber`; stops at a line whose message has no program for it, whose record is not the line
 * whole (over EXCERPT_MAX bytes, space at either end), and where the records fill RECORD_BYTES.
 * Returns where it stopped; tellRecords at OUT.
 */
export function records(start: i32, end: i32, limit: i32, ascii: bool, lineNumber: i32, fixed: i32): i32 {
  let out = recordsAt;
  const room = recordsAt + <usize>RECORD_BYTES;
  let full = false;
  let taken = 0;
  let p = start;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl || !haveStamp || slotLength == 0) break;
    if (!isOwnExcerpt(p, nl)) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    const entry = entryOfLine(p, nl);
    if (entry == 0) break;
    const program = <usize>load<i32>(entry + (connStart < connEnd ? E_CONN_PROGRAM : E_PROGRAM));
    if (program == 0) break;
    if (!recordFits(out, room, <usize>fixed + slotLength, nl - p)) {
      full = true;
      break;
    }
    store<i32>(FIELDS, p);
    store<i32>(FIELDS + 4, nl);
    store<i32>(FIELDS + 8, connStart);
    store<i32>(FIELDS + 12, connEnd);
    out = writeRecord(program, FIELDS, lineNumber + taken, SLOT, slotLength, out);
    taken++;
    p = nl + 1;
  }
  tellRecords(OUT, taken, full, recordsAt, out);
  return p;
}

/** The connection's number of the line entryOfLine read last (`*N`: N), from connStart to connEnd; none: equal. */
let connStart: i32 = 0;
let connEnd: i32 = 0;

/** unremarkableBytes on the line from `start` to `end`: the entry of its message, or 0. */
function entryOfLine(start: i32, end: i32): usize {
  connStart = connEnd = 0;
  const at = start + STAMP_BYTES + 1;
  if (at >= end || load<u8>(<usize>(at - 1)) != 32 || load<u8>(<usize>at) != 91 || memory.compare(<usize>start, STAMP, <usize>STAMP_BYTES) != 0) return 0;
  // `[level] pid#tid: `
  const levelEnd = pairAt(93, 32, at, end);
  if (levelEnd == end) return 0;
  const hash = byteAt(35, levelEnd, end);
  const pidEnd = pairAt(58, 32, levelEnd, end);
  if (hash == end || pidEnd == end || hash > pidEnd) return 0;
  let messageAt = pidEnd + 2;
  if (messageAt < end && load<u8>(<usize>messageAt) == 42) {
    const space = byteAt(32, messageAt, end);
    connStart = messageAt + 1;
    connEnd = space;
    messageAt = space == end ? end : space + 1;
  }
  // ", " would start a context naming the request.
  if (pairAt(44, 32, messageAt, end) != end) return 0;
  return entryOf(at + 1, levelEnd, messageAt, end);
}

/** The entry of this level's and message's bytes, or 0. */
function entryOf(levelStart: i32, levelEnd: i32, messageStart: i32, messageEnd: i32): usize {
  const levelLength = levelEnd - levelStart;
  const messageLength = messageEnd - messageStart;
  for (let i = 0; i < entries; i++) {
    const entry = ENTRIES + <usize>i * ENTRY_BYTES;
    if (load<i32>(entry + E_MESSAGE_LENGTH) != messageLength || load<i32>(entry + E_LEVEL_LENGTH) != levelLength) continue;
    if (memory.compare(<usize>load<i32>(entry + E_LEVEL), <usize>levelStart, <usize>levelLength) != 0) continue;
    if (memory.compare(<usize>load<i32>(entry + E_MESSAGE), <usize>messageStart, <usize>messageLength) == 0) return entry;
  }
  return 0;
}

/** The first `first` followed by `second` from `from` on, the pair wholly before `end`; `end` if none. */
function pairAt(first: i32, second: i32, from: i32, end: i32): i32 {
  for (let i = from; i < end - 1; i++) if (<i32>load<u8>(<usize>i) == first && <i32>load<u8>(<usize>(i + 1)) == second) return i;
  return end;
}


