#!/usr/bin/env node
/**
 * The ceiling the benchmark measures whoreset against: read every file of a directory with
 * fs.createReadStream, split it into lines with split2, count them. Nothing else — any real
 * tool reading lines this way can at best match it (unless it reads files in parallel).
 *
 *   node dist/bench/ceiling.js <dir>
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import split2 from 'split2';

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    // A symbolic link counts as what it points to, as whoreset's discovery reads it.
    const kind = e.isSymbolicLink() ? statSync(p) : e;
    if (kind.isDirectory()) out.push(...filesUnder(p));
    else if (kind.isFile()) out.push(p);
  }
  return out.sort();
}

function countLines(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let n = 0;
    createReadStream(file)
      .on('error', reject)
      .pipe(split2())
      .on('data', () => {
        n++;
      })
      .on('end', () => resolve(n))
      .on('error', reject);
  });
}

async function main(dir: string | undefined): Promise<number> {
  if (!dir) {
    process.stderr.write('usage: node dist/bench/ceiling.js <dir>\n');
    return 2;
  }
  let lines = 0;
  let bytes = 0;
  const files = filesUnder(dir);
  for (const f of files) {
    lines += await countLines(f);
    bytes += statSync(f).size;
  }
  process.stdout.write(JSON.stringify({ files: files.length, lines, bytes }) + '\n');
  return 0;
}

process.exitCode = await main(process.argv[2]);
