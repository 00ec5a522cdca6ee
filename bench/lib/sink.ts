import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Flush threshold: large writes keep generation I/O-cheap (one syscall per MiB, not per line). */
const FLUSH_AT = 1 << 20;

/**
 * An append-only file written in large synchronous chunks. Generated text is ASCII, so the
 * string length is the byte count.
 */
export class Sink {
  private fd: number;
  private pending = '';
  /** Bytes handed to this sink so far (written or pending). */
  bytes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.pending += text;
    this.bytes += text.length;
    if (this.pending.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending, null, 'latin1');
    this.pending = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
