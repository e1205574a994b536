#!/usr/bin/env node
// Entry point, CommonJS (bin/package.json) so a run starts no ES module loader: the build's
// CommonJS copy of dist/cli/start.js runs the bundle (or tsc's output); all logic lives in
// dist/cli/main.js. Without a built bundle (tsc run alone), tsc's start.js does the same.
let start;
try {
  ({ start } = require('../dist/bundle/start.cjs'));
} catch (e) {
  if (e.code !== 'MODULE_NOT_FOUND') throw e;
}
(start ? Promise.resolve({ start }) : import('../dist/cli/start.js')).then((m) => m.start());
