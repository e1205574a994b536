// End to end: damaged, hostile and impossible inputs give a report or one error line naming the file; never exit 3 or a hang.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Addr2LineFrame } from '../../src/symbolize/addr2line-output.js';
import type { ObjFile, ObjTool } from '../../src/symbolize/objtool.js';
import { runCli, type Captured } from '../helpers/capture.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { contractViolations, rawControl, spawnCli, stderrAfterUsing } from './contract.js';
import { corpusSeeds, describeInput, FUZZ_SEED, mutate, mutatedProfileArb, ROOT, type Mutation } from './mutations.js';

const PROG = join(ROOT, 'fixtures', 'bin', 'tiny');
const TWO_STACKS = join(ROOT, 'fixtures', 'heap', 'two-stacks.heap');
const FUZZ_RUNS = 300;
const BASE_RUNS = 60;

/** The addresses each fake binary's addr2line fixture answers (fixtures/bin/*.json), by binary name. */
const FIXTURE_ADDRESSES = new Map<string, Set<string>>();
for (const f of readdirSync(join(ROOT, 'fixtures', 'bin')).filter((n) => n.endsWith('.json'))) {
  const data = JSON.parse(readFileSync(join(ROOT, 'fixtures', 'bin', f), 'utf8')) as Record<string, { addr2line?: Record<string, unknown> } | string>;
  for (const [name, v] of Object.entries(data)) if (typeof v !== 'string') FIXTURE_ADDRESSES.set(name, new Set(Object.keys(v.addr2line ?? {})));
}

/**
 * The fake binutils of test/helpers/fake-objtool.ts, answering `??` (as the real addr2line does)
 * for addresses its fixture does not list: fuzzed stacks hold any address.
 */
class FuzzObjTool implements ObjTool {
  private readonly fake = new FakeObjTool();
  get problems(): string[] {
    return this.fake.problems;
  }
  open(path: string): ObjFile {
    const f = this.fake.open(path);
    const known = FIXTURE_ADDRESSES.get(basename(path)) ?? new Set<string>();
    return {
      ...f,
      sourceLines: async (addrs: readonly bigint[], sep?: bigint): Promise<Addr2LineFrame[][]> => {
        const ask = addrs.filter((a) => known.has(a.toString(16).padStart(16, '0')));
        const got = ask.length > 0 ? ((await f.sourceLines(ask, sep)) ?? []) : [];
        const byAddr = new Map(ask.map((a, i) => [a, got[i] ?? []]));
        return addrs.map((a) => byAddr.get(a) ?? [{ func: '??', fileLine: '??:0' }]);
      },
    };
  }
  elfInfo(path: string) {
    return this.fake.elfInfo(path);
  }
  exists(path: string) {
    return this.fake.exists(path);
  }
}

