// The dump is read as a stream: a 300 MB dump of the same 2,000 stacks written again and again
// (bench/gen-dump.mjs --distinct) takes about the memory a 30 MB one does, and its Total is the
// generator's. Peak RSS comes from the run itself (process.resourceUsage at exit). On a terminal,
// a long read shows how far it has got, both threads' bytes counted.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

  it('shows on a terminal how much of it both threads have read, and clears the line before the report', { timeout: 240_000 }, () => {
    // util-linux's script gives the run a terminal (Debian's bsdutils, an essential package).
    if (!existsSync('/usr/bin/script')) throw new Error('this test needs /usr/bin/script (util-linux, Debian package bsdutils) to give the run a terminal');
    const heap = join(dir, 'tty.heap');
    const made = generateDump({ real: join(CASE, 'jeprof.7069.8.f.heap'), out: heap, nStacks: 250_000, targetBytes: 250_000_000, distinct: 250_000 }) as { totalLine: string };
    const quote = (a: string) => `'${a.replace(/'/g, "'\\''")}'`;
    const command = [process.execPath, join(ROOT, 'bin', 'jeprof-ts.js'), '--text', `--map-path=/opt/jeprof-corpus/seed-leak=${CASE}`, join(CASE, 'app'), heap].map(quote).join(' ');
    const r = spawnSync('/usr/bin/script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8',
      // Drawn from 100 ms on, not 500: the two threads read this dump in half a second on a fast machine.
      env: { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols'), JEPROF_TS_PHASES: '1', JEPROF_TS_PROGRESS_AFTER_MS: '100' },
    });
    rmSync(heap);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    // Over 64 MiB: a worker read the second half.
    expect(out).toContain('tty.heap read by two threads');
    const drawn = [...out.matchAll(/\rReading (\S+): (\d+)% of (\d+) MiB/g)];
    // Drawn from 100 ms on, some 0.5 to 1 s of reading here: once or more.
    expect(drawn.length, out.slice(0, 2000)).toBeGreaterThanOrEqual(1);
    expect(new Set(drawn.map((d) => d[1]))).toEqual(new Set([heap]));
    const percents = drawn.map((d) => Number(d[2]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(Math.max(...percents)).toBeLessThanOrEqual(100);
    // This thread reads the first half only, and both read at about one pace: past 50% is the
    // worker's bytes counted too (without them, this thread's alone stay under).
    expect(Math.max(...percents)).toBeGreaterThan(50);
    const cleared = out.indexOf('\r\x1b[K', out.lastIndexOf('\rReading'));
    expect(cleared).toBeGreaterThan(0);
    expect(out.indexOf(made.totalLine)).toBeGreaterThan(cleared);
  });
});
