/**
 * Text as it is written, made UTF-8 with LF line ends before lines are cut: UTF-16 (Windows
 * PowerShell's `>` writes UTF-16 LE with a BOM; without one, every other byte of ASCII text is NUL),
 * a UTF-8 BOM (which would stick to the first record), and lone CR line ends (classic Mac files,
 * some Windows tools), which would make the whole file one line.
 */
import { StringDecoder } from 'node:string_decoder';

export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface TextShape {
  encoding: TextEncoding;
  /** Bytes of byte-order mark at the start. */
  bom: number;
}

/** Bytes of the head looked at for the NUL pattern of BOM-less UTF-16. */
const SNIFF_BYTES = 4096;

/** The encoding of a file from its first bytes. */
export function sniffEncoding(head: Uint8Array): TextShape {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  // ASCII text in UTF-16 has a NUL in every other byte and none in the others; a run of NULs (a
  // logrotate copytruncate hole) has them in both.
  const pairs = Math.floor(Math.min(head.length, SNIFF_BYTES) / 2);
  if (pairs < 8) return { encoding: 'utf8', bom: 0 };
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  if (oddNul > pairs * 0.4 && evenNul < pairs * 0.05) return { encoding: 'utf16le', bom: 0 };
  if (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) return { encoding: 'utf16be', bom: 0 };
  return { encoding: 'utf8', bom: 0 };
}

/** Decodes UTF-16 of either byte order, a chunk at a time (chunks may split a code unit). */
class Utf16Decoder {
  private readonly decoder = new StringDecoder('utf16le');
  private carry: number | undefined;
  constructor(private readonly bigEndian: boolean) {}
  write(chunk: Buffer): string {
    if (!this.bigEndian) return this.decoder.write(chunk);
    // Big endian: swap each byte pair into little endian, keeping an odd byte for the next chunk.
    const bytes = this.carry === undefined ? chunk : Buffer.concat([Buffer.of(this.carry), chunk]);
    const even = bytes.length & ~1;
    this.carry = even < bytes.length ? bytes[even] : undefined;
    const swapped = Buffer.from(bytes.subarray(0, even));
    swapped.swap16();
    return this.decoder.write(swapped);
  }
  end(): string {
    return this.decoder.end();
  }
}

/**
 * Turns a file's bytes into UTF-8 with LF line ends, a piece at a time. The shape is sniffed from the
 * first piece unless given (a byte range of a file: its own first bytes say nothing). A file whose
 * first piece holds a CR and no LF has lone-CR line ends: each CR becomes an LF.
 */
export class TextNormalizer {
  private shape: TextShape | undefined;
  private utf16: Utf16Decoder | undefined;
  private loneCr: boolean | undefined;
  constructor(shape?: TextShape) {
    this.shape = shape;
  }
  write(chunk: Buffer): Buffer {
    let bytes = chunk;
    if (!this.shape) {
      this.shape = sniffEncoding(bytes);
      bytes = bytes.subarray(this.shape.bom);
    }
    if (this.shape.encoding !== 'utf8') {
      this.utf16 ??= new Utf16Decoder(this.shape.encoding === 'utf16be');
      bytes = Buffer.from(this.utf16.write(bytes), 'utf8');
    }
    this.loneCr ??= bytes.includes(13) && !bytes.includes(10);
    if (this.loneCr) {
      bytes = Buffer.from(bytes);
      for (let at = bytes.indexOf(13); at !== -1; at = bytes.indexOf(13, at + 1)) bytes[at] = 10;
    }
    return bytes;
  }
  /** What a UTF-16 decoder still holds at the end. */
  end(): Buffer | undefined {
    return this.utf16 ? Buffer.from(this.utf16.end(), 'utf8') : undefined;
  }
}

/** The head of a file as text, decoded as the reader will decode it; NUL bytes left out. */
export function decodeHead(head: Buffer): string {
  const shape = sniffEncoding(head);
  const body = head.subarray(shape.bom);
  const text = shape.encoding === 'utf8' ? body.toString('utf8') : new Utf16Decoder(shape.encoding === 'utf16be').write(body);
  return text.includes('\0') ? text.replaceAll('\0', '') : text;
}

/**
 * Whether a head is binary rather than text: many control bytes besides NUL (a NUL run is a hole
 * that logrotate's copytruncate leaves, not binary), tab, line ends, form feed and ESC.
 */
export function looksBinary(head: Uint8Array): boolean {
  if (sniffEncoding(head).encoding !== 'utf8') return false;
  const n = Math.min(head.length, 8192);
  let text = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) continue;
    text++;
    if (b < 32 && b !== 9 && b !== 10 && b !== 12 && b !== 13 && b !== 27 && b !== 11) control++;
  }
  return control > text * 0.05;
}
