/**
 * Batches small writes into large ones: one syscall per 64 KiB instead of one per event.
 * Writes to a file or pipe are synchronous on Linux, so memory stays bounded without backpressure.
 */
export class BufferedOutput {
  private pending: string[] = [];
  private size = 0;
  constructor(
    private readonly write: (chunk: string) => void,
    private readonly limit = 64 * 1024,
  ) {}

  push(text: string): void {
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= this.limit) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    this.write(this.pending.join(''));
    this.pending = [];
    this.size = 0;
  }
}
