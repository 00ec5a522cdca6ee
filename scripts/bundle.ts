/**
 * Build step (`npm run build`, last): bundles the compiled CLI and its worker with esbuild into
 * dist/src/bundle/, the bin that users run. A small job's run spent most of its start-up resolving
 * and compiling some 140 modules; the bundle loads a dozen files. It is split into chunks (ESM
 * `splitting`), so what the modules load lazily (yargs and the other commands, report formats,
 * archives) stays in chunks loaded only when a run needs them. Its output is the modules' output:
 * a test runs both on the samples.
 */
import { chmodSync, copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { BUILT_IN_RULES_STAMP } from '../src/attribute/load.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
/**
 * Three folders down from the package, as every compiled module is: the modules find the
 * package's rules/, formats/ and schemas/ at '../../../' from their own URL, the rules' stamp and
 * the worker beside it.
 */
const BUNDLE_DIR = path.join(REPO, 'dist/src/bundle');

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

rmSync(BUNDLE_DIR, { recursive: true, force: true });
await build({
  entryPoints: { main: path.join(REPO, 'dist/src/cli/main.js'), worker: path.join(REPO, 'dist/src/run/worker.js') },
  outdir: BUNDLE_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // The CommonJS packages bundled in (fast-glob, cli-table3, ...) require Node's own modules: an ES module has no require of its own.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
  plugins: [otherPackagesOutside],
  logLevel: 'warning',
});
copyFileSync(BUILT_IN_RULES_STAMP, path.join(BUNDLE_DIR, path.basename(BUILT_IN_RULES_STAMP)));
chmodSync(path.join(BUNDLE_DIR, 'main.js'), 0o755);
