// esbuild options for the CommonJS bundles of scripts/bundle.mjs, shared with the tests that check code runs so bundled.

/** Both bundles: CommonJS, where import.meta.url becomes the bundle file's own URL. */
export const commonJs = {
  bundle: true,
  // CommonJS: V8's code cache can be given to a script (vm.Script), not to an ES module on Node 20.
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // main.ts finds package.json and the demo relative to itself; dist/bundle is as deep as dist/cli.
  define: { 'import.meta.url': '__bundleUrl' },
  banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
};
