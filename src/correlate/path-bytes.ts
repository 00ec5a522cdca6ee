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
      const { hash } = hashUntilQuery(bytes, 0, bytes.length);
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
    const { hash, end: keyEnd } = hashUntilQuery(bytes, start, end, LAST);
    const same = this.byHash.get(hash);
    if (same === undefined) return undefined;
    for (const { bytes: known, value } of same) if (known.length === keyEnd - start && equalAt(bytes, start, known)) return value;
    return undefined;
  }
}

/** hashUntilQuery's result, reused by find(): no object per line. */
const LAST = { hash: 0, end: 0 };

/** FNV-1a of the bytes from start up to the first '?' (or end), and where it stopped: a few operations per byte, no string. */
function hashUntilQuery(bytes: Uint8Array, start: number, end: number, into = { hash: 0, end: 0 }): { hash: number; end: number } {
  let hash = 0x811c9dc5;
  let i = start;
  for (; i < end; i++) {
    const byte = bytes[i]!;
    if (byte === 63 /* ? */) break;
    hash = Math.imul(hash ^ byte, 0x01000193);
  }
  into.hash = hash;
  into.end = i;
  return into;
}

function equalAt(bytes: Uint8Array, start: number, known: Buffer): boolean {
  for (let i = 0; i < known.length; i++) if (bytes[start + i] !== known[i]) return false;
  return true;
}
