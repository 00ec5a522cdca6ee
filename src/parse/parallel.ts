/**
 * `--jobs N`: independent files parsed in worker threads. Each worker runs the same per-file scan
 * and collector logic as the main thread would, and returns a compact partial (kept events, counts
 * per second, the clock sample, presence bitmaps, problems); the caller merges them **in file
 * order**, so the output is byte-identical whatever N is.
 */
import { Worker } from 'node:worker_threads';
import type { CollectorPartial } from '../correlate/collect.js';
import type { LogFile } from '../discover/discover.js';
import { FORMATS } from './formats.js';
import type { InputProblem } from './parser.js';

export interface FileTask {
  index: number;
  relative: string;
  absolute: string;
  gzip: boolean;
  /** Index into FORMATS; -1: unclaimed, the fallback reads it. */
  format: number;
  failedPaths: string[];
}

export type FileResult = { index: number; problems: InputProblem[] } & ({ partial: CollectorPartial } | { error: string });

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly waiting: Array<(worker: Worker) => void> = [];

  constructor(size: number) {
    for (let i = 0; i < size; i++) {
      const worker = new Worker(new URL('./worker.js', import.meta.url));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  private acquire(): Promise<Worker> {
    const worker = this.idle.pop();
    return worker ? Promise.resolve(worker) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  private async run(task: FileTask): Promise<FileResult> {
    const worker = await this.acquire();
    try {
      return await new Promise<FileResult>((resolve, reject) => {
        const onMessage = (result: FileResult) => {
          worker.off('error', onError);
          resolve(result);
        };
        const onError = (error: Error) => {
          worker.off('message', onMessage);
          reject(error);
        };
        worker.once('message', onMessage);
        worker.once('error', onError);
        worker.postMessage(task);
      });
    } finally {
      this.release(worker);
    }
  }

  /**
   * Scans the files in the workers, biggest first (the longest file starts at once), and hands
   * each file's partial to `merge` in the given file order, as soon as the files before it are in.
   */
  async scan(files: readonly LogFile[], sizes: readonly number[], failedPaths: string[], merge: (partial: CollectorPartial, problems: InputProblem[]) => void): Promise<void> {
    const results: Array<FileResult | undefined> = new Array(files.length);
    let next = 0;
    const flush = () => {
      while (next < files.length && results[next] !== undefined) {
        const result = results[next]!;
        results[next] = undefined;
        next++;
        if ('error' in result) throw new Error(`reading ${files[next - 1]!.relative}: ${result.error}`);
        merge(result.partial, result.problems);
      }
    };
    const order = files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
    await Promise.all(
      order.map(async (index) => {
        const file = files[index]!;
        results[index] = await this.run({
          index,
          relative: file.relative,
          absolute: file.absolute,
          gzip: file.gzip,
          format: file.format ? FORMATS.indexOf(file.format) : -1,
          failedPaths,
        });
        flush();
      }),
    );
    flush();
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((worker) => worker.terminate()));
  }
}
