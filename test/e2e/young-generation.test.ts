// Runs on gigabyte-class dumps hold V8's young generation at its first size (src/cli/young-generation.ts);
// other runs keep V8's default, and the two kinds keep code caches of their own.
import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, cpSync, existsSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIG_DUMP_BYTES, namesBigDump } from '../../src/cli/young-generation.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;

/** A file of `bytes` (sparse: no disk used) starting with `head`. */
function sparseFile(dir: string, name: string, head: string, bytes: number): string {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, bytes);
  closeSync(fd);
  return path;
}

/** new_space's size after a process that called holdYoungGenerationFor(args) kept 2 million objects. */
function youngSpaceAfter(args: string[]): number {
  const script = `import(${JSON.stringify(join(ROOT, 'dist', 'cli', 'young-generation.js'))}).then((m) => {
    m.holdYoungGenerationFor(${JSON.stringify(args)});
    const keep = [];
    for (let i = 0; i < 2e6; i++) keep.push({ i, s: 'x' + i });
    const young = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(young.space_size));
  });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return Number(r.stdout);
}

describe('the young generation', () => {
  const dir = tempDir('jeprof-ts-young-');
  const big = sparseFile(dir, 'big.heap', 'heap_v2/1\n', BIG_DUMP_BYTES);
  const small = sparseFile(dir, 'small.heap', 'heap_v2/1\n', BIG_DUMP_BYTES - 1);
  const binary = sparseFile(dir, 'server', '\x7fELF\x02\x01\x01', 2 * BIG_DUMP_BYTES);

  it('a big dump is told apart from a smaller one and from a big program', () => {
    expect(namesBigDump(['--text', binary, big])).toBe(true);
    expect(namesBigDump([`--base=${big}`, binary, small])).toBe(true);
    expect(namesBigDump(['--text', binary, small])).toBe(false);
    expect(namesBigDump(['top', 'big.heap'], dir)).toBe(true);
    expect(namesBigDump(['top', join(dir, 'missing.heap'), dir])).toBe(false);
  });

  it('grows as V8 lets it in other runs', () => {
    expect(youngSpaceAfter(['--text', binary, small])).toBeGreaterThanOrEqual(16 << 20);
  });

  it('stays at its first size in a big dump run', () => {
    expect(youngSpaceAfter(['--text', binary, big])).toBeLessThanOrEqual(4 << 20);
  });

  it('a big dump run keeps a code cache of its own, and leaves the usual one as it is', () => {
    const install = tempDir('jeprof-ts-young-install-');
    // With their times: a bundle older than tsc's output would be passed over (start.ts).
    for (const d of ['bin', 'dist']) cpSync(join(ROOT, d), join(install, d), { recursive: true, preserveTimestamps: true });
    copyFileSync(join(ROOT, 'package.json'), join(install, 'package.json'));
    const cache = join(install, 'dist', 'bundle', 'main.cjs.cache');
    const before = readFileSync(cache);
    // A big dump that is not a valid one (NUL bytes after its header): the run ends with an error
    // line or a report, after loading the bundle either way.
    const r = spawnSync(process.execPath, [join(install, 'bin', 'jeprof-ts.js'), '--text', join(install, 'bin', 'jeprof-ts.js'), big], { encoding: 'utf8', env: { ...process.env, JEPROF_TS_CACHE: tempDir('jeprof-ts-young-symbols-') } });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(install, 'dist', 'bundle', 'main.cjs.held.cache'))).toBe(true);
    // Had the run used it, V8 would have rejected it (other flags) and the run written it anew.
    expect(readFileSync(cache).equals(before)).toBe(true);
  });
});
