/**
 * Path keys told from bytes: a request line read from bytes (the parsers' byte path) learns which
 * of them its path is, if any, without a string made for its path.
 */
export class PathKeyBytes<T> {
  /** The keys' UTF-8 bytes with their values, by hash: a busy path shares its length with many failed ones (`/api/items/317`). */
  private readonly byHash = new Map<number, Array<{ bytes: Buffer; value: T }>>();

  constructor(entries: Iterable<[string, T]>) {
    for (const [key, value] of entries) {
      const bytes = Buffer.from(key, 'utf8');
      const hash = hashOf(bytes, 0, bytes.length);
      const same = this.byHash.get(hash);
      if (same) same.push({ bytes, value });
      else this.byHash.set(hash, [{ bytes, value }]);
    }
  }

  /**
   * The value of the path `bytes` holds from start to end (query and all), if its key (pathKey's:
   * the part before '?') is one of the keys. Bytes compare as the decoded texts would: a key
   * beyond ASCII matches no ASCII path, and the byte path offers only ASCII lines.
   */
  find(bytes: Uint8Array, start: number, end: number): T | undefined {
    let keyEnd = start;
    while (keyEnd < end && bytes[keyEnd] !== 63 /* ? */) keyEnd++;
    const same = this.byHash.get(hashOf(bytes, start, keyEnd));
    if (same === undefined) return undefined;
    for (const { bytes: known, value } of same) if (known.length === keyEnd - start && equalAt(bytes, start, known)) return value;
    return undefined;
  }
}

/** FNV-1a of the bytes from start to end: a few operations per byte, no string. */
function hashOf(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash;
}

function equalAt(bytes: Uint8Array, start: number, known: Buffer): boolean {
  for (let i = 0; i < known.length; i++) if (bytes[start + i] !== known[i]) return false;
  return true;
}
