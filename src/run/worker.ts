/**
 * A worker thread of `--jobs`: runs one task at a time (task.ts taskRunner) and posts what comes of
 * it, a partial or its events' bytes in chunks, each chunk's memory transferred (pool.ts puts the
 * pieces in order).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useDeclaredFormats } from '../parse/formats.js';
import { taskRunner, type RunnerRequest, type RunnerSetup } from './task.js';

const port = parentPort!;
const setup = workerData as RunnerSetup;
// The user's declared formats, so that the tasks' format indexes name the same formats here.
useDeclaredFormats(setup.declared);
const handle = taskRunner(setup, (message, transfer) => port.postMessage(message, transfer));
port.on('message', (request: RunnerRequest) => handle(request));
