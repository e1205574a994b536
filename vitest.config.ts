// vitest setup: tests live in test/, mirror src/, and may spawn the real binutils.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // A fresh symbol cache per test run: results never depend on what an earlier run left behind.
    env: { JEPROF_TS_CACHE: mkdtempSync(join(tmpdir(), 'jeprof-ts-test-cache-')) },
  },
});
