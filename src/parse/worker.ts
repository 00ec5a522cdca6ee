/** A worker thread of `--jobs`: runs the tasks it is sent (scan-task.ts) and posts back their results. */
import { parentPort } from 'node:worker_threads';
import type { FileTask } from './parallel.js';
import { scanTask } from './scan-task.js';

parentPort!.on('message', (task: FileTask) => {
  void scanTask(task).then((result) => parentPort!.postMessage(result));
});
