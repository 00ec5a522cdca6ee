import { open } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import type { FormatParser } from '../parse/parser.js';
import { cleanLine } from '../read/clean.js';
import { unwrapCiPrefix } from '../read/ci-prefix.js';
import { decodeHead, looksBinary } from '../read/encoding.js';
import { describeReadError } from '../read/lines.js';

const HEAD_BYTES = 64 * 1024;
const HEAD_LINES = 100;
/** Names of code, configuration and documentation files: never read as logs. */
const NOT_A_LOG = /\.(?:py|pyc|js|mjs|cjs|ts|java|go|rs|rb|c|h|cc|cpp|sh|ya?ml|toml|ini|cfg|conf|html?|css|md)$/i;
/** Below this score a format's claim is too weak to trust. */
export const MIN_SCORE = 0.2;

export type Detection =
  | { status: 'format'; format: FormatParser; gzip: boolean; score: number }
  | { status: 'unclaimed'; gzip: boolean; reason: string }
  /** `document`: a file of a kind that is never a log (code, configuration, a JSON or XML document), not a problem to report. */
  | { status: 'skipped'; reason: string; document?: boolean };

/** Reads the first bytes of a file (decompressed when gzip), enough to recognise its format; `held`: its bytes in memory. */
async function readHead(absolute: string, held: Buffer | undefined): Promise<{ head: Buffer; gzip: boolean; complete: boolean }> {
  const handle = held ? undefined : await open(absolute, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const bytesRead = held ? held.copy(buffer, 0, 0, HEAD_BYTES) : (await handle!.read(buffer, 0, HEAD_BYTES, 0)).bytesRead;
    const raw = buffer.subarray(0, bytesRead);
    const gzip = raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b;
    if (!gzip) return { head: raw, gzip, complete: bytesRead < HEAD_BYTES };
    // A partial gzip member: flush what inflates instead of failing on the cut.
    const head = gunzipSync(raw, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, HEAD_BYTES);
    return { head, gzip, complete: false };
  } finally {
    await handle?.close();
  }
}

/** The format that claims these lines most surely, if any claims them surely enough. */
export function bestFormat(
  firstLines: readonly string[],
  fileName: string,
  formats: readonly FormatParser[],
): { format: FormatParser; score: number } | undefined {
  let best: { format: FormatParser; score: number } | undefined;
  for (const format of formats) {
    const score = format.detect(firstLines, fileName);
    if (score > (best?.score ?? MIN_SCORE)) best = { format, score };
  }
  return best;
}

/** Decides a file's format from its content; the name is passed to formats only as a hint. */
export async function detectFormat(
  absolute: string,
  fileName: string,
  formats: readonly FormatParser[],
  /** The file's bytes when they are held in memory (an archive's entry, stdin). */
  held?: Buffer,
): Promise<Detection> {
  let head: Buffer;
  let gzip: boolean;
  let complete: boolean;
  try {
    ({ head, gzip, complete } = await readHead(absolute, held));
  } catch (error) {
    return { status: 'skipped', reason: `unreadable (${describeReadError(error)})` };
  }
  if (head.length === 0) return { status: 'skipped', reason: 'empty' };
  if (looksBinary(head)) return { status: 'skipped', reason: 'binary content' };
  // As the reader will see it: UTF-16 decoded, the BOM and NUL bytes left out, lone CRs line ends.
  let text = decodeHead(head);
  if (!text.includes('\n')) text = text.replaceAll('\r', '\n');
  const lines = text.split('\n');
  if (!complete && lines.length > 1) lines.pop(); // the last line may be cut by the head's end
  const firstLines: string[] = [];
  for (const raw of lines) {
    const text = unwrapCiPrefix(cleanLine(raw)).text;
    if (text.trim() !== '') firstLines.push(text);
    if (firstLines.length === HEAD_LINES) break;
  }
  // Code, configuration and documentation quote failure texts ("except ConnectionResetError:"), and
  // so does a pretty-printed JSON document (a report, expected results): none is a log. JSON-lines
  // logs (Envoy) start with a whole object on the first line, so they are not caught here.
  if (NOT_A_LOG.test(fileName)) {
    // A server's configuration is read for what it promises (keep-alive timeouts), known by its content.
    const config = bestFormat(firstLines, fileName, formats.filter((format) => format.source === 'server-config'));
    if (config) return { status: 'format', format: config.format, gzip, score: config.score };
    return { status: 'skipped', reason: 'source code, configuration or documentation, not a log', document: true };
  }
  const first = firstLines[0]?.trim();
  if (first === '{' || first === '[') return { status: 'skipped', reason: 'a JSON document, not a log', document: true };
  const best = bestFormat(firstLines, fileName, formats);
  if (best) return { status: 'format', format: best.format, gzip, score: best.score };
  // An XML document no format claimed (JUnit reports are claimed above).
  if (first?.startsWith('<?xml')) return { status: 'skipped', reason: 'an XML document, not a log', document: true };
  return { status: 'unclaimed', gzip, reason: 'no known format in its first lines' };
}
