// Tests the lines a terminal gets during a long run: how far a dump read has got (drawn only once
// a read lasts, redrawn at a pace) and that an analysis of many stacks is running; each cleared
// before anything else is printed, none changing what the report prints or a pipe gets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ReadProgress, SHOW_AFTER_MS, showAfterMs } from '../../src/cli/read-progress.js';
import { ANALYZING_NOTE_STACKS } from '../../src/cli/pipeline.js';
import { FakeObjTool } from '../helpers/fake-objtool.js';
import { runCli } from '../helpers/capture.js';

const PROG = new URL('../../fixtures/bin/tiny', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jeprof-ts-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A clock that reads `times` in turn. */
const clock = (times: number[]) => () => times.shift()!;

describe('ReadProgress', () => {
  it('draws nothing for the first half second, then at most every 200 ms, and clears what it drew', () => {
    let out = '';
    // Started at 0; updates at 100, 499, 500, 650, 700, 950.
    const p = new ReadProgress((t) => void (out += t), 'big.heap', clock([0, 100, 499, 500, 650, 700, 950]));
    for (const bytes of [1, 2, 3, 4, 5, 6]) p.update(bytes * 100 << 20, 600 << 20);
    // Drawn at 500 (3 of 6 parts read), 700 (5) and 950 (6); 650 is too soon after 500.
    expect(out).toBe('\rReading big.heap: 50% of 600 MiB\rReading big.heap: 83% of 600 MiB\rReading big.heap: 100% of 600 MiB');
    p.done();
    expect(out.endsWith('\r\x1b[K')).toBe(true);
  });

  it('waits JEPROF_TS_PROGRESS_AFTER_MS instead when it is a number >= 0', () => {
    expect(SHOW_AFTER_MS).toBe(500);
    expect([{}, { JEPROF_TS_PROGRESS_AFTER_MS: '100' }, { JEPROF_TS_PROGRESS_AFTER_MS: '0' }, { JEPROF_TS_PROGRESS_AFTER_MS: 'soon' }, { JEPROF_TS_PROGRESS_AFTER_MS: '-5' }, { JEPROF_TS_PROGRESS_AFTER_MS: '' }].map(showAfterMs)).toEqual([500, 100, 0, 500, 500, 500]);
    let out = '';
    const p = new ReadProgress((t) => void (out += t), 'big.heap', clock([0, 99, 100]), 100);
    p.update(1, 4);
    expect(out).toBe('');
    p.update(2, 4);
    expect(out).toBe('\rReading big.heap: 50% of 0 MiB');
  });

  it('clears nothing when it drew nothing, and prints a name with control characters escaped', () => {
    let out = '';
    const quick = new ReadProgress((t) => void (out += t), 'a.heap', clock([0, 10]));
    quick.update(5, 10);
    quick.done();
    expect(out).toBe('');
    const odd = new ReadProgress((t) => void (out += t), 'x\x1b[2Jy.heap', clock([0, 600]));
    odd.update(1, 3);
    expect(out).toBe('\rReading x\\x1b[2Jy.heap: 33% of 0 MiB');
  });
});

describe('a long read on a terminal', () => {
  // The fixture's two stacks written again and again: 10.5 MB, read in 1 MiB chunks.
  const lines = ['heap_v2/1', '  t*: 3: 1050624 [0: 0]'];
  for (let i = 0; i < 70_000; i++) lines.push('@ 0x401a00 0x401b10 0x401c20', '  t*: 2: 2048 [0: 0]', '@ 0x401a00 0x401b20 0x401c20', '  t*: 1: 1048576 [0: 0]');
  lines.push('', 'MAPPED_LIBRARIES:', '00400000-00401000 r--p 00000000 fe:00 1 /build/elsewhere/tiny', '');
  const heap = join(dir, 'long.heap');
  writeFileSync(heap, lines.join('\n'));

  it('shows its progress on stderr, cleared before the report, which is what a pipe gets', async () => {
    let t = 0;
    // Every reading of the clock is 300 ms later: each 1 MiB chunk redraws the line.
    const tty = await runCli(['--text', PROG, heap], { stderrTty: true, deps: { objTool: new FakeObjTool(), now: () => (t += 300) } });
    const piped = await runCli(['--text', PROG, heap], { deps: { objTool: new FakeObjTool(), now: () => (t += 300) } });
    expect(tty.code).toBe(0);
    expect(tty.stdout).toBe(piped.stdout);
    // 70,000 times 2,048 + 1,048,576 bytes, in MiB.
    expect(tty.stdout.split('\n')[0]).toBe('Total: 70136.7 MB');
    const drawn = [...tty.stderr.matchAll(/\rReading (\S+): (\d+)% of (\d+) MiB/g)];
    expect(drawn.length).toBeGreaterThanOrEqual(5);
    expect(new Set(drawn.map((d) => d[1]))).toEqual(new Set([heap]));
    const percents = drawn.map((d) => Number(d[2]));
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(percents.at(-1)).toBe(100);
    // Cleared once, after the last draw, before the lines that follow the read.
    expect(tty.stderr.indexOf('\r\x1b[K')).toBeGreaterThan(tty.stderr.lastIndexOf('\rReading'));
    expect(tty.stderr.replace(/\rReading [^\r]*/g, '').replace('\r\x1b[K', '')).toBe(piped.stderr);
    expect(piped.stderr).not.toContain('Reading');
  });
});

describe('an analysis of many stacks on a terminal', () => {
  // As many distinct stacks as the note asks for, and one dump with one fewer: the fixture's leaf
  // under eleven callers, each one of its three caller PCs (the digits of i in base 3), so that the
  // fake binutils knows every PC.
  const callers = ['0x401b10', '0x401b20', '0x401c20'];
  const dump = (n: number) => {
    const lines = ['heap_v2/1', '  t*: 1: 1 [0: 0]'];
    for (let i = 0; i < n; i++) {
      const frames = ['0x401a00'];
      for (let d = 0, k = i; d < 11; d++, k = Math.floor(k / 3)) frames.push(callers[k % 3]);
      lines.push(`@ ${frames.join(' ')}`, '  t*: 1: 1024 [0: 0]');
    }
    lines.push('', 'MAPPED_LIBRARIES:', '00400000-00401000 r--p 00000000 fe:00 1 /build/elsewhere/tiny', '');
    return lines.join('\n');
  };
  const many = join(dir, 'many.heap');
  const fewer = join(dir, 'fewer.heap');
  writeFileSync(many, dump(ANALYZING_NOTE_STACKS));
  writeFileSync(fewer, dump(ANALYZING_NOTE_STACKS - 1));

  it('says so while it runs, for the top table and for collapsed, and clears it before the report', { timeout: 60_000 }, async () => {
    for (const mode of ['--text', '--collapsed']) {
      // A clock that stands still: no read lasts long enough for its own line here.
      const tty = await runCli([mode, PROG, many], { stderrTty: true, deps: { objTool: new FakeObjTool(), now: () => 0 } });
      const piped = await runCli([mode, PROG, many], { deps: { objTool: new FakeObjTool() } });
      expect(tty.code).toBe(0);
      expect(tty.stdout).toBe(piped.stdout);
      const note = '\rAnalyzing 100,000 stacks...';
      expect(tty.stderr.split(note)).toHaveLength(2);
      expect(tty.stderr.indexOf('\r\x1b[K', tty.stderr.indexOf(note))).toBeGreaterThan(0);
      expect(tty.stderr.replace(note, '').replace('\r\x1b[K', '')).toBe(piped.stderr);
      expect(piped.stderr).not.toContain('Analyzing');
    }
    const few = await runCli(['--text', PROG, fewer], { stderrTty: true, deps: { objTool: new FakeObjTool(), now: () => 0 } });
    expect(few.stderr).not.toContain('Analyzing');
  });

  it("says so for each big dump of a trend, whose table is the piped run's", { timeout: 60_000 }, async () => {
    const args = ['trend', PROG, fewer, many];
    // A clock that stands still: no read lasts long enough for its own line here.
    const tty = await runCli(args, { stderrTty: true, deps: { objTool: new FakeObjTool(), now: () => 0 } });
    const piped = await runCli(args, { deps: { objTool: new FakeObjTool() } });
    expect(tty.code, tty.stderr).toBe(0);
    expect(tty.stdout).toBe(piped.stdout);
    // The first dump is one stack short of the note; the second has it, once, then cleared.
    expect(tty.stderr.match(/\rAnalyzing [\d,]+ stacks\.\.\./g)).toEqual(['\rAnalyzing 100,000 stacks...']);
    expect(tty.stderr.replace('\rAnalyzing 100,000 stacks...\r\x1b[K', '')).toBe(piped.stderr);
  });
});
