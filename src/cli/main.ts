#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { heapSizedAtStart } from './relaunch.js';
// Before anything is loaded: V8 grows the heap less far past what is live, for a tenth more CPU
// (100 MiB: peak RSS 125-133 MB against 150-158 MB without it). `events` holds only its output
// buffers, and the flag's 1 MB young generation cost it a third more time in collections: it goes
// without (its V8 code cache, made with the flag, is then rejected and the bundle compiled). A big
// analysis is relaunched with its heap sized at start instead (relaunch.ts).
const args = process.argv.slice(2);
if (args.find((arg) => !arg.startsWith('-')) !== 'events' && !heapSizedAtStart()) {
  setFlagsFromString('--optimize-for-size');
  // The pool turns it off while a worker makes its heap (src/run/pool.ts, OPTIMIZE_FOR_SIZE: not imported here, before the flag).
  (globalThis as Record<symbol, unknown>)[Symbol.for('whoreset.optimize-for-size')] = true;
}
const { run } = await import('./run.js');
process.exitCode = await run(args);
