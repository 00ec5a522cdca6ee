// AssemblyScript, compiled to dist/core/pytest.wasm by `npm run build` (its build:core script).
//
// The bulk of a pytest console read in WebAssembly: runs of the lines PytestParser.bytes passes over
// one at a time in JavaScript (src/parse/pytest.ts; src/parse/pytest-run.ts drives this), behind the
// CI prefixes prefixEnd reads (src/read/ci-prefix.ts): the progress lines of tests that passed, and
// in a failure's section the lines of its traceback that name no request and no exception (its frames,
// --tb=short's locations of library code, Python's chaining sentences) and the lines of its captured output.
// A run stops at the first line it cannot take: the caller reads that line the JavaScript way.

import { findByte, growMemory, isAsciiLine, SLACK } from './bytes';

/** Results, i32: lines taken, then how many of them were a traceback's locations (line() counts them). */
const OUT: usize = 16;
/** Where the caller copies the lines. */
const INPUT: usize = 64;

// Where the parser stands, which says what it passes over (PytestParser.bytes).
const OUTSIDE: i32 = 1; // between sections: progress lines that report no failure
const CAPTURED: i32 = 2; // a section's captured output: lines naming no response
const TRACEBACK: i32 = 3; // a section's traceback: lines naming no request and no exception

// The words looked for, as the little-endian u64 of their bytes (wordAt).
const FAILED: u64 = 0x44454c494146; // "FAILED"
const ERROR: u64 = 0x524f525245; // "ERROR"
const HTTP_SLASH: u64 = 0x2f50545448; // "HTTP/"
const URL_ARGUMENT: u64 = 0x27203d206c7275; // "url = '"
const REQUEST_HEAD: u64 = 0x747365757165523c; // "<Request", then
const REQUEST_TAIL: u64 = 0x2728; // "('"
const SCHEME: u64 = 0x2f2f3a; // "://"

/** The traceback's locations the run took. */
let locations = 0;

/** Memory for `bytes` of lines and SLACK past them; returns where the lines go. */
export function reserve(bytes: i32): usize {
  growMemory(INPUT + <usize>bytes + <usize>SLACK);
  return INPUT;
}

/**
 * Takes lines from `start` while PytestParser.bytes would, standing where `mode` says, before `end`
 * (past a line end) and with no byte at `limit` or past it. `ascii`: the lines are known ASCII.
 * Returns where it stopped: `end`, or the start of a line it declined. OUT: the lines taken.
 */
export function run(start: i32, end: i32, limit: i32, ascii: bool, mode: i32): i32 {
  let taken = 0;
  locations = 0;
  let p = start;
  while (p < end) {
    const nl = findByte(10, p, end);
    if (limit <= nl) break;
    if (!ascii && !isAsciiLine(p, nl)) break;
    const text = prefixEnd(p, nl);
    if (text < 0 || !passesOver(text, nl, mode)) break;
    taken++;
    p = nl + 1;
  }
  store<i32>(OUT, taken);
  store<i32>(OUT + 4, locations);
  return p;
}

/** PytestParser.bytes on a line's text, `start` to `end`. */
function passesOver(start: i32, end: i32, mode: i32): bool {
  if (start == end) return true;
  const first = <i32>load<u8>(<usize>start);
  // A live-log record's time, a banner, a section header, INTERNALERROR>, a summary line (and a section's exception lines).
  if ((first >= 48 && first <= 57) || first == 61 || first == 95 || first == 73 || first == 70 || first == 69) return false;
  if (mode == OUTSIDE) {
    if (first == 99 /* c: curl: ( */) return false;
    // A progress line's outcome follows its first space: FAILED or ERROR there is a failure's time.
    const space = findByte(32, start, end);
    return space == end || !(wordAt(space + 1, end, FAILED, 6) || wordAt(space + 1, end, ERROR, 5));
  }
  if (mode == CAPTURED) return !wordIn(start, end, HTTP_SLASH, 5);
  if (mode != TRACEBACK) return false;
  if (wordIn(start, end, URL_ARGUMENT, 7) || requestIn(start, end) || wordIn(start, end, SCHEME, 3)) return false;
  if (first == 32) return true;
  const reading = tracebackLine(start, end);
  if (reading == LOCATION) locations++;
  return reading != DECLINED;
}

