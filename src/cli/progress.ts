/**
 * A progress line on stderr for a long run: only on a terminal (a CI log or a pipe gets none), only
 * after a second (a quick run shows nothing), rewritten in place and cleared at the end. The bytes
 * are what the process has read, all threads together (Linux's /proc/self/io `rchar`).
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

export function progressText(bytes: number | undefined, ms: number): string {
  const seconds = ms / 1000;
  if (bytes === undefined) return `whoreset: reading… ${seconds.toFixed(0)} s`;
  const mib = bytes / 1024 / 1024;
  return `whoreset: reading… ${mib.toFixed(1)} MiB in ${seconds.toFixed(0)} s (${(mib / Math.max(seconds, 0.001)).toFixed(1)} MiB/s)`;
}

/** Starts the line; the returned function stops it and clears what it wrote. */
export function startProgress(stream: NodeJS.WriteStream = process.stderr, quiet = false): () => void {
  if (quiet || !stream.isTTY) return () => {};
  const start = Date.now();
  const base = bytesRead();
  let shown = false;
  const tick = () => {
    const now = bytesRead();
    stream.write(`\r\x1b[K${progressText(now !== undefined && base !== undefined ? now - base : undefined, Date.now() - start)}`);
    shown = true;
  };
  let timer: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tick();
    timer = setInterval(tick, EVERY_MS);
    timer.unref();
  }, DELAY_MS);
  first.unref();
  return () => {
    clearTimeout(first);
    if (timer) clearInterval(timer);
    if (shown) stream.write('\r\x1b[K');
  };
}
