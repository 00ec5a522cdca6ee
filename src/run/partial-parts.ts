/**
 * A collector's partial crosses from a worker thread as several messages (worker.ts): its long
 * lists and maps go ahead in parts of PART_ITEMS items, the done message carries the rest, and the
 * pool joins them (pool.ts). The main thread's own runner posts its partial whole: nothing is copied.
 *
 * Why: a message's copy is one block from glibc's malloc, freed once the main thread has read it.
 * Freeing a block that malloc had mapped on its own (over 128 KiB) raises malloc's mmap threshold to
 * that block's size, up to 32 MiB, and its trim threshold to twice that, for the whole process: the
 * 8 MiB partial of a client-heavy 1 GiB job's pytest output left every arena keeping up to 16 MiB
 * it had freed. Parts of about 100–200 KB keep the threshold near the reader's own blocks' (256 KiB).
 */
import type { CollectorPartial } from '../correlate/collect.js';

/** Items of a list (or entries of a map) in one part: an event is about 0.5 KB in a message, a map's entry about 1 KB. */
export const PART_ITEMS = 200;

type Field = keyof CollectorPartial;

/** The next items of a list field, of a map field's list value (`key`), or the next entries of a map field. */
export type PartialPart = { field: Field; items: unknown[] } | { field: Field; key: unknown; items: unknown[] } | { field: Field; entries: Array<[unknown, unknown]> };

/**
 * Takes the leading items of the partial's long lists and maps out of it, as parts (in order); what
 * stays is at most PART_ITEMS of each. The partial is the caller's to give away: its maps are changed.
 */
export function takeParts(partial: CollectorPartial): PartialPart[] {
  const parts: PartialPart[] = [];
  const fields = partial as unknown as Record<Field, unknown>;
  for (const field of Object.keys(partial) as Field[]) {
    const value = fields[field];
    if (Array.isArray(value)) {
      for (const items of leadingSlices(value)) parts.push({ field, items });
      fields[field] = value.slice(value.length - tailLength(value.length));
    } else if (value instanceof Map) {
      for (const [key, list] of value) {
        if (!Array.isArray(list)) continue;
        for (const items of leadingSlices(list)) parts.push({ field, key, items });
        value.set(key, list.slice(list.length - tailLength(list.length)));
      }
      for (const slice of leadingSlices([...value])) {
        parts.push({ field, entries: slice });
        for (const [key] of slice) value.delete(key);
      }
    }
  }
  return parts;
}

/** The partial as it was before takeParts(), from its parts and what the done message carried. */
export function joinParts(parts: readonly PartialPart[], rest: CollectorPartial): CollectorPartial {
  if (parts.length === 0) return rest;
  const fields = rest as unknown as Record<Field, unknown>;
  const lists = new Map<Field, unknown[]>();
  const entries = new Map<Field, Array<[unknown, unknown]>>();
  const keyed = new Map<Field, Map<unknown, unknown[]>>();
  for (const part of parts) {
    if ('entries' in part) push(entries, part.field, part.entries);
    else if ('key' in part) push(keyed.get(part.field) ?? keyed.set(part.field, new Map()).get(part.field)!, part.key, part.items);
    else push(lists, part.field, part.items);
  }
  for (const [field, items] of lists) fields[field] = items.concat(fields[field] as unknown[]);
  // A map's entries first: a list value's leading items are then prepended wherever its entry came.
  for (const [field, leading] of entries) fields[field] = new Map([...leading, ...(fields[field] as Map<unknown, unknown>)]);
  for (const [field, byKey] of keyed) {
    const map = fields[field] as Map<unknown, unknown[]>;
    for (const [key, items] of byKey) map.set(key, items.concat(map.get(key)!));
  }
  return rest;
}

/** The number of items left in the done message: the last part's worth (1 to PART_ITEMS), or none of an empty list. */
function tailLength(length: number): number {
  return length === 0 ? 0 : ((length - 1) % PART_ITEMS) + 1;
}

function leadingSlices<T>(list: readonly T[]): T[][] {
  const slices: T[][] = [];
  for (let at = 0; at < list.length - tailLength(list.length); at += PART_ITEMS) slices.push(list.slice(at, at + PART_ITEMS));
  return slices;
}

function push<K, T>(map: Map<K, T[]>, key: K, items: readonly T[]): void {
  const list = map.get(key);
  if (list) list.push(...items);
  else map.set(key, [...items]);
}
