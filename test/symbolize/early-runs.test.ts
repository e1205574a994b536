// Tests tool runs started before their input is known (src/symbolize/early-runs.ts) and
// Binutils.prepare, which starts addr2line that way for the program and its likely libraries,
// and c++filt for those with C++ names.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { execa } from 'execa';
import { EarlyRuns } from '../../src/symbolize/early-runs.js';
import { Binutils } from '../../src/symbolize/binutils.js';
import { resolveTools } from '../../src/symbolize/binutils-run.js';
import { mapToSymbols } from '../../src/symbolize/symbolizer.js';
import { CachingObjTool } from '../../src/symbolize/cache.js';
import { tempDir } from '../helpers/temp-dir.js';
import { join } from 'node:path';

const TINY = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;
/** A C++ program: its symbol table holds mangled names. */
const CXX_APP = new URL('../../fixtures/corpus/seed-leak/app', import.meta.url).pathname;
/** A file that is not an ELF file. */
const BIN_TEXT = new URL('../../fixtures/README.md', import.meta.url).pathname;
const tempDirs = () => readdirSync(tmpdir()).filter((f) => f.startsWith('jeprof-ts-'));
const bytes = (s: string) => Buffer.from(s);

/** Ends what a test started early even when the test fails midway: a waiting run keeps its temp folder. */
function ended<T extends Binutils | EarlyRuns>(x: T): T {
  onTestFinished(() => (x instanceof EarlyRuns ? x.endAll() : x.release()));
  return x;
}

describe('EarlyRuns', () => {
  it('gives a started run its input after what it was given at the start', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', [], bytes('head\n'));
    expect(runs.has('cat', [])).toBe(true);
    const r = await runs.give('cat', [], bytes('head\nrest\n'));
    expect(r).toMatchObject({ stdout: 'head\nrest\n', exitCode: 0, failed: false, timedOut: false });
    expect(runs.has('cat', [])).toBe(false);
    expect(await runs.give('cat', [], bytes('head\n')), 'a run is given input once').toBeUndefined();
  });

  it('ends a run whose input does not start as promised, so the tool runs afresh', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', [], bytes('head\n'));
    expect(await runs.give('cat', [], bytes('other\n'))).toBeUndefined();
    expect(runs.has('cat', [])).toBe(false);
  });

  it('counts the time limit from the input, and reports a run cut short as timed out', async () => {
    const runs = ended(new EarlyRuns(300));
    runs.start(execa, 'sleep', ['30']);
    // Longer than the limit passes before the input: the limit has not started.
    await new Promise((r) => setTimeout(r, 400));
    const r = await runs.give('sleep', ['30'], '');
    expect(r).toMatchObject({ timedOut: true, failed: true, exitCode: undefined });
  });

  it('reports a tool that cannot start as execa does, with no stream error thrown', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, '/nonexistent/tool', [], bytes('x\n'));
    const r = await runs.give('/nonexistent/tool', [], bytes('x\ny\n'));
    expect(r).toMatchObject({ failed: true, code: 'ENOENT', exitCode: undefined });
  });

  it('starts a command once while its run waits', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', []);
    runs.start(execa, 'cat', []);
    expect(await runs.give('cat', [], bytes('a\n'))).toMatchObject({ stdout: 'a\n' });
    expect(runs.has('cat', [])).toBe(false);
    expect(await runs.give('cat', [], bytes('b\n'))).toBeUndefined();
  });

  it('takes input after the start (write), which the full input must then begin with', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', []);
    runs.write('cat', [], bytes('sep\n'));
    expect(await runs.give('cat', [], bytes('other\n')), 'not the input fed').toBeUndefined();
    runs.start(execa, 'cat', []);
    runs.write('cat', [], bytes('sep\n'));
    expect(await runs.give('cat', [], bytes('sep\nrest\n'))).toMatchObject({ stdout: 'sep\nrest\n', exitCode: 0 });
    // Writing to a command with no run waiting does nothing.
    expect(() => runs.write('cat', [], bytes('x\n'))).not.toThrow();
  });

  it('drops the runs of a command started on a wrong guess', async () => {
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', ['-u']);
    runs.drop('cat', ['-u']);
    expect(runs.has('cat', ['-u'])).toBe(false);
    expect(await runs.give('cat', ['-u'], bytes('x\n'))).toBeUndefined();
  });

  it('ends runs never given input, leaving no temp folder behind', async () => {
    const before = new Set(tempDirs());
    const runs = ended(new EarlyRuns(60_000));
    runs.start(execa, 'cat', []);
    const made = tempDirs().filter((d) => !before.has(d));
    expect(made).toHaveLength(1);
    runs.endAll();
    expect(runs.has('cat', [])).toBe(false);
    // The folder goes once cat has exited (it does at once: its input is closed).
    for (let i = 0; i < 100 && tempDirs().includes(made[0]); i++) await new Promise((r) => setTimeout(r, 20));
    expect(tempDirs()).not.toContain(made[0]);
  });
});

