/**
 * Reading a line as bytes (the parsers' byte path, LineParser.bytes): a line is `bytes` from start
 * to end, and the buffer goes on past it, so a search that indexOf runs must not cost more when
 * the byte is missing from the line.
 */

/** The first `byte` from `from` on, before `end` (`end` for none), for a byte expected within a few: a loop costs less than indexOf's call. */
export function nearByteAt(bytes: Buffer, byte: number, from: number, end: number): number {
  let at = from;
  while (at < end && bytes[at] !== byte) at++;
  return at;
}

/** nearByteAt for a pair of bytes. */
export function nearPairAt(bytes: Buffer, first: number, second: number, from: number, end: number): number {
  for (let at = from; at < end - 1; at++) if (bytes[at] === first && bytes[at + 1] === second) return at;
  return end;
}

/** nearByteAt for a word: where `word` first starts from `from` on, within `end` (`end` for none). */
export function nearWordAt(bytes: Buffer, word: Uint8Array, from: number, end: number): number {
  for (let at = nearByteAt(bytes, word[0]!, from, end); at + word.length <= end; at = nearByteAt(bytes, word[0]!, at + 1, end)) if (sameBytes(bytes, at, word)) return at;
  return end;
}

/** Whether `bytes` at `at` hold `known`. */
export function sameBytes(bytes: Uint8Array, at: number, known: Uint8Array): boolean {
  for (let i = 0; i < known.length; i++) if (bytes[at + i] !== known[i]) return false;
  return true;
}

/**
 * indexOf of one byte over the lines of a buffer, each search starting at or after the last. indexOf
 * runs on past a line's end, to the next line holding the byte: the place found is kept for the
 * lines before it, so lines that lack the byte (a ',' in an nginx error log's bulk, or a hostile
 * file's) cost no scan each of the rest of the buffer. Also of a few bytes (a word), if they hold
 * no line end: found before a line's end, they are within the line.
 */
export class ByteSearch {
  private buffer: Buffer | undefined;
  private from = 0;
  private at = 0;

  constructor(private readonly byte: number | Buffer) {}

  /** Where the byte is first found from `from` on, before `end`; `end` where it is not. */
  within(bytes: Buffer, from: number, end: number): number {
    if (bytes !== this.buffer || from < this.from || this.at < from) {
      const at = bytes.indexOf(this.byte, from);
      this.buffer = bytes;
      this.at = at === -1 ? bytes.length : at;
    }
    this.from = from;
    return this.at > end ? end : this.at;
  }

  /** Where the byte followed by `second` is first found from `from` on, within `end`; `end` where it is not. */
  pairWithin(bytes: Buffer, second: number, from: number, end: number): number {
    for (let at = this.within(bytes, from, end); at < end - 1; at = this.within(bytes, at + 1, end)) if (bytes[at + 1] === second) return at;
    return end;
  }
}
