/**
 * What the compiled readers of core/ (WebAssembly) share: their module, compiled once per thread on
 * first use; readers kept for the next parser (a reader's memory, 300 KiB and more, stays until a
 * full collection); the lines of a block moved into their memory once per block (LineRun.block).
 */
import { readFileSync } from 'node:fs';

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
