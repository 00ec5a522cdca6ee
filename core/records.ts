// AssemblyScript, imported by the compiled readers that write records (core/access-log.ts,
// core/error-log.ts, core/python-log.ts).
//
// A record program says what one line's record is made of (src/parse/record-program.ts writes it,
// src/report/event-record.ts decides its bytes): fixed text, the line's fields and its number. The
// reader finds the fields; this writes the record, so a bulk line becomes output bytes with no
// string, no event and no JavaScript per line.

/** The program's operations. */
const END: u8 = 0;
/** Fixed text: its length (u16, little-endian), then its bytes. */
const TEXT: u8 = 1;
/** A field's bytes (u8: its number) as a JSON string's content. */
const FIELD: u8 = 2;
/** A field's bytes (u8: its number) as they are. */
const RAW: u8 = 3;
/** The line's number, in decimal. */
const LINE_NUMBER: u8 = 4;
/** The text the reader holds for its current stamp (the time as the record writes it). */
const SLOT: u8 = 5;
/** A field's bytes (u8: its number) as csvCell writes a string (src/report/csv.ts). */
const CSV_FIELD: u8 = 6;
/** The slot as spreadsheetTime writes a time: a space for its `T`, no `Z`. */
const SPREADSHEET_SLOT: u8 = 7;

/** The most bytes a JSON string's content takes per byte of an ASCII field (`\u00XX`). */
const ESCAPED_MAX: i32 = 6;
/** The longest line whose record a reader writes: its excerpt is the line whole (EXCERPT_MAX in src/model/event.ts). */
const EXCERPT_MAX: i32 = 300;

/** Whether the line from `start` to `end` is its own excerpt: not over EXCERPT_MAX bytes, no space at either end (excerptOf trims). */
export function isOwnExcerpt(start: i32, end: i32): bool {
  return end - start <= EXCERPT_MAX && load<u8>(<usize>start) > 32 && load<u8>(<usize>(end - 1)) > 32;
}

/**
 * Whether the record of a line of `length` bytes fits at `out` before `room`, with `fixed` bytes of
 * fixed text: every field is within the line, and takes at most ESCAPED_MAX bytes a byte of it.
 */
export function recordFits(out: usize, room: usize, fixed: usize, length: i32): bool {
  return out + fixed + <usize>(length * 2 * ESCAPED_MAX + 32 + 16) <= room;
}

/** What a call of `records` tells its caller, as i32 from `at`: lines taken, whether it stopped for room, the records' bytes, where they are. */
export function tellRecords(at: usize, taken: i32, full: bool, recordsAt: usize, out: usize): void {
  store<i32>(at, taken);
  store<i32>(at + 4, full ? 1 : 0);
  store<i32>(at + 8, <i32>(out - recordsAt));
  store<i32>(at + 12, <i32>recordsAt);
}

/**
 * Writes the record `program` makes of one line at `out`; `fields` holds each field's start and end
 * (i32 pairs), the slot's text is `slotLength` bytes at `slot`. Returns the record's end. May write
 * up to 15 bytes past it (the caller's room).
 */
export function writeRecord(program: usize, fields: usize, lineNumber: i32, slot: usize, slotLength: usize, out: usize): usize {
  let pc = program;
  let op = load<u8>(pc);
  while (op != END) {
    if (op == TEXT) {
      const length = <usize>load<u16>(pc + 1);
      memory.copy(out, pc + 3, length);
      out += length;
      pc += 3 + length;
    } else if (op == LINE_NUMBER) {
      out = decimalAt(out, lineNumber);
      pc += 1;
    } else if (op == SLOT) {
      memory.copy(out, slot, slotLength);
      out += slotLength;
      pc += 1;
    } else if (op == SPREADSHEET_SLOT) {
      const length = slotLength > 0 && load<u8>(slot + slotLength - 1) == 90 ? slotLength - 1 : slotLength;
      memory.copy(out, slot, length);
      if (length > 10) store<u8>(out + 10, 32);
      out += length;
      pc += 1;
    } else {
      const field = fields + (<usize>load<u8>(pc + 1) << 3);
      const start = <usize>load<i32>(field);
      const end = <usize>load<i32>(field + 4);
      if (op == RAW) {
        memory.copy(out, start, end - start);
        out += end - start;
      } else if (op == CSV_FIELD) out = csvCellAt(out, start, end);
      else out = jsonContentAt(out, start, end);
      pc += 2;
    }
    op = load<u8>(pc);
  }
  return out;
}

