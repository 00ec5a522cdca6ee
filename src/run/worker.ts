/**
 * A worker thread of `--jobs`: runs one task at a time (task.ts taskRunner) and posts what comes of
 * it, a partial or its events' bytes in chunks, each chunk's memory transferred (pool.ts puts the
 * pieces in order).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { takeParts } from './partial-parts.js';
import { runnerContext, taskRunner, type RunnerMessage, type RunnerRequest, type RunnerSetup } from './task.js';

const port = parentPort!;

/** Posts a message; a partial's long lists go ahead in parts, as a message is copied (partial-parts.ts says why). */
function post(message: RunnerMessage, transfer?: ArrayBuffer[]): void {
  if (message.kind === 'done' && message.partial) for (const part of takeParts(message.partial)) port.postMessage({ kind: 'part', task: message.task, part });
  port.postMessage(message, transfer);
}

// The user's declared formats come with the setup, so that the tasks' format indexes name the same formats here.
const handle = taskRunner(runnerContext(workerData as RunnerSetup), post);
port.on('message', (request: RunnerRequest) => handle(request));
