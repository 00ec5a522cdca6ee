/**
 * Record programs: what the record of one bulk line is made of, for a compiled reader (core/) to
 * write it from the line's bytes, with no string or event per line. The consumer that writes
 * records (`whoreset events`: report/event-record.ts) makes the program; the reader finds each
 * line's fields and runs it (core/records.ts interprets the same operations).
 */
import type { EVENT_FIELDS } from '../model/event.js';

/**
 * Where a reader's fields go in a record: each event field a line's bytes give, by the reader's
 * number for it (core/access-log.ts, core/error-log.ts say which field each number is).
 */
export type LineFields = Partial<Record<(typeof EVENT_FIELDS)[number], number>>;

/** A program, and how many bytes of fixed text it writes (a record's room is that and its fields'). */
export interface RecordProgram {
  bytes: Uint8Array;
  fixedBytes: number;
}

const END = 0;
const TEXT = 1;
const FIELD = 2;
const RAW = 3;
const LINE_NUMBER = 4;
const SLOT = 5;
const CSV_FIELD = 6;
const SPREADSHEET_SLOT = 7;
/** The longest fixed text one operation holds (its length is a u16). */
const TEXT_MAX = 0xffff;

/** Writes a program, operation by operation. */
export class RecordProgramWriter {
  private readonly parts: Uint8Array[] = [];
  private fixedBytes = 0;

  /** Fixed bytes (UTF-8 already), copied: the caller may write over them. */
  text(bytes: Uint8Array): this {
    for (let at = 0; at < bytes.length; at += TEXT_MAX) {
      const piece = new Uint8Array(bytes.subarray(at, at + TEXT_MAX));
      this.parts.push(Uint8Array.of(TEXT, piece.length & 0xff, piece.length >> 8), piece);
    }
    this.fixedBytes += bytes.length;
    return this;
  }

  /** A field's bytes as the content of a JSON string (its quotes are text). */
  jsonField(field: number): this {
    this.parts.push(Uint8Array.of(FIELD, field));
    return this;
  }

  /** A field's bytes as csvCell writes a string (its quotes, if any, included). */
  csvField(field: number): this {
    this.parts.push(Uint8Array.of(CSV_FIELD, field));
    return this;
  }

  /** A field's bytes as they are. */
  rawField(field: number): this {
    this.parts.push(Uint8Array.of(RAW, field));
    return this;
  }

  /** The line's number in decimal. */
  lineNumber(): this {
    this.parts.push(Uint8Array.of(LINE_NUMBER));
    return this;
  }

  /** The text the reader holds for the line's stamp. */
  slot(): this {
    this.parts.push(Uint8Array.of(SLOT));
    return this;
  }

  /** That text as a spreadsheet's time: a space for its `T`, no `Z`. */
  spreadsheetSlot(): this {
    this.parts.push(Uint8Array.of(SPREADSHEET_SLOT));
    return this;
  }

  done(): RecordProgram {
    const bytes = new Uint8Array(this.parts.reduce((n, part) => n + part.length, 1));
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes[at] = END;
    return { bytes, fixedBytes: this.fixedBytes };
  }
}
