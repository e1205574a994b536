#!/usr/bin/env node
// Entry point: all logic lives in dist/cli/main.js.
import('../dist/cli/main.js').then(async ({ main }) => {
  process.exitCode = await main(process.argv.slice(2));
});