// What line() makes of a traceback's line at column 0 that names no request (PytestParser's tracebackLine).
const DECLINED: i32 = 0; // it may change something: line() reads it
const INERT: i32 = 1; // it changes nothing
const LOCATION: i32 = 2; // a location of code outside the tests (`/usr/lib/python3/x.py:12: in f`): line() only counts it

/**
 * A line of printable ASCII starting with a word followed by a space (`Traceback (most recent call
 * last):`, `During handling of …`) is no exception line and no location; one starting with '/' is
 * either no location or one of an absolute path, which names no test file, and with `in …` after it,
 * no exception.
 */
function tracebackLine(start: i32, end: i32): i32 {
  for (let i = start; i < end; i++) if (byte(i) < 32 || byte(i) > 126) return DECLINED;
  const first = byte(start);
  if (first == 47) {
    const tail = locationTail(start, end);
    if (tail < 0) return INERT;
    return tail + 3 <= end && byte(tail) == 105 && byte(tail + 1) == 110 && byte(tail + 2) == 32 ? LOCATION : DECLINED;
  }
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return DECLINED;
  let at = start + 1;
  while (at < end && isWordOrDot(byte(at))) at++;
  return at < end && byte(at) == 32 ? INERT : DECLINED;
}

function isWordOrDot(c: i32): bool {
  return isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c == 95 || c == 46;
}

/** Where LOCATION's tail (`/^(\S+?\.py):\d+: ?(.*)$/`) starts on a line of printable ASCII, or -1 where it does not match. */
function locationTail(start: i32, end: i32): i32 {
  // The shortest run of non-spaces ending in ".py" followed by ":", digits and ":".
  for (let i = start + 1; i + 3 < end; i++) {
    if (byte(i) == 32) return -1;
    if (byte(i) != 46 || byte(i + 1) != 112 || byte(i + 2) != 121 || byte(i + 3) != 58) continue;
    let d = i + 4;
    while (d < end && isDigit(byte(d))) d++;
    if (d == i + 4 || d >= end || byte(d) != 58) continue;
    return d + 1 < end && byte(d + 1) == 32 ? d + 2 : d + 1;
  }
  return -1;
}

/** Whether the `length` (1 to 8) bytes at `at`, all before `end`, are those of `word` (little-endian). */
function wordAt(at: i32, end: i32, word: u64, length: i32): bool {
  if (at + length > end) return false;
  const mask: u64 = length == 8 ? <u64>-1 : (<u64>1 << (<u64>length * 8)) - 1;
  return (load<u64>(<usize>at) & mask) == word;
}

/** Whether `word` (as wordAt) starts anywhere from `from` on, wholly before `end`. */
function wordIn(from: i32, end: i32, word: u64, length: i32): bool {
  const first = <i32>(word & 0xff);
  for (let at = findByte(first, from, end); at + length <= end; at = findByte(first, at + 1, end)) if (wordAt(at, end, word, length)) return true;
  return false;
}

/** Whether httpx's `<Request('` stands anywhere from `from` on, wholly before `end`. */
function requestIn(from: i32, end: i32): bool {
  for (let at = findByte(60, from, end); at + 10 <= end; at = findByte(60, at + 1, end)) {
    if (wordAt(at, end, REQUEST_HEAD, 8) && wordAt(at + 8, end, REQUEST_TAIL, 2)) return true;
  }
  return false;
}

// prefixEnd (src/read/ci-prefix.ts) on the line from `start` to `end`, reading no byte past it.

