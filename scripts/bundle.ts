/**
 * Build step (`npm run build`, last): makes the bin that users run, dist/src/bundle/, with
 * esbuild from the compiled modules. A small job's start-up was mostly Node resolving and V8
 * compiling some 140 modules. Here:
 * - run.cjs: the CLI's modules as one CommonJS bundle, and run.cjs.cache, the code V8 compiled
 *   for it while it analysed a bundled sample (then a second run checks V8 takes it). The bin compiles the bundle from that cache
 *   (src/cli/cached-run.ts); what a run does not use is still only evaluated when imported. V8
 *   takes a cache only under the flags it was made with, so the relaunched big job and `events`
 *   have theirs (run.cjs.big-job.cache, run.cjs.events.cache).
 * - main.js: the bin, src/cli/main.ts with cached-run.js as its run.js.
 * - worker.js: the worker, an ES module bundle (pool.ts starts it beside the bundle).
 * The bin's output is the modules' output: test/cli/bundle.test.ts runs both.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { BUILT_IN_RULES_STAMP } from '../src/attribute/load.js';
import { BIG_JOB_HEAP_FLAGS } from '../src/cli/relaunch.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DIST = path.join(REPO, 'dist/src');
/**
 * Three folders down from the package, as every compiled module is: the modules find the
 * package's rules/, formats/ and schemas/ at '../../../' from their own URL, the rules' stamp and
 * the worker beside it.
 */
const BUNDLE_DIR = path.join(DIST, 'bundle');
/** The run that the code cache is made from: the README's first example. */
const WARM_UP = ['samples/19-tz-shanghai', '--explain'];
/** The run that `events`' code cache is made from (Node's own flags: src/cli/main.ts). */
const EVENTS_WARM_UP = ['events', 'samples/19-tz-shanghai', '--format', 'ndjson'];

/**
 * The packages a plain run loads (its options, the walk, the table): bundled. Every other package
 * is loaded from node_modules as the modules load it, where it finds its own files (yargs its
 * translations, beside its code).
 */
const BUNDLED_PACKAGES: ReadonlySet<string> = new Set(['cli-table3', 'fast-glob', 'picomatch', 'yargs-parser']);

/** Leaves a package that our code imports outside the bundle unless it is one of BUNDLED_PACKAGES (what they import comes with them). */
const otherPackagesOutside: Plugin = {
  name: 'other-packages-outside',
  setup(bundle) {
    bundle.onResolve({ filter: /^[^./]/ }, ({ path: specifier, importer }) => {
      if (importer.split(path.sep).includes('node_modules')) return undefined;
      const name = specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');
      return BUNDLED_PACKAGES.has(name) ? undefined : { external: true };
    });
  },
};

/** An import() of a package outside the bundle: in run.cjs, through bundleImport (src/cli/cached-run.ts). */
const IMPORT_OF_PACKAGE = /\bimport\((['"])([^./'"][^'"]*)\1\)/g;

const importThroughBin: Plugin = {
  name: 'import-through-bin',
  setup(bundle) {
    bundle.onLoad({ filter: /\.js$/ }, ({ path: file }) => {
      if (!file.startsWith(DIST + path.sep)) return undefined;
      return { contents: readFileSync(file, 'utf8').replace(IMPORT_OF_PACKAGE, 'bundleImport($1$2$1)'), loader: 'js' };
    });
  },
};

/** The bin's run.js is cached-run.js, which loads the CommonJS bundle. */
const runFromCache: Plugin = {
  name: 'run-from-cache',
  setup(bundle) {
    bundle.onResolve({ filter: /^\.\/run\.js$/ }, ({ importer }) => (importer === path.join(DIST, 'cli/main.js') ? { path: path.join(DIST, 'cli/cached-run.js') } : undefined));
  },
};

// The CommonJS packages bundled in (fast-glob, cli-table3, ...) require Node's own modules: an ES module has no require of its own.
const ESM_REQUIRE = "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);";
const COMMON: BuildOptions = { bundle: true, platform: 'node', target: 'node20', logLevel: 'warning' };

rmSync(BUNDLE_DIR, { recursive: true, force: true });
await build({
  ...COMMON,
  entryPoints: [path.join(DIST, 'cli/run.js')],
  outfile: path.join(BUNDLE_DIR, 'run.cjs'),
  format: 'cjs',
  plugins: [otherPackagesOutside, importThroughBin],
  // The modules are ES modules: strict, and each finds its files from its own URL, here the bundle's.
  define: { 'import.meta.url': 'bundleUrl' },
  banner: { js: "'use strict';\nconst bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
await build({
  ...COMMON,
  entryPoints: { main: path.join(DIST, 'cli/main.js'), worker: path.join(DIST, 'run/worker.js') },
  outdir: BUNDLE_DIR,
  format: 'esm',
  plugins: [runFromCache, otherPackagesOutside],
  banner: { js: ESM_REQUIRE },
});
// V8 holds a script with one character past Latin-1 (a Chinese errno text in a regex) at two bytes a character, in every thread: escaped, run.cjs is 1.2 MB of heap, not 2.3.
for (const bundle of ['run.cjs', 'worker.js']) {
  const file = path.join(BUNDLE_DIR, bundle);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
copyFileSync(BUILT_IN_RULES_STAMP, path.join(BUNDLE_DIR, path.basename(BUILT_IN_RULES_STAMP)));
const bin = path.join(BUNDLE_DIR, 'main.js');
chmodSync(bin, 0o755);
// The bin before the bundle: an npx cache made then still links it (npx keys its cache by folder), and must not get "Permission denied".
chmodSync(path.join(DIST, 'cli/main.js'), 0o755);
// One cache for a plain start, one for the relaunched big job's flags, one for `events` (cached-run.ts picks).
for (const [flags, warmUp] of [[[], WARM_UP], [BIG_JOB_HEAP_FLAGS, WARM_UP], [[], EVENTS_WARM_UP]] as const) {
  for (const mode of ['write', 'check']) execFileSync(process.execPath, [...flags, bin, ...warmUp], { cwd: REPO, env: { ...process.env, WHORESET_CODE_CACHE: mode }, stdio: ['ignore', 'pipe', 'inherit'] });
}
