/**
 * A worker thread of `whoreset events --jobs`: reads one task (a file, or a byte range of a big
 * splittable one) at a time and posts its events' bytes in chunks, each chunk's memory transferred
 * (event-task.ts taskRunner; the main thread writes the pieces in order, event-pool.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { taskRunner, type EventWorkerData, type EventWorkerRequest } from './event-task.js';
import { useDeclaredFormats } from '../parse/formats.js';

const port = parentPort!;
useDeclaredFormats((workerData as EventWorkerData).declared ?? []);
const handle = taskRunner(workerData as EventWorkerData, (message, transfer) => port.postMessage(message, transfer));
port.on('message', (request: EventWorkerRequest) => handle(request));
