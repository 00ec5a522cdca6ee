/**
 * A worker thread of `--jobs`: runs one task at a time (task.ts taskRunner) and posts what comes of
 * it, a partial or its events' bytes in chunks, each chunk's memory transferred (pool.ts puts the
 * pieces in order).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runnerContext, taskRunner, type RunnerRequest, type RunnerSetup } from './task.js';

const port = parentPort!;
// The user's declared formats come with the setup, so that the tasks' format indexes name the same formats here.
const handle = taskRunner(runnerContext(workerData as RunnerSetup), (message, transfer) => port.postMessage(message, transfer));
port.on('message', (request: RunnerRequest) => handle(request));
