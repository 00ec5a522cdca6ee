// AssemblyScript, imported by the compiled readers (core/python-log.ts, core/access-log.ts, core/error-log.ts, core/records.ts).

/**
 * Bytes of memory a reader keeps past its lines: findByte reads sixteen bytes at a time, up to 15
 * past the end it is given.
 */
export const SLACK: i32 = 16;

/** Where `byte` first occurs from `from` on, before `end`; `end` if nowhere. Sixteen bytes at a time (SIMD). */
@inline export function findByte(byte: i32, from: i32, end: i32): i32 {
  const pattern = i8x16.splat(<i8>byte);
  for (let i = from; i < end; i += 16) {
    const found = i8x16.bitmask(i8x16.eq(v128.load(<usize>i), pattern));
    if (found != 0) {
      const hit = i + ctz(found);
      return hit < end ? hit : end;
    }
  }
  return end;
}

/** findByte for a byte expected within a few: a loop costs less than the vector set-up. */
export function byteAt(byte: i32, from: i32, end: i32): i32 {
  for (let i = from; i < end; i++) if (<i32>load<u8>(<usize>i) == byte) return i;
  return end;
}

export function isAsciiLine(start: i32, end: i32): bool {
  for (let i = start; i < end; i++) if (load<u8>(<usize>i) >= 128) return false;
  return true;
}

/** Grows the module's memory to hold `to` bytes (the caller's views of it are then new). */
export function growMemory(to: usize): void {
  const need = <i32>((to + 65535) >>> 16);
  const have = memory.size();
  if (need > have) memory.grow(need - have);
}
