#!/usr/bin/env node
// Entry point: all logic lives in dist/cli/main.js. `npm run build` also bundles it into
// dist/bundle/main.js, which starts faster (one file to resolve, not ~60); a bundle older than
// tsc's output (tsc run alone after an edit) is passed over, so it never runs stale code.
import { statSync } from 'node:fs';

const mtime = (path) => statSync(new URL(path, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const bundle = mtime('../dist/bundle/main.js');
const entry = bundle > 0 && bundle >= mtime('../dist/cli/main.js') ? '../dist/bundle/main.js' : '../dist/cli/main.js';
import(entry).then(async ({ main }) => {
  process.exitCode = await main(process.argv.slice(2));
});
