/**
 * One task of `--jobs`: a file (or one byte range of a big splittable file) read through its
 * format's parser into a fresh EvidenceCollector; the result is the collector's partial with the
 * problems and the lines read. Run by a worker thread (worker.ts) or by the main thread itself
 * (parallel.ts): the main thread merges the partials in file order either way, so the result does
 * not depend on who read which file, nor when.
 */
import { EvidenceCollector, type CollectorPartial } from '../correlate/collect.js';
import type { JoinWindowsInput } from '../correlate/windows.js';
import { FORMATS } from '../parse/formats.js';
import type { InputProblem } from '../model/problem.js';
import { scanFile } from './scan.js';

export interface FileTask {
  index: number;
  relative: string;
  absolute: string;
  gzip: boolean;
  /** Index into FORMATS; -1: unclaimed, the fallback reads it. */
  format: number;
  failedPaths: string[];
  /** The far side: the incidents' windows, to keep only the requests they can join. */
  windows?: JoinWindowsInput;
  /** Only these bytes (end exclusive), cut at line starts; its lines are numbered from 1. */
  range?: { start: number; end: number };
}

export type FileResult = { index: number; problems: InputProblem[] } & (
  | { partial: CollectorPartial; lines: number; streams: boolean; invalidUtf8: [number, number] | undefined }
  | { error: string }
);

export async function scanTask(task: FileTask): Promise<FileResult> {
  const collector = new EvidenceCollector();
  collector.useFailedPaths(task.failedPaths);
  if (task.windows) collector.useWindows(task.windows);
  const problems: InputProblem[] = [];
  const file = { relative: task.relative, absolute: task.absolute, gzip: task.gzip, format: task.format === -1 ? undefined : FORMATS[task.format] };
  let invalidUtf8: [number, number] | undefined;
  try {
    const info = await scanFile(file, {
      onEvent: (event) => collector.add(event),
      onProblem: (problem) => problems.push(problem),
      fast: { ordinary: collector.ordinaryLine.bind(collector), unremarkable: collector.unremarkableLine.bind(collector) },
      part: task.range ? { range: task.range, invalidUtf8: (lines, first) => (invalidUtf8 = [lines, first]) } : undefined,
    });
    return { index: task.index, partial: collector.partial(), problems, lines: info.lines, streams: info.streams, invalidUtf8 };
  } catch (error) {
    return { index: task.index, error: (error as Error).stack ?? String(error), problems };
  }
}
