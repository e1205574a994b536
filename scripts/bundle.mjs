// Bundles tsc's output (dist/cli/main.js and all it imports, commander and execa too) into
// dist/bundle/: Node resolves and loads a handful of files instead of ~60, the larger part of a
// warm run's start-up. Each lazily imported mode and execa stay separate chunks, loaded when used.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

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

// Chunk names carry content hashes: clear out the last build's, or they pile up.
rmSync('dist/bundle', { recursive: true, force: true });
await build({
  entryPoints: { main: 'dist/cli/main.js' },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Class and function names as written, for error messages and stack traces.
  keepNames: true,
  // commander is CommonJS and calls require() for node:events and friends.
  banner: { js: "import { createRequire as __jeprofRequire } from 'node:module'; const require = __jeprofRequire(import.meta.url);" },
  plugins: [lazyChildProcess],
  logLevel: 'warning',
});
