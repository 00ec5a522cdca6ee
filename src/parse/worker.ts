/**
 * A worker thread of `--jobs`: reads one file (or one byte range of a big splittable file) at a
 * time through its format's parser into a fresh EvidenceCollector, and posts back the collector's
 * partial with the problems and the lines read. The main thread merges the partials in file order
 * (parallel.ts), so the result does not depend on which worker read which file, nor when.
 */
import { parentPort } from 'node:worker_threads';
import { EvidenceCollector } from '../correlate/collect.js';
import { FALLBACK_FORMAT, FORMATS } from './formats.js';
import type { InputProblem } from './parser.js';
import { scanFile } from './scan.js';
import type { FileTask, FileResult } from './parallel.js';

parentPort!.on('message', (task: FileTask) => {
  void (async () => {
    const collector = new EvidenceCollector();
    collector.useFailedPaths(task.failedPaths);
    if (task.fullKeys) collector.skipOrdinary(task.fullKeys);
    const problems: InputProblem[] = [];
    const file = { relative: task.relative, absolute: task.absolute, gzip: task.gzip, format: task.format === -1 ? undefined : FORMATS[task.format] };
    let invalidUtf8: [number, number] | undefined;
    try {
      const info = await scanFile(
        file,
        FALLBACK_FORMAT,
        (event) => collector.add(event),
        (problem) => problems.push(problem),
        undefined,
        { ordinary: collector.ordinaryLine.bind(collector), unremarkable: collector.unremarkableLine.bind(collector) },
        task.range ? { range: task.range, invalidUtf8: (lines, first) => (invalidUtf8 = [lines, first]) } : undefined,
      );
      const result: FileResult = { index: task.index, partial: collector.partial(), problems, lines: info.lines, streams: info.streams, invalidUtf8 };
      parentPort!.postMessage(result);
    } catch (error) {
      const result: FileResult = { index: task.index, error: (error as Error).stack ?? String(error), problems };
      parentPort!.postMessage(result);
    }
  })();
});
