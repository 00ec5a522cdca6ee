#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
// Before anything is loaded: V8 grows the heap less far past what is live (a long job's peak RSS
// on 100 MiB: 158 -> 133 MB server-heavy, 175 -> 142 MB client-heavy, at about the same speed).
// Measured again with the client-heavy shape (interleaved, default --jobs): 125-130 MB against
// 150-158 MB without it, for 0.3-0.4 s more CPU (10 %); server-heavy 119-124 against 148 MB, CPU
// the same within noise. At runtime only GC policy flags take: semi-space sizes are fixed at start.
setFlagsFromString('--optimize-for-size');
const { run } = await import('./run.js');
process.exitCode = await run(process.argv.slice(2));
