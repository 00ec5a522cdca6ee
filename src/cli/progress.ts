/**
 * A progress line on stderr for a long run: only on a terminal (a CI log or a pipe gets none), only
 * after a second (a quick run shows nothing), rewritten in place and cleared at the end. The bytes
 * are what the process has read, all threads together (Linux's /proc/self/io `rchar`), against the
 * files' total once discovery has found them.
 */
import { readFileSync } from 'node:fs';

const DELAY_MS = 1000;
const EVERY_MS = 250;

/** Bytes read by this process so far, or undefined where the system does not say. */
function bytesRead(): number | undefined {
  try {
    const m = /^rchar:\s*(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** What discovery found: the files to read and their bytes. */
export interface Found {
  files: number;
  bytes: number;
}

export function progressText(bytes: number | undefined, ms: number, found?: Found): string {
  const seconds = ms / 1000;
  const of = found ? ` ${found.files} file${found.files === 1 ? '' : 's'} (${(found.bytes / 1024 / 1024).toFixed(1)} MiB):` : '';
  if (bytes === undefined) return `whoreset: reading…${of} ${seconds.toFixed(0)} s`;
  const mib = bytes / 1024 / 1024;
  return `whoreset: reading…${of} ${mib.toFixed(1)} MiB in ${seconds.toFixed(0)} s (${(mib / Math.max(seconds, 0.001)).toFixed(1)} MiB/s)`;
}

export interface Progress {
  /** Discovery is done: the line names the files and their total from now on (undefined when no line is shown, so nobody adds the sizes up). */
  found?: (found: Found) => void;
  /** Stops the line and clears what it wrote. */
  stop(): void;
}

/** Starts the line (nothing on a pipe or with --quiet). */
export function startProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): Progress {
  if (quiet || !stream.isTTY) return { stop: () => {} };
  const start = Date.now();
  const base = bytesRead();
  let shown = false;
  let found: Found | undefined;
  const tick = () => {
    const now = bytesRead();
    stream.write(`\r\x1b[K${progressText(now !== undefined && base !== undefined ? now - base : undefined, Date.now() - start, found)}`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tick();
    timer = setInterval(tick, EVERY_MS);
    timer.unref();
  }, DELAY_MS);
  first.unref();
  return {
    found: (what) => (found = what),
    stop: () => {
      clearTimeout(first);
      if (timer) clearInterval(timer);
      if (shown) stream.write('\r\x1b[K');
    },
  };
}