let dir = '';
let cacheDir = '';
const env = () => ({ JEPROF_TS_CACHE: cacheDir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-bad-input-'));
  cacheDir = join(dir, 'cache');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, data: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
}

/** Fails with every contract violation of a run, its command and the head of its stderr. */
function expectContract(r: Captured | ReturnType<typeof spawnCli>, names: string[], what: string): void {
  const v = contractViolations(r, names);
  expect(v, `${what}: exit ${r.code}\nstderr: ${r.stderr.slice(0, 600)}`).toEqual([]);
}

describe('fuzzed profiles through the whole pipeline (fake binutils)', () => {
  const seeds = corpusSeeds();
  const GOOD = join(ROOT, 'fixtures', 'corpus', 'seed-leak', 'jeprof.7069.0.i0.heap');
  /** `names`: what an error line must contain; a usage error (exit 1) of a symbolized run may be about the missing profile. */
  const inputs: { label: string; path: string; args: string[]; symbolized: boolean; result?: Captured; ms?: number }[] = [];

  function add(label: string, name: string, bytes: Buffer, seedName: string, asBase = false): void {
    const path = write(name, bytes);
    // A symbolized profile (--raw output) is read without a program, as jeprof does.
    const symbolized = seedName.includes('/symbolized:');
    const args = asBase ? ['--text', `--base=${path}`, PROG, GOOD] : symbolized ? ['--text', path] : ['--text', PROG, path];
    inputs.push({ label: asBase ? `--base=${label}` : label, path, args, symbolized });
  }

  beforeAll(async () => {
    // Every corpus and edge file as it is, then FUZZ_RUNS mutations of them as the profile and
    // BASE_RUNS as the --base of a good profile (fixed seed).
    seeds.forEach((s, i) => add(s.name, `seed${i}.heap`, s.bytes, s.name));
    const sample = fc.sample(mutatedProfileArb(seeds), { seed: FUZZ_SEED, numRuns: FUZZ_RUNS + BASE_RUNS }) as { seed: string; mutations: Mutation[] }[];
    sample.forEach((m, i) => add(describeInput(m.seed, m.mutations), `m${i}.heap`, mutate(seeds, m), m.seed, i >= FUZZ_RUNS));
    for (const input of inputs) {
      const t0 = performance.now();
      input.result = await runCli(input.args, { deps: { objTool: new FuzzObjTool() }, env: env() });
      input.ms = performance.now() - t0;
    }
    const byCode = new Map<number, number>();
    for (const i of inputs) byCode.set(i.result!.code, (byCode.get(i.result!.code) ?? 0) + 1);
    const codes = [...byCode].sort(([a], [b]) => a - b).map(([c, n]) => `exit ${c}: ${n}`).join(', ');
    console.log(`cli fuzz: ${inputs.length} runs (${seeds.length} corpus files, ${FUZZ_RUNS} mutated profiles, ${BASE_RUNS} mutated --base files; seed ${FUZZ_SEED}): ${codes}`);
  }, 240_000);

  it('every run exits 0, 1 or 2; errors are one line naming the profile, with nothing on stdout', () => {
    const bad: string[] = [];
    for (const { label, path, symbolized, result } of inputs) {
      // Without its `--- symbol` line a would-be symbolized file is taken as the program, and the
      // usage error is that no profile was given.
      const names = symbolized && result!.code === 1 ? [] : [path];
      const v = contractViolations(result!, names);
      if (v.length > 0) bad.push(`${label}\n    exit ${result!.code}: ${v.join('; ')}\n    stderr: ${JSON.stringify(result!.stderr.slice(0, 300))}`);
    }
    expect(bad.slice(0, 8).join('\n'), `${bad.length} of ${inputs.length} runs broke the contract`).toBe('');
  });

  it('a report run prints a report (or nothing) on stdout and at most ten warnings per file plus a summary', () => {
    const bad: string[] = [];
    for (const { label, path, result } of inputs) {
      if (result!.code !== 0) continue;
      if (result!.stdout !== '' && !result!.stdout.startsWith('Total: ')) bad.push(`${label}: stdout starts ${JSON.stringify(result!.stdout.slice(0, 80))}`);
      const fileWarnings = stderrAfterUsing(result!.stderr).filter((l) => l.startsWith(`jeprof-ts: warning: ${path}`));
      if (fileWarnings.length > 11) bad.push(`${label}: ${fileWarnings.length} warnings about the file`);
    }
    expect(bad.slice(0, 8).join('\n'), `${bad.length} bad report runs`).toBe('');
  });

  it('no run takes more than 5 s', () => {
    const slow = inputs.filter((i) => i.ms! > 5_000).map((i) => `${i.label}: ${Math.round(i.ms!)} ms`);
    expect(slow).toEqual([]);
  });

  it('errors and warnings that quote profile text print no raw control characters (ESC, BEL, NUL...)', () => {
    const bad: string[] = [];
    for (const { label, result } of inputs) {
      const c = rawControl(result!.stderr);
      if (c) bad.push(`${label}\n    stderr has ${c}`);
    }
    expect(bad.slice(0, 5).join('\n'), `${bad.length} of ${inputs.length} runs print raw control characters on stderr`).toBe('');
  });
});

describe('fuzzed profiles with the real binutils', () => {
  it('a dozen mutated corpus profiles symbolized by nm/addr2line keep the contract', async () => {
    const seeds = corpusSeeds().filter((s) => s.name.startsWith('seed-leak/') || s.name.startsWith('edge-cases/'));
    const sample = fc.sample(mutatedProfileArb(seeds), { seed: FUZZ_SEED + 1, numRuns: 12 }) as { seed: string; mutations: Mutation[] }[];
    const bad: string[] = [];
    for (const [i, m] of sample.entries()) {
      const path = write(`real${i}.heap`, mutate(seeds, m));
      const r = await runCli(['--text', PROG, path], { env: env() });
      const v = contractViolations(r, [path]);
      if (v.length > 0) bad.push(`${describeInput(m.seed, m.mutations)}: ${v.join('; ')}`);
    }
    expect(bad).toEqual([]);
  }, 120_000);
});

describe('named bad inputs', () => {
  it('a missing program: exit 1, one line naming it', async () => {
    const missing = join(dir, 'no-such-program');
    const r = await runCli(['--text', missing, TWO_STACKS], { env: env() });
    expect(r.code).toBe(1);
    expectContract(r, [missing], 'missing program');
  });

  it('a directory as the program: exit 1, one line naming it', async () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d, { recursive: true });
    const r = await runCli(['--text', d, TWO_STACKS], { env: env() });
    expect(r.code).toBe(1);
    expectContract(r, [d], 'directory program');
  });

  it('a heap file given as the program: exit 1, one line naming it', async () => {
    const r = await runCli(['--text', TWO_STACKS, TWO_STACKS], { env: env() });
    expect(r.code).toBe(1);
    expectContract(r, [TWO_STACKS], 'heap file as program');
  });

  it('a cache size that is not one: exit 1, one line naming the variable and its value', async () => {
    const r = await runCli(['--text', PROG, TWO_STACKS], { env: { ...env(), JEPROF_TS_CACHE_SIZE: 'lots' } });
    expect(r.code).toBe(1);
    expectContract(r, ['JEPROF_TS_CACHE_SIZE', "'lots'"], 'bad cache size');
  });

  it('a missing profile: exit 1, one line naming it, before any symbolization', async () => {
    const missing = join(dir, 'no-such.heap');
    const r = await runCli(['--text', PROG, missing], { env: env() });
    expect(r.code).toBe(1);
    expectContract(r, [missing], 'missing profile');
  });

  it('a directory as the profile: exit 1 or 2, one line naming it', async () => {
    const d = join(dir, 'dir.heap');
    mkdirSync(d, { recursive: true });
    const r = await runCli(['--text', PROG, d], { env: env() });
    expect([1, 2]).toContain(r.code);
    expectContract(r, [d], 'directory profile');
  });

  it('an empty profile: exit 2, one line naming it', async () => {
    const p = write('empty.heap', '');
    const r = await runCli(['--text', PROG, p], { env: env() });
    expect(r.code).toBe(2);
    expectContract(r, [p], 'empty profile');
  });

  it('binary profiles (random bytes, an ELF file): exit 2, one line naming them', async () => {
    for (const name of ['binary-random.bin', 'binary-elf.bin']) {
      const p = join(ROOT, 'fixtures', 'corpus', 'edge-cases', 'edges', name);
      const r = await runCli(['--text', PROG, p], { env: env() });
      expect(r.code, name).toBe(2);
      expectContract(r, [p], name);
    }
  });

  it('a profile that is one 2 MB line of junk: exit 2, a short error line', async () => {
    const p = write('junk-line.heap', 'x'.repeat(2 * 1024 * 1024) + '\n');
    const r = await runCli(['--text', PROG, p], { env: env() });
    expect(r.code).toBe(2);
    expectContract(r, [p], '2 MB junk line');
    expect(r.stderr.length).toBeLessThan(1_000);
  });

  it('a valid profile with a 2 MB junk line inside: the report, with a short warning', async () => {
    const text = readFileSync(TWO_STACKS, 'utf8').replace('@ 0x401a00 0x401b20', `${'z'.repeat(2 * 1024 * 1024)}\n@ 0x401a00 0x401b20`);
    const p = write('junk-inside.heap', text);
    const r = await runCli(['--text', PROG, p], { deps: { objTool: new FuzzObjTool() }, env: env() });
    expect(r.code, r.stderr.slice(0, 300)).toBe(0);
    expect(r.stdout).toMatch(/^Total: /);
    expect(r.stderr).toMatch(/jeprof-ts: warning: .*junk-inside\.heap:\d+: unrecognised line/);
    expect(r.stderr.length).toBeLessThan(2_000);
  });

  it('200,000 "@ 0x1" lines: finishes (no quadratic blow-up) with at most eleven warning lines', async () => {
    const p = write('many-at.heap', 'heap_v2/524288\n' + '@ 0x1\n'.repeat(200_000));
    const t0 = performance.now();
    const r = await runCli(['--text', PROG, p], { env: env() });
    const ms = performance.now() - t0;
    expectContract(r, [p], '200k @ lines');
    expect(r.code).toBe(0);
    expect(ms, 'a hang detector: linear work on 200k lines takes well under a second').toBeLessThan(20_000);
    expect(stderrAfterUsing(r.stderr).filter((l) => l.startsWith('jeprof-ts: warning: ')).length).toBeLessThanOrEqual(11);
  }, 30_000);

  it('one stack 200,000 frames deep (recursion) and one of 50,000 distinct frames: every report mode, no stack overflow', async () => {
    // helper and main of the fake's `tiny` (fixtures/bin/fake-app.json), calling each other 200,000 deep.
    const recursive = Array.from({ length: 200_000 }, (_, i) => '0x' + (0x401b01 + (i % 0x1ff)).toString(16)).join(' ');
    // Distinct frames cost about 45 us each (names, graph nodes): 50,000 keep the test to seconds.
    const distinct = Array.from({ length: 50_000 }, (_, i) => '0x' + (0x7f0000000000 + i * 16).toString(16)).join(' ');
    for (const [name, frames] of [['recursive', recursive], ['distinct', distinct]]) {
      const p = write(`deep-${name}.heap`, `heap_v2/1\n@ ${frames}\n  t*: 1: 1024 [0: 0]\n`);
      for (const mode of ['--text', '--collapsed', '--callgrind', '--dot', 'raw']) {
        const r = await runCli([mode, PROG, p], { deps: { objTool: new FuzzObjTool() }, env: env() });
        expectContract(r, [p], `${name} ${mode}`);
        expect(r.code, `${name} ${mode}: ${r.stderr.slice(0, 300)}`).toBe(0);
        expect(r.stdout.length, `${name} ${mode}`).toBeGreaterThan(0);
      }
    }
  }, 120_000);

  it('a symlink loop as the profile: exit 1, one line naming it', async () => {
    const loop = join(dir, 'loop.heap');
    execFileSync('ln', ['-s', 'loop.heap', loop]);
    const r = await runCli(['--text', PROG, loop], { env: env() });
    expect(r.code).toBe(1);
    expectContract(r, [loop], 'symlink loop');
  });

  it('a FIFO as the profile: refused at once (no open that waits for a writer)', () => {
    const fifo = join(dir, 'fifo.heap');
    execFileSync('mkfifo', [fifo]);
    const r = spawnCli(['--text', PROG, fifo], { timeoutMs: 10_000, env: env() });
    expect(r.signal, `killed after ${r.ms} ms: the run hung on the FIFO`).toBeNull();
    expect([1, 2]).toContain(r.code);
    expectContract(r, [fifo], 'FIFO profile');
  }, 20_000);

  it('a FIFO as the base profile: refused at once', () => {
    const fifo = join(dir, 'fifo-base.heap');
    execFileSync('mkfifo', [fifo]);
    const r = spawnCli(['--text', `--base=${fifo}`, PROG, TWO_STACKS], { timeoutMs: 10_000, env: env() });
    expect(r.signal, `killed after ${r.ms} ms: the run hung on the FIFO`).toBeNull();
    expect([1, 2]).toContain(r.code);
    expectContract(r, [fifo], 'FIFO base');
  }, 20_000);

  it('/dev/zero as the profile: refused, not read forever', () => {
    const r = spawnCli(['--text', PROG, '/dev/zero'], { timeoutMs: 10_000, env: env() });
    expect(r.signal, `killed after ${r.ms} ms: the run read /dev/zero`).toBeNull();
    expect([1, 2]).toContain(r.code);
    expectContract(r, ['/dev/zero'], '/dev/zero profile');
  }, 20_000);

  it('/dev/zero as the program: refused, not read forever', () => {
    const r = spawnCli(['--text', '/dev/zero', TWO_STACKS], { timeoutMs: 10_000, env: env() });
    expect(r.signal, `killed after ${r.ms} ms: the run read /dev/zero`).toBeNull();
    expect(r.code).toBe(1);
    expectContract(r, ['/dev/zero'], '/dev/zero program');
  }, 20_000);

  it('a header line holding terminal escapes: the error quotes it without raw control characters', async () => {
    const p = write('escape-header.heap', 'x\u001b]0;owned\u0007\u001b[2J\u001b[31mred\b\b\n');
    const r = await runCli(['--text', PROG, p], { env: env() });
    expect(r.code).toBe(2);
    expectContract(r, [p], 'escape header');
    expect(rawControl(r.stderr)).toBeUndefined();
  });

  it('a count of objects with zero bytes (jeprof: "Illegal division by zero"): exit 2 naming the line, no NaN report', async () => {
    const p = write('zero-bytes.heap', 'heap_v2/524288\n  t*: 5: 0 [0: 0]\n@ 0x401000\n  t*: 5: 0 [0: 0]\n\nMAPPED_LIBRARIES:\n');
    const r = await runCli(['--text', PROG, p], { env: env() });
    expect(r.code).toBe(2);
    expectContract(r, [`${p}:4:`], 'zero bytes');
  });
});
