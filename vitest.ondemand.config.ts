// vitest setup for the on-demand checks in test/ondemand (minutes each; not part of npm test).
import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

export default defineConfig({ test: { ...base.test, include: ['test/ondemand/**/*.check.ts'], testTimeout: 3_600_000 } });
