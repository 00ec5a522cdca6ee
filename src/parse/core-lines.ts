/**
 * What the compiled readers of core/ (WebAssembly) share: their module, compiled once per thread on
 * first use; readers kept for the next parser (a reader's memory, 300 KiB and more, stays until a
 * full collection); the lines of a block moved into their memory once per block (LineRun.block).
 */
import { readFileSync } from 'node:fs';
import type { LineRun } from '../read/lines.js';
import type { RecordSink } from './parser.js';

const compiled = new Map<string, WebAssembly.Module>();

/** A new instance of dist/core/<name>.wasm: its own memory, for one parser at a time (CorePool). */
export function coreInstance<T>(name: string): T {
  let module = compiled.get(name);
  if (module === undefined) compiled.set(name, (module = new WebAssembly.Module(readFileSync(new URL(`../../core/${name}.wasm`, import.meta.url)))));
  return new WebAssembly.Instance(module, {}).exports as T;
}

/**
 * The lines of the block read last, in a core's memory from `base` on, and the driver's views of
 * that memory (what a run wrote back), made again whenever the memory has grown since the last hold:
 * a grown memory is a new buffer, and a view of the old one reads nothing.
 */
export class CoreLines<V> {
  private block = -1;
  private start = 0;
  /** Offset in memory minus offset in the caller's buffer, of the lines held. */
  shift = 0;
  /** The views, as of the last hold (runs read back only after one). */
  views!: V;
  private viewsOf: ArrayBuffer | undefined;

  constructor(
    private readonly memory: WebAssembly.Memory,
    /** Makes room for this many bytes of lines; returns where they go. */
    private readonly reserve: (bytes: number) => number,
    private readonly makeViews: (buffer: ArrayBuffer) => V,
  ) {}

  /** Moves the lines of `buf` from `at` to `end` into memory, unless this block's are there from `at` on. */
  hold(buf: Buffer, block: number, at: number, end: number): void {
    if (block !== this.block || at < this.start) {
      const base = this.reserve(end - at);
      new Uint8Array(this.memory.buffer, base, end - at).set(buf.subarray(at, end));
      this.block = block;
      this.start = at;
      this.shift = base - at;
    }
    // Also after growth outside a run (a driver's messages, paths): one object per growth, none per run.
    if (this.memory.buffer !== this.viewsOf) {
      this.viewsOf = this.memory.buffer;
      this.views = this.makeViews(this.viewsOf);
    }
  }

  /** The lines must be moved again (the memory they were in was given to something else). */
  forget(): void {
    this.block = -1;
  }
}

/** Readers a parser takes and gives back at its end, for the next: one or two per thread, not one per file or range. */
export class CorePool<T extends { reset(): void }> {
  private readonly free: T[] = [];
  constructor(private readonly make: () => T) {}

  take(): T {
    const reader = this.free.pop();
    if (reader === undefined) return this.make();
    reader.reset();
    return reader;
  }

  give(reader: T): void {
    this.free.push(reader);
  }
}

/** What a call of a reader's `records` wrote (core/records.ts tellRecords): the lines taken, whether it stopped for room only, the records. */
export interface ToldRecords {
  taken: number;
  full: boolean;
  written: Uint8Array;
}

/** The ToldRecords that tellRecords left at `at` of a core's memory. */
export function toldRecords(memory: ArrayBuffer, at: number): ToldRecords {
  const told = new Int32Array(memory, at, 4);
  return { taken: told[0]!, full: told[1] === 1, written: new Uint8Array(memory, told[3]!, told[2]!) };
}

/** A compiled reader that writes the records of the lines it takes from `at`, the first numbered `lineNumber`; returns where it stopped. */
export interface RecordReader {
  records(buf: Buffer, block: number, at: number, end: number, limit: number, ascii: boolean, lineNumber: number): number;
  /** What the last `records` wrote. */
  readonly told: ToldRecords;
}

/**
 * LineParser.run for a consumer of records: `reader` writes records from `run.at` on, called again
 * while it stops only for room, each call's records handed on in line order; `run` is left at the
 * line it stopped at.
 */
export function runRecords(reader: RecordReader, b: Buffer, end: number, limit: number, ascii: boolean, run: LineRun, sink: RecordSink): void {
  let at = run.at;
  let no = run.no;
  for (;;) {
    at = reader.records(b, run.block, at, end, limit, ascii, no + 1);
    const told = reader.told;
    no += told.taken;
    if (told.taken > 0) sink.write(told.written);
    if (!told.full) break;
  }
  run.at = at;
  run.no = no;
}