/** Where the text past a CI prefix starts; `start` where the line has none; -1 where only the string way can tell. */
function prefixEnd(start: i32, end: i32): i32 {
  if (start == end) return start;
  const first = <i32>load<u8>(<usize>start);
  if (first >= 48 && first <= 57) {
    if (end - start <= 10 || load<u8>(<usize>(start + 10)) != 84) return start;
    return stampEndAt(start, end);
  }
  if (first == 91) return jenkinsEndAt(start, end);
  if (first < 65 || first > 90) return start;
  // A journald prefix's gate; a line too short to tell is left to the string way (prefixEnd may read past it).
  if (start + 9 >= end) return -1;
  return load<u8>(<usize>(start + 3)) == 32 && load<u8>(<usize>(start + 9)) == 58 ? -1 : start;
}

function isDigit(c: i32): bool {
  return c >= 48 && c <= 57;
}

function digitsAt(at: i32, to: i32): bool {
  for (let i = at; i < to; i++) if (!isDigit(<i32>load<u8>(<usize>i))) return false;
  return true;
}

function byte(at: i32): i32 {
  return <i32>load<u8>(<usize>at);
}

// The 19 bytes of the second instantEndAt read last (consecutive lines share it): a line starting with them need not be checked again.
let second0: u64 = 0;
let second1: u64 = 0;
let second2: u32 = 0;

/** `\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?` at `start`: where it ends, or -1. */
function instantEndAt(start: i32, end: i32): i32 {
  if (end - start >= 19 && load<u64>(<usize>start) == second0 && load<u64>(<usize>start, 8) == second1 && (load<u32>(<usize>start, 16) & 0xffffff) == second2) return fractionEndAt(start + 19, end);
  if (end - start < 19 || byte(start + 4) != 45 || byte(start + 7) != 45 || byte(start + 10) != 84 || byte(start + 13) != 58 || byte(start + 16) != 58) return -1;
  const s = start;
  if (!digitsAt(s, s + 4) || !digitsAt(s + 5, s + 7) || !digitsAt(s + 8, s + 10) || !digitsAt(s + 11, s + 13) || !digitsAt(s + 14, s + 16) || !digitsAt(s + 17, s + 19)) return -1;
  second0 = load<u64>(<usize>start);
  second1 = load<u64>(<usize>start, 8);
  second2 = load<u32>(<usize>start, 16) & 0xffffff;
  return fractionEndAt(start + 19, end);
}

/** `(?:\.\d+)?` at `at`: where it ends, or -1 for a '.' without digits. */
function fractionEndAt(at: i32, end: i32): i32 {
  if (at < end && byte(at) == 46) {
    const digits = ++at;
    while (at < end && isDigit(byte(at))) at++;
    if (at == digits) return -1;
  }
  return at;
}

function isLowerHex(c: i32): bool {
  return isDigit(c) || (c >= 97 && c <= 102);
}

/** A GitHub Actions stamp (with GitLab's marker) at `start`: where its match ends, or -1. */
function stampEndAt(start: i32, end: i32): i32 {
  let at = instantEndAt(start, end);
  if (at == -1 || at + 1 >= end || byte(at) != 90 || byte(at + 1) != 32) return -1;
  at += 2;
  if (at + 3 < end && isLowerHex(byte(at)) && isLowerHex(byte(at + 1)) && (byte(at + 2) == 79 || byte(at + 2) == 69)) {
    const after = at + 3;
    if (byte(after) == 43 && after + 1 < end && byte(after + 1) == 32) return after + 2;
    if (byte(after) == 32) return after + 1;
  }
  return at;
}

/** A Jenkins stamp at `start` (a '['): where its match ends, or -1. */
function jenkinsEndAt(start: i32, end: i32): i32 {
  let at = instantEndAt(start + 1, end);
  if (at == -1 || at >= end) return -1;
  if (byte(at) == 90) at++;
  else {
    if (byte(at) != 43 && byte(at) != 45) return -1;
    if (at + 5 > end || !digitsAt(at + 1, at + 3)) return -1;
    at += 3;
    if (byte(at) == 58) at++;
    if (at + 2 > end || !digitsAt(at, at + 2)) return -1;
    at += 2;
  }
  return at + 1 < end && byte(at) == 93 && byte(at + 1) == 32 ? at + 2 : -1;
}
