// The dump is read as a stream: a 300 MB dump of the same 2,000 stacks written again and again
// (bench/gen-dump.mjs --distinct) takes about the memory a 30 MB one does, and its Total is the
// generator's. Peak RSS comes from the run itself (process.resourceUsage at exit).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs bench code
import { generateDump } from '../../bench/gen-dump.mjs';
import { ROOT } from './mutations.js';

const CASE = join(ROOT, 'fixtures', 'corpus', 'seed-leak');
const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-stream-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A --text run of `heap` in its own process: its stdout, and its peak RSS in MiB. */
function run(heap: string): { stdout: string; rssMiB: number; status: number | null; stderr: string } {
  const hook = join(dir, 'peak-rss.cjs');
  writeFileSync(hook, "process.on('exit', () => process.stderr.write(`peak-rss ${process.resourceUsage().maxRSS}\\n`));\n");
  const r = spawnSync(process.execPath, ['-r', hook, join(ROOT, 'bin', 'jeprof-ts.js'), '--text', `--map-path=/opt/jeprof-corpus/seed-leak=${CASE}`, join(CASE, 'app'), heap], {
    encoding: 'utf8',
    env: { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols') },
  });
  const kib = Number(/peak-rss (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { stdout: r.stdout, rssMiB: kib / 1024, status: r.status, stderr: r.stderr };
}

describe('a dump of a few hundred MB', () => {
  it('is read with flat memory: 300 MB of 2,000 stacks peaks near 30 MB of them', { timeout: 240_000 }, () => {
    const made = (name: string, stacks: number, bytes: number) =>
      generateDump({ real: join(CASE, 'jeprof.7069.8.f.heap'), out: join(dir, name), nStacks: stacks, targetBytes: bytes, distinct: 2000 }) as { totalLine: string; bytes: number };
    const small = made('small.heap', 30_000, 30_000_000);
    const small1 = run(join(dir, 'small.heap'));
    rmSync(join(dir, 'small.heap'));
    const big = made('big.heap', 300_000, 300_000_000);
    const big1 = run(join(dir, 'big.heap'));
    rmSync(join(dir, 'big.heap'));
    expect(big.bytes).toBeGreaterThan(250e6);
    expect([small1.status, big1.status], big1.stderr).toEqual([0, 0]);
    expect(small1.stdout.split('\n')[0]).toBe(small.totalLine);
    expect(big1.stdout.split('\n')[0]).toBe(big.totalLine);
    process.stderr.write(`streaming: peak RSS ${small1.rssMiB.toFixed(0)} MiB for ${(small.bytes / 1e6).toFixed(0)} MB, ${big1.rssMiB.toFixed(0)} MiB for ${(big.bytes / 1e6).toFixed(0)} MB\n`);
    // Ten times the bytes, the same stacks: the memory may grow a little (buffers, the collector's
    // pace), never with the file. Generous: reading the file into memory would add 300 MB.
    expect(big1.rssMiB).toBeLessThan(small1.rssMiB + 64);
  });
});
