/**
 * The bin's run.js (scripts/bundle.ts puts this module in its place): the whole CLI as one
 * CommonJS bundle beside the bin, compiled from the V8 code cache that the build made by running
 * a sample. Compiling the modules was a third of a small job's start-up. A cache that does not fit
 * (another Node or V8 flags) is rejected by V8, and the bundle is compiled as usual.
 */
import { closeSync, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { startedForBigJob } from './relaunch.js';

type Run = (argv: readonly string[]) => Promise<number>;

/**
 * Set by the build (scripts/bundle.ts): `write` keeps the code V8 compiled for this run as the
 * cache; `check` stops a run whose cache V8 rejected.
 */
const CACHE_MODE = process.env.WHORESET_CODE_CACHE;
const BUNDLE = fileURLToPath(new URL('./run.cjs', import.meta.url));
/** Whether the bin turned V8's --optimize-for-size on (src/cli/main.ts: every command but `events`, unless the heap was sized at start). */
const optimizedForSize = (globalThis as Record<symbol, unknown>)[Symbol.for('whoreset.optimize-for-size')] === true;
/**
 * V8 takes a cache only under the flags it was made with: one for the bin's usual flag, one for the
 * relaunched big job's (relaunch.ts), one for Node's own, as `events` runs.
 */
const CODE_CACHE = `${BUNDLE}${startedForBigJob() ? '.big-job' : optimizedForSize ? '' : '.events'}.cache`;

function codeCache(): Buffer | undefined {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

/**
 * The bundle's text (the build escapes it to ASCII), read in blocks under glibc's mmap threshold:
 * readFileSync reads UTF-8 into a string that doubles as it grows, and freeing its 2 MiB step
 * raised the threshold for the whole run (src/run/partial-parts.ts says what that costs).
 */
function readAscii(file: string): string {
  const block = Buffer.allocUnsafe(64 * 1024);
  const fd = openSync(file, 'r');
  let text = '';
  try {
    for (let n; (n = readSync(fd, block)) > 0; ) text += block.toString('latin1', 0, n);
  } finally {
    closeSync(fd);
  }
  return text;
}

/**
 * A CommonJS module's wrapper, and `bundleImport`: the bundle's import() of the packages left
 * outside it (yargs, an ES module). A script's own import() needs a callback that Node 20 has
 * behind --experimental-vm-modules, and that a code cache loses.
 */
const wrapped = `(function (exports, require, module, __filename, __dirname, bundleImport) {${readAscii(BUNDLE)}\n})`;
const script = new Script(wrapped, { filename: BUNDLE, cachedData: codeCache() });
if (CACHE_MODE === 'check' && script.cachedDataRejected !== false) throw new Error(`V8 did not take the code cache ${CODE_CACHE}`);
const bundle = { exports: {} as { run: Run } };
const bundleImport = (specifier: string): Promise<unknown> => import(specifier);
(script.runInThisContext() as (...args: unknown[]) => void).call(bundle.exports, bundle.exports, createRequire(BUNDLE), bundle, BUNDLE, path.dirname(BUNDLE), bundleImport);

export const run: Run = async (argv) => {
  const code = await bundle.exports.run(argv);
  if (CACHE_MODE === 'write') writeFileSync(CODE_CACHE, script.createCachedData());
  return code;
};