/** Writes `n` (0 or more) in decimal at `out`; returns its end. */
function decimalAt(out: usize, n: i32): usize {
  let digits: usize = 1;
  for (let rest = n / 10; rest > 0; rest /= 10) digits++;
  for (let k = out + digits - 1; k >= out; k--) {
    store<u8>(k, <u8>(48 + n % 10));
    n /= 10;
  }
  return out + digits;
}

/**
 * Writes ASCII bytes as JSON.stringify writes them inside a string's quotes: `"` and `\` escaped,
 * \b \t \n \f \r and the other control bytes as `\u00XX`. Sixteen bytes at a time while none needs it.
 */
function jsonContentAt(out: usize, start: usize, end: usize): usize {
  const space = i8x16.splat(0x20);
  const quote = i8x16.splat(0x22);
  const backslash = i8x16.splat(0x5c);
  let i = start;
  while (i < end) {
    const v = v128.load(i);
    const special = v128.or(i8x16.lt_u(v, space), v128.or(i8x16.eq(v, quote), i8x16.eq(v, backslash)));
    const n = end - i < 16 ? <i32>(end - i) : 16;
    const mask = i8x16.bitmask(special) & ((1 << n) - 1);
    if (mask == 0) {
      v128.store(out, v);
      out += <usize>n;
      i += <usize>n;
      continue;
    }
    // Up to the first byte that needs escaping, then that byte.
    const clean = <usize>ctz(mask);
    v128.store(out, v);
    out += clean;
    i += clean;
    out = escapedAt(out, <i32>load<u8>(i));
    i++;
  }
  return out;
}

/**
 * Writes ASCII bytes as csvCell writes a string: a formula start (= + - @ tab CR) quoted away with
 * `'`; in quotes, each quote doubled, where it holds a quote, a comma, a CR or a LF.
 */
function csvCellAt(out: usize, start: usize, end: usize): usize {
  if (start == end) return out;
  let quotes = false;
  for (let i = start; i < end; i++) {
    const c = load<u8>(i);
    if (c == 34 || c == 44 || c == 13 || c == 10) {
      quotes = true;
      break;
    }
  }
  if (quotes) store<u8>(out++, 34);
  const first = load<u8>(start);
  if (first == 61 || first == 43 || first == 45 || first == 64 || first == 9 || first == 13) store<u8>(out++, 39);
  if (!quotes) {
    memory.copy(out, start, end - start);
    return out + (end - start);
  }
  for (let i = start; i < end; i++) {
    const c = load<u8>(i);
    store<u8>(out++, c);
    if (c == 34) store<u8>(out++, 34);
  }
  store<u8>(out++, 34);
  return out;
}

/** Writes the escape of one byte JSON escapes. */
function escapedAt(out: usize, c: i32): usize {
  store<u8>(out, 92);
  if (c == 34 || c == 92) {
    store<u8>(out + 1, <u8>c);
    return out + 2;
  }
  const letter = c == 8 ? 98 : c == 9 ? 116 : c == 10 ? 110 : c == 12 ? 102 : c == 13 ? 114 : 0;
  if (letter != 0) {
    store<u8>(out + 1, <u8>letter);
    return out + 2;
  }
  store<u8>(out + 1, 117);
  store<u8>(out + 2, 48);
  store<u8>(out + 3, 48);
  store<u8>(out + 4, <u8>(48 + (c >> 4)));
  const low = c & 15;
  store<u8>(out + 5, <u8>(low < 10 ? 48 + low : 87 + low));
  return out + 6;
}
