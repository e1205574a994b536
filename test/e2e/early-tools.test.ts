// A cold run starts the tools of the program and of the libraries the dump's first stacks hit
// before reading it (Binutils.prepare): the report is the same as a warm run's, and a dump that
// fails to read ends the run at once.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { runCli } from '../helpers/capture.js';
import { Binutils } from '../../src/symbolize/binutils.js';
import { resolveTools } from '../../src/symbolize/binutils-run.js';

const BIN = new URL('../../bin/jeprof-ts.js', import.meta.url).pathname;
const TINY = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;

function cli(args: string[], cwd: string, cache: string) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, JEPROF_TS_CACHE: cache }, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** A dump of tiny over 1 MiB: 30,000 distinct stacks of its code addresses. */
function bigDump(): string {
  const lines = ['heap_v2/524288', '  t*: 30000: 30000000 [0: 0]'];
  for (let i = 0; i < 30000; i++) {
    const pcs = [0x40112d, 0x401150 + (i % 64), 0x401190 + ((i >> 6) % 16), 0x401000 + (i >> 10)];
    lines.push('@ ' + pcs.map((a) => '0x' + a.toString(16)).join(' '), '  t*: 1: 1000 [0: 0]');
  }
  lines.push('MAPPED_LIBRARIES:', `00400000-00403000 r-xp 00000000 08:01 1 ${TINY}`, '');
  return lines.join('\n');
}

describe('tools started before the dump is read', () => {
  it('gives the same report cold as warm', () => {
    const dir = tempDir('jeprof-ts-early-');
    const cache = join(dir, 'cache');
    writeFileSync(join(dir, 'big.heap'), bigDump());
    const cold = cli(['--text', TINY, 'big.heap'], dir, cache);
    const warm = cli(['--text', TINY, 'big.heap'], dir, cache);
    expect(cold.status, cold.stderr).toBe(0);
    expect(cold.stdout).toContain('middle');
    expect(cold.stdout).toBe(warm.stdout);
  });

  it('ends the run at once when the dump cannot be read, with nothing left waiting', () => {
    const dir = tempDir('jeprof-ts-early-');
    writeFileSync(join(dir, 'bad.heap'), 'not a heap\n' + 'x'.repeat(2 << 20));
    const r = cli(['--text', TINY, 'bad.heap'], dir, join(dir, 'cache'));
    expect(r.signal, 'killed by the time limit: something kept the run alive').toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("bad.heap:1: not a heap profile");
  });
});

describe('which object files start early', () => {
  class Spy extends Binutils {
    readonly prepared: string[][] = [];
    override async prepare(program: string, libraries: () => readonly string[] = () => []): Promise<void> {
      const libs = libraries();
      this.prepared.push([program, ...libs]);
      return super.prepare(program, () => libs);
    }
  }

  it('the program and the libraries of the first stacks; nothing for a symbolized profile', async () => {
    const dir = tempDir('jeprof-ts-early-');
    writeFileSync(join(dir, 'big.heap'), bigDump());
    const big = new Spy(resolveTools(''));
    expect((await runCli(['--text', TINY, 'big.heap'], { cwd: dir, deps: { objTool: big } })).code).toBe(0);
    // The program, then the files the first stacks hit: here the program's own mapping again.
    expect(big.prepared).toEqual([[TINY, TINY]]);
    writeFileSync(join(dir, 'sym.heap'), '--- symbol\nbinary=x\n0x1 f\n---\n--- heap\nheap_v2/1\n@ 0x1\n  t*: 1: 8 [0: 0]\n');
    const none = new Spy(resolveTools(''));
    const sym = await runCli(['--text', 'sym.heap'], { cwd: dir, deps: { objTool: none } });
    expect(sym.code).toBe(0);
    expect(sym.stdout).toMatch(/% f\n/);
    expect(none.prepared).toEqual([]);
  });
});
