/** A worker thread of `--jobs`: runs the tasks it is sent (scan-task.ts) and posts back their results. */
import { parentPort, workerData } from 'node:worker_threads';
import type { DeclaredFormat } from '../parse/declared-format.js';
import { useDeclaredFormats } from '../parse/formats.js';
import { scanTask, type FileTask } from './scan-task.js';

// The user's declared formats, so that the tasks' format indexes name the same formats here.
useDeclaredFormats(workerData as DeclaredFormat[]);
parentPort!.on('message', (task: FileTask) => {
  void scanTask(task).then((result) => parentPort!.postMessage(result));
});