describe('Binutils.prepare', () => {
  const addrs = Array.from({ length: 0x4011b0 - 0x401000 }, (_, i) => 0x401000n + BigInt(i));
  const sep = 0x4011acn;

  it('starts the program\'s addr2line before the dump is read; its answers are the usual ones', async () => {
    const usual = await new Binutils(resolveTools('')).open(TINY).sourceLines(addrs, sep);
    const tools = ended(new Binutils(resolveTools('')));
    await tools.prepare(TINY);
    const args = ['-a', '-f', '-C', '-i', '-e', TINY];
    expect(tools.startedEarly('addr2line', args)).toBe(true);
    const early = await tools.open(TINY).sourceLines(addrs, sep);
    expect(tools.startedEarly('addr2line', args), 'the early run was the one used').toBe(false);
    expect(early).toEqual(usual);
    expect(early!.filter((f) => f.length > 1).length, 'inlined frames came through').toBeGreaterThan(0);
    tools.release();
  });

  it('starts a c++filt for a file with C++ names, which the lookup of its PCs\' names then uses', async () => {
    // add_to_vector(std::vector<int>&, int) in the corpus program: a mangled name, so its PC's
    // name goes through c++filt.
    const pc = 0x1360n;
    const usual = await mapToSymbols(new Binutils(resolveTools('')).open(CXX_APP), 0n, [pc]);
    const tools = ended(new Binutils(resolveTools('')));
    await tools.prepare(CXX_APP, () => [TINY]);
    expect(tools.startedEarly('c++filt', ['-i', '-n'])).toBe(true);
    const early = await mapToSymbols(tools.open(CXX_APP), 0n, [pc]);
    expect(tools.startedEarly('c++filt', ['-i', '-n']), 'the early run was the one used').toBe(false);
    expect(early).toEqual(usual);
    // nm's tagged name (a local symbol): c++filt's demangling, then jeprof's address tag.
    expect(early.get(pc)?.[0].full).toBe('add_to_vector(std::vector<int, std::allocator<int> >&, int)<0000000000001358>');
    tools.release();
    // A C program alone needs none.
    const plain = ended(new Binutils(resolveTools('')));
    await plain.prepare(TINY);
    expect(plain.startedEarly('c++filt', ['-i', '-n'])).toBe(false);
    plain.release();
  });

  it('starts a file without `_fini` again without inlining, as jeprof runs addr2line for it', async () => {
    const dir = tempDir('jeprof-ts-fini-');
    const plain = join(dir, 'tiny-no-fini');
    execFileSync('objcopy', ['--strip-symbol=_fini', TINY, plain]);
    const tools = ended(new Binutils(resolveTools('')));
    await tools.prepare(plain);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-i', '-e', plain])).toBe(false);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-e', plain])).toBe(true);
    const lines = await tools.open(plain).sourceLines([0x40112dn]);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-e', plain]), 'the early run was the one used').toBe(false);
    // Without -i, addr2line names only the innermost function (inner, inlined into middle).
    expect(lines![0].map((f) => f.func)).toEqual(['inner']);
    tools.release();
    // A stripped file (no .symtab, so no _fini) is started without inlining straight away.
    const stripped = join(dir, 'tiny-stripped');
    execFileSync('objcopy', ['--strip-all', TINY, stripped]);
    const started: string[][] = [];
    class Recording extends EarlyRuns {
      override start(...a: Parameters<EarlyRuns['start']>) {
        started.push(a[2]);
        return super.start(...a);
      }
    }
    const other = ended(new Binutils(resolveTools('')));
    (other as unknown as { early: EarlyRuns }).early = new Recording(60_000);
    // Once started, and before any table is read, it takes a PC at once.
    const writes: bigint[] = [];
    await other.prepare(stripped, undefined, () => {
      expect(started).toHaveLength(1);
      other.stream(stripped, 0x40112dn);
      writes.push(...(other as unknown as { streams: Map<string, { sent: bigint[] }> }).streams.get(stripped)!.sent);
    });
    expect(started).toEqual([['-a', '-f', '-C', '-e', stripped]]);
    expect(writes).toEqual([0x40112dn]);
    expect((await other.open(stripped).sourceLines([0x40112dn]))![0].map((f) => f.func)).toEqual(['??']);
    other.release();
  });

  it('takes addresses while the dump is read, and answers what is asked as a usual run does', async () => {
    const usual = await new Binutils(resolveTools('')).open(TINY).sourceLines(addrs, sep);
    const writes: number[] = [];
    class Recording extends EarlyRuns {
      override write(...a: Parameters<EarlyRuns['write']>) {
        writes.push(a[2].length);
        return super.write(...a);
      }
    }
    const tools = ended(new Binutils(resolveTools('')));
    (tools as unknown as { early: EarlyRuns }).early = new Recording(60_000);
    await tools.prepare(TINY);
    writes.length = 0;
    // Streamed in an order of their own, with one address never asked and one asked but not streamed.
    const streamed = [...addrs.slice(1).reverse(), 0x401fffn];
    for (const a of streamed) tools.stream(TINY, a);
    tools.stream('/not/prepared', 0x401000n);
    // The first address goes at once, then batches of 2048 (17 bytes an address).
    expect(writes).toEqual([17]);
    for (let i = 0; i < 3000; i++) tools.stream(TINY, 0x500000n + BigInt(i));
    expect(writes).toEqual([17, 2048 * 17]);
    const got = await tools.open(TINY).sourceLines(addrs, sep);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-i', '-e', TINY]), 'the early run was the one used').toBe(false);
    expect(got).toEqual(usual);
    tools.release();
  });

  it('skips files that are not ELF files, and release() ends what was not used', async () => {
    const tools = ended(new Binutils(resolveTools('')));
    await tools.prepare(TINY, () => ['/nonexistent/lib.so', BIN_TEXT]);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-i', '-e', '/nonexistent/lib.so'])).toBe(false);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-e', BIN_TEXT])).toBe(false);
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-i', '-e', TINY])).toBe(true);
    tools.release();
    expect(tools.startedEarly('addr2line', ['-a', '-f', '-C', '-i', '-e', TINY])).toBe(false);
    // Asked afterwards, addr2line runs as usual.
    const lines = await tools.open(TINY).sourceLines([0x40112dn], sep);
    expect(lines![0].map((f) => f.func)).toEqual(['inner', 'middle']);
  });

  it('needs addr2line on this machine (apt-get install binutils)', () => {
    expect(() => execFileSync('addr2line', ['--version'], { stdio: 'ignore' })).not.toThrow();
  });
});

describe('CachingObjTool.prepare', () => {
  class Spy extends Binutils {
    readonly prepared: string[][] = [];
    override async prepare(program: string, libraries: () => readonly string[] = () => []): Promise<void> {
      this.prepared.push([program, ...libraries()]);
    }
  }

  it('starts tools only for files without an entry, and works out no libraries once the program has one', async () => {
    const dir = tempDir('jeprof-ts-prep-');
    const inner = new Spy(resolveTools(''));
    const cache = new CachingObjTool(inner, join(dir, 'cache'), 'tools');
    let asked = 0;
    const libs = () => {
      asked++;
      return [BIN_TEXT];
    };
    await cache.prepare(TINY, libs);
    expect(inner.prepared).toEqual([[TINY, BIN_TEXT]]);
    // A run on TINY saves its entry; the next run is a warm one.
    const f = cache.open(TINY);
    await f.sourceLines([0x40112dn], 0x4011acn);
    f.close();
    await cache.prepare(TINY, libs);
    expect(inner.prepared).toHaveLength(1);
    expect(asked).toBe(1);
  });
});
