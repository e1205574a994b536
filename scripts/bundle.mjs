// Bundles tsc's output (dist/cli/main.js and all it imports, commander too) into CommonJS files in
// dist/bundle, each with a V8 code cache (<file>.cache, see src/cli/start.ts): Node then neither
// resolves ~60 files nor parses and compiles their JavaScript on every run. main.cjs holds what
// every run needs; each dynamic import() of code only some commands run (pprof, record, doctor,
// the shell, execa...) is a chunk file of its own (scripts/bundle-chunks.mjs), read only when a
// command imports it: a --version run reads 390 KB instead of 1,060 KB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { buildSplit } from './bundle-chunks.mjs';
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
// No keepNames: it wraps every function and class made at run time in a defineProperty call
// (closures made per frame too), which cost a warm run of the large profile 3 to 5%. Names stay
// as written (nothing is minified); only ones esbuild renames apart (`read2`) show so in stack
// traces, and error classes get theirs from the assignment (`UsageError = class ...`).
const plan = await buildSplit(commonJs, 'dist/cli/main.js', 'dist/bundle', process.cwd(), [lazyChildProcess]);
process.stdout.write(`bundle: main.cjs and ${plan.chunks.length} chunks (${plan.chunks.map((c) => c.name).join(', ')}), ${plan.shared.length} modules of main shared with them\n`);

// bin/jeprof-ts.js is CommonJS and requires this copy of start.js: a run then starts no ES module
// loader (about 8 ms). start.js imports tsc's output itself when the bundle is stale.
await build({ ...commonJs, entryPoints: ['dist/cli/start.js'], outfile: 'dist/bundle/start.cjs' });

// A split parse's worker thread (src/parse/split-parse.ts) loads this file beside main.cjs: the
// parse code alone, so a worker starts without main's commander and reports.
await build({ ...commonJs, entryPoints: ['dist/parse/split-worker.js'], outfile: 'dist/bundle/split-worker.cjs' });

// The code caches hold what V8 compiled during a run: a cold run of the demo (empty symbol cache,
// so the tools run too) compiles what most runs use, in main.cjs and execa.cjs; a pprof export
// of the demo then makes the pprof chunk's (main's, which fits, stays as it is). Each chunk no run
// here loads gets its cache on its first use. Without them (no binutils yet, say) the bundle
// still works, and the first run writes each cache (src/cli/start.ts).
const symbols = mkdtempSync(join(tmpdir(), 'jeprof-ts-build-'));
try {
  for (const args of [['top', '--demo'], ['proto', '--demo', '-o', join(symbols, 'demo.pb.gz')]]) {
    const r = spawnSync(process.execPath, ['bin/jeprof-ts.js', ...args], { env: { ...process.env, JEPROF_TS_CACHE: symbols }, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    if (r.status !== 0) process.stderr.write(`bundle: the run of '${args.join(' ')}' for the code caches failed (${r.status ?? r.signal}); the first run will make them\n${r.stderr}`);
  }
} finally {
  rmSync(symbols, { recursive: true, force: true });
}
