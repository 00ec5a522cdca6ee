/**
 * CI artifacts as they are downloaded: a zip (GitHub Actions' job logs), a tar or tar.gz, read
 * entry by entry into memory, never unpacked to disk. yauzl reads a zip from its central directory
 * (random access, entry sizes checked against their headers); tar-stream parses a tar as a stream.
 * Both are small, long-kept, dependency-light libraries that do only this.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { extract } from 'tar-stream';
import yauzl from 'yauzl';
import { maxDecompressedBytes } from './lines.js';

export interface ArchiveEntry {
  /** Its path inside the archive, forward slashes, no leading `./` or `/`. */
  name: string;
  bytes: Buffer;
}

export type ArchiveKind = 'zip' | 'tar' | 'tar.gz';

/** What kind of archive a file is, by its first bytes (a name can lie): zip's `PK\3\4`, tar's `ustar` at 257, gzip's 1f 8b around a tar. */
export async function archiveKind(file: string): Promise<ArchiveKind | undefined> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(512);
    const { bytesRead } = await handle.read(head, 0, 512, 0);
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    if (bytesRead >= 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip'; // an empty zip: its end record alone
    if (bytesRead >= 262 && head.toString('latin1', 257, 262) === 'ustar') return 'tar';
    // A .gz is a tar only when its name says so: a single gzipped log is read as a log.
    if (bytesRead >= 2 && head[0] === 0x1f && head[1] === 0x8b && /\.(?:tar\.gz|tgz)$/i.test(file)) return 'tar.gz';
    return undefined;
  } finally {
    await handle.close();
  }
}

/** An entry's name as a relative path: `\` as `/`, no leading `./` or `/`; undefined for a name that climbs out (`..`). */
export function entryName(raw: string): string | undefined {
  const name = path.posix.normalize(raw.replace(/\\/g, '/')).replace(/^(?:\.\/|\/)+/, '');
  return name === '' || name === '.' || name.startsWith('../') || name === '..' ? undefined : name;
}

/** Raised with what an archive could not give: the run stops with it (exit 2). */
export class ArchiveError extends Error {}

/** Collects a stream up to `budget.left` bytes; past it, the archive is refused (a bomb, or more than memory should hold). */
async function collect(stream: AsyncIterable<Buffer> & { destroy(): unknown }, name: string, budget: { left: number }): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    budget.left -= chunk.length;
    if (budget.left < 0) {
      stream.destroy();
      throw new ArchiveError(`${name}: the archive holds more than ${maxDecompressedBytes() / 1024 / 1024} MiB of logs (--max-decompressed raises the limit)`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Every regular file of the archive; folders, links and devices are left out. */
export async function readArchive(file: string, kind: ArchiveKind): Promise<ArchiveEntry[]> {
  const budget = { left: maxDecompressedBytes() };
  const entries = kind === 'zip' ? await readZip(file, budget) : await readTar(file, kind === 'tar.gz', budget);
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

async function readTar(file: string, gzip: boolean, budget: { left: number }): Promise<ArchiveEntry[]> {
  const parser = extract();
  const input = createReadStream(file);
  const source = gzip ? input.pipe(createGunzip()) : input;
  source.on('error', (error: Error) => parser.destroy(error));
  source.pipe(parser);
  const out: ArchiveEntry[] = [];
  for await (const entry of parser) {
    const name = entryName(entry.header.name);
    if (entry.header.type === 'file' && name !== undefined) out.push({ name, bytes: await collect(entry as AsyncIterable<Buffer> & { destroy(): unknown }, name, budget) });
    else entry.resume();
  }
  return out;
}

/** S_IFMT of a zip entry's Unix mode: links (0o120000) are not followed. */
const isLink = (entry: yauzl.Entry) => ((entry.externalFileAttributes >>> 16) & 0o170000) === 0o120000;

function readZip(file: string, budget: { left: number }): Promise<ArchiveEntry[]> {
  return new Promise((resolve, reject) => {
    // strictFileNames off: a name with `\` is read as a path; names that climb out are left out below.
    yauzl.open(file, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true, strictFileNames: false }, (error, zip) => {
      if (error || !zip) return reject(new ArchiveError(`${file}: not a readable zip (${error?.message ?? 'no entries'})`));
      const out: ArchiveEntry[] = [];
      const fail = (e: Error) => {
        zip.close();
        reject(e instanceof ArchiveError ? e : new ArchiveError(`${file}: ${e.message}`));
      };
      zip.on('error', fail);
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entryName(entry.fileName);
        if (name === undefined || entry.fileName.endsWith('/') || isLink(entry)) return zip.readEntry();
        zip.openReadStream(entry, (openError, stream) => {
          if (openError || !stream) return fail(openError ?? new Error(`${name}: cannot be read`));
          collect(stream, name, budget).then((bytes) => {
            out.push({ name, bytes });
            zip.readEntry();
          }, fail);
        });
      });
      zip.readEntry();
    });
  });
}

/** stdin whole, up to the decompressed limit: one stream is one log file. */
export async function readStdin(stream: Readable = process.stdin): Promise<Buffer> {
  return collect(stream, 'standard input', { left: maxDecompressedBytes() });
}
