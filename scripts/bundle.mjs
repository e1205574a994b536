// Bundles tsc's output (dist/cli/main.js and all it imports, commander and execa too) into one
// CommonJS file, dist/bundle/main.cjs, and makes a V8 code cache for it (main.cjs.cache, see
// src/cli/start.ts): Node then neither resolves ~60 files nor parses and compiles 700 KB of
// JavaScript on every run. Lazily imported modes (execa too) stay lazy: esbuild initialises a
// module on its first import(), so a run pays only for the code it runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { commonJs } from './bundle-options.mjs';

/**
 * commander requires node:child_process at load time, only to run executable subcommands (we have
 * none); loading it (and net, dgram, streams) cost every run several ms. commander gets a stand-in
 * that loads the real module if it is ever used.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes('/node_modules/commander/') ? { path: 'lazy', namespace: 'lazy-child-process' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'lazy-child-process' }, () => ({
      contents: "module.exports = new Proxy({}, { get: (_, name) => require('node:child_process')[name] });",
      loader: 'js',
    }));
  },
};

rmSync('dist/bundle', { recursive: true, force: true });
await build({
  ...commonJs,
  entryPoints: ['dist/cli/main.js'],
  outfile: 'dist/bundle/main.cjs',
  // No keepNames: it wraps every function and class made at run time in a defineProperty call
  // (closures made per frame too), which cost a warm run of the large profile 3 to 5%. Names stay
  // as written (nothing is minified); only ones esbuild renames apart (`read2`) show so in stack
  // traces, and error classes get theirs from the assignment (`UsageError = class ...`).
  plugins: [lazyChildProcess],
});

// bin/jeprof-ts.js is CommonJS and requires this copy of start.js: a run then starts no ES module
// loader (about 8 ms). start.js imports tsc's output itself when the bundle is stale.
await build({ ...commonJs, entryPoints: ['dist/cli/start.js'], outfile: 'dist/bundle/start.cjs' });

// The code cache holds what V8 compiled during a run: a cold run of the demo (empty symbol cache,
// so the tools run too) compiles what most runs use. Without it (no binutils yet, say) the bundle
// still works, and the first run writes the cache (src/cli/start.ts).
const symbols = mkdtempSync(join(tmpdir(), 'jeprof-ts-build-'));
try {
  const r = spawnSync(process.execPath, ['bin/jeprof-ts.js', 'top', '--demo'], { env: { ...process.env, JEPROF_TS_CACHE: symbols }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  if (r.status !== 0) process.stderr.write(`bundle: the demo run for the code cache failed (${r.status ?? r.signal}); the first run will make the cache\n${r.stderr}`);
} finally {
  rmSync(symbols, { recursive: true, force: true });
}
