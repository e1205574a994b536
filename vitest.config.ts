// vitest setup: tests live in test/, mirror src/, and may spawn the real binutils.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// A fresh symbol cache per test run: results never depend on what an earlier run left behind,
// and it goes when the run ends.
const cache = mkdtempSync(join(tmpdir(), 'jeprof-ts-test-cache-'));
process.once('exit', () => rmSync(cache, { recursive: true, force: true }));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/helpers/cleanup.ts'],
    globalSetup: ['test/helpers/page-assets.ts'],
    env: { JEPROF_TS_CACHE: cache },
  },
});
