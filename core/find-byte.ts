// AssemblyScript, imported by both compiled readers (core/python-log.ts, core/access-log.ts).

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
