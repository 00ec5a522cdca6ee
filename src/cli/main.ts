#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { heapSizedAtStart, relaunch, relaunchPaysEarly } from './relaunch.js';
// Before anything is loaded: V8 grows the heap less far past what is live, for a tenth more CPU
// (100 MiB: peak RSS 125-133 MB against 150-158 MB without it). `events` holds only its output
// buffers, and the flag's 1 MB young generation cost it a third more time in collections: it goes
// without (its V8 code cache, made with the flag, is then rejected and the bundle compiled). A big
// analysis is relaunched with its heap sized at start instead (relaunch.ts).
const args = process.argv.slice(2);
const analysis = args.find((arg) => !arg.startsWith('-')) !== 'events';
// An input whose files alone are big enough is relaunched before the CLI is loaded (its load was half the relaunch's cost).
const relaunched = analysis && relaunchPaysEarly(args) ? relaunch() : undefined;
if (relaunched !== undefined) {
  process.exitCode = relaunched;
} else {
  if (analysis && !heapSizedAtStart()) {
    setFlagsFromString('--optimize-for-size');
    // The pool turns it off while a worker makes its heap (src/run/pool.ts, OPTIMIZE_FOR_SIZE: not imported here, before the flag).
    (globalThis as Record<symbol, unknown>)[Symbol.for('whoreset.optimize-for-size')] = true;
  }
  const { run } = await import('./run.js');
  process.exitCode = await run(args);
}
