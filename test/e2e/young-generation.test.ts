// The run keeps V8's young generation at its first size (src/cli/start.ts): a report's objects
// live to its end, and a young generation grown to 48 MiB was 30 MiB of peak RSS that held nothing.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;

/** new_space's size after a process that loaded (or not) the bin's start file kept 2 million objects. */
function youngSpaceAfterLoad(loadStart: boolean): number {
  const script = `
    ${loadStart ? `require(${JSON.stringify(join(ROOT, 'dist', 'bundle', 'start.cjs'))});` : ''}
    const keep = [];
    for (let i = 0; i < 2e6; i++) keep.push({ i, s: 'x' + i });
    const young = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(young.space_size));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe('the young generation', () => {
  it('grows in a bare Node that keeps its objects: the measure below can tell', () => {
    expect(youngSpaceAfterLoad(false)).toBeGreaterThanOrEqual(16 << 20);
  });

  it('stays at its first size once start.cjs is loaded', () => {
    expect(youngSpaceAfterLoad(true)).toBeLessThanOrEqual(4 << 20);
  });
});
