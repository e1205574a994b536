// A dump parsed by two threads (src/parse/split-parse.ts; JEPROF_TS_SPLIT_BYTES=1 splits even a
// small one) must give every report, warning and error a one-thread parse gives: stacks repeated
// across the two parts, upper-case and 64-bit PCs, damaged lines, a stack without count rows
// right before the split, a file cut short, a row jeprof dies on in the second part.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const APP = join(ROOT, 'fixtures', 'corpus', 'seed-leak', 'app');
const SPLIT_SHARE = 0.5;

/** A deterministic dump of `stacks` stacks; `damage` adds the odd lines to its second half. */
function dumpLines(stacks: number, damage: boolean): string[] {
  let seed = 7;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const lines = ['heap_v2/524288', '  t*: 120: 9000000 [0: 0]', '  t0: 60: 4500000 [0: 0]'];
  const own: string[] = [];
  for (let i = 0; i < stacks; i++) {
    // Stacks from 60% on repeat earlier ones, some from the first part: their rows add to those.
    let stack: string;
    if (i > stacks * 0.6 && i % 3 === 0) stack = own[rand(own.length)];
    else {
      const frames = [`0x${(0x401000 + rand(400) * 0x10).toString(16)}`];
      for (let d = 0, depth = 2 + rand(12); d < depth; d++) frames.push(`0x${(0x402000 + rand(300) * 0x18 + 5).toString(16)}`);
      stack = `@ ${frames.join(' ')}`;
      own.push(stack);
    }
    lines.push(stack);
    const n = 1 + rand(40);
    lines.push(`  t*: ${n}: ${n * (16 + rand(5000))} [${n + rand(9)}: ${n * 20000 + rand(99999)}]`);
    if (i % 4 === 0) lines.push(`  t${1 + rand(3)}: ${n}: ${n * 32} [0: 0]`);
    if (damage && i === Math.floor(stacks * 0.8)) {
      lines.push('@ 0x00000000004005AB 0x402005', '  t*: 3: 3000 [3: 3000]');
      lines.push('@ 0xffffffffff600400 0x402005', '  t*: 2: 2048 [2: 2048]');
      lines.push('@ 0x401010 0xzz12 0x40201d', '  t*: 1: 512 [1: 512]');
      lines.push('@ 0x401020 0x402035', '@ 0x401030 0x402035', '  t*: 1: 96 [1: 96]');
      lines.push('@', '  t*: 1: 64 [1: 64]', 'something else entirely', '  t2: 1: 80 [1: 80] worker-thread');
      // Only a thread's row: without --thread its PCs still count (jeprof's %pcs), the highest PC of the dump among them.
      lines.push('@ 0x563efa6642b4 0x563efa664067 0x563efa663a65', '  t3: 2: 160 [2: 160]');
    }
  }
  return lines;
}

/** The offset where the worker's part starts: the first stack line from half the file on. */
function splitOffset(text: string): number {
  const at = text.indexOf('\n@', Math.floor(Buffer.byteLength(text) * SPLIT_SHARE) - 1);
  return at + 1;
}

/** The dump's text, the stack before the split left without count rows (its row replaced by a line as long). */
function withCountlessStackBeforeSplit(lines: string[]): string {
  const text = lines.join('\n');
  const at = splitOffset(text);
  const before = text.slice(0, at).split('\n');
  // before ends with '' (the split line's start); its stack is the last '@' line before that.
  let k = before.length - 2;
  while (!before[k].startsWith('@')) k--;
  for (let j = k + 1; j < before.length - 1; j++) before[j] = 'x'.repeat(before[j].length);
  return before.join('\n') + text.slice(at);
}

function run(args: string[], dir: string, split: boolean) {
  const env = { ...process.env, JEPROF_TS_CACHE: join(dir, 'symbols'), NO_COLOR: '1' };
  if (split) Object.assign(env, { JEPROF_TS_SPLIT_BYTES: '1', JEPROF_TS_PHASES: '1' });
  else delete (env as Record<string, string | undefined>).JEPROF_TS_SPLIT_BYTES;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'jeprof-ts.js'), ...args], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28, env });
  const stderr = r.stderr.split('\n');
  return { status: r.status, stdout: r.stdout, stderr: stderr.filter((l) => !l.startsWith('phase ')).join('\n'), notes: stderr.filter((l) => l.startsWith('phase note:')) };
}

/** Runs `args` split and not, and expects the same output; returns the split run's phase notes. */
function sameBothWays(args: string[], dir: string): string[] {
  const one = run(args, dir, false);
  const two = run(args, dir, true);
  expect(two.status, two.stderr).toBe(one.status);
  expect(two.stderr).toBe(one.stderr);
  expect(two.stdout).toBe(one.stdout);
  return two.notes;
}

describe('a dump parsed by two threads', () => {
  const dir = tempDir('jeprof-ts-split-');
  const whole = withCountlessStackBeforeSplit([...dumpLines(6000, true), '', 'MAPPED_LIBRARIES:', '00400000-00452000 r-xp 00000000 08:01 1 /nonexistent/other', `563efa662000-563efa665000 r-xp 00001000 fe:00 1 ${APP}`, '']);
  writeFileSync(join(dir, 'whole.heap'), whole);

  it('reads as one thread does, in every report: the worker took the part from the first stack line after half the file', { timeout: 120_000 }, () => {
    const notes = sameBothWays(['--text', APP, 'whole.heap'], dir);
    expect(notes).toHaveLength(1);
    const note = /^phase note: whole\.heap read by two threads, the second from byte (\d+) \(its stacks in (\d+) segments\)$/.exec(notes[0]);
    expect(note, notes[0]).not.toBeNull();
    expect(Number(note![1])).toBe(splitOffset(whole));
    // Several segments, each freed once merged: stacks repeated across them, and across the
    // two parts, merge as one (the outputs above are a one-thread read's).
    expect(Number(note![2])).toBeGreaterThan(2);
    // The damage is in the worker's part, and its warnings carry the file's line numbers.
    const lines = whole.split('\n');
    const bad = lines.indexOf('@ 0x401010 0xzz12 0x40201d') + 1;
    expect(run(['--text', APP, 'whole.heap'], dir, true).stderr).toContain(`whole.heap:${bad}: '0xzz12' is not a hex address`);
    expect(splitOffset(whole)).toBeLessThan(whole.indexOf('0xzz12'));
    sameBothWays(['collapsed', APP, 'whole.heap'], dir);
    sameBothWays(['--text', '--inuse_objects', APP, 'whole.heap'], dir);
    sameBothWays(['--text', '--alloc_space', '--addresses', APP, 'whole.heap'], dir);
    sameBothWays(['--raw', APP, 'whole.heap'], dir);
    // A stack with only a thread's row names its PCs' functions in --raw's symbols all the same.
    // (a caller's PC is read one byte back, as jeprof reads return addresses)
    expect(run(['--raw', APP, 'whole.heap'], dir, true).stdout).toMatch(/^0x0000563efa664066 std::_Rb_tree</m);
    sameBothWays(['trend', '--json', APP, 'whole.heap'], dir);
  });

  it('warns of a stack without count rows right before the split, as one thread does', { timeout: 60_000 }, () => {
    const r = run(['--text', APP, 'whole.heap'], dir, true);
    const lines = whole.slice(0, splitOffset(whole)).split('\n');
    let k = lines.length - 2;
    while (!lines[k].startsWith('@')) k--;
    expect(r.stderr).toContain(`whole.heap:${k + 1}: stack has no count lines`);
  });

  it('reads a file cut short in the second part as one thread does', { timeout: 60_000 }, () => {
    writeFileSync(join(dir, 'cut.heap'), whole.slice(0, Math.floor(whole.length * 0.9)).replace(/\n[^\n]*$/, '\n@ 0x401000 0x402005\n'));
    const notes = sameBothWays(['--text', APP, 'cut.heap'], dir);
    expect(notes).toHaveLength(1);
    const r = run(['--text', APP, 'cut.heap'], dir, true);
    expect(r.stderr).toContain('no MAPPED_LIBRARIES section (file truncated?)');
    expect(r.stderr).toContain('stack has no count lines (file truncated?)');
  });

  it('fails on a row jeprof dies on in the second part with the one-thread error and exit code', { timeout: 60_000 }, () => {
    const at = whole.indexOf('  t*:', Math.floor(whole.length * 0.7));
    const end = whole.indexOf('\n', at);
    writeFileSync(join(dir, 'dies.heap'), whole.slice(0, at) + '  t*: 1000000000000: 1 [0: 0]' + whole.slice(end));
    const one = run(['--text', APP, 'dies.heap'], dir, false);
    expect(one.status).toBe(2);
    expect(one.stderr).toMatch(/dies\.heap:\d+: .*cannot be unsampled/);
    const notes = sameBothWays(['--text', APP, 'dies.heap'], dir);
    // The worker gave up its part; this thread read it and met the row itself.
    expect(notes).toEqual([]);
  });

  it('merges a part whose own ids fit 16 bits into a run whose ids do not (70,000 distinct PCs)', { timeout: 120_000 }, () => {
    const lines = ['heap_v2/1', '  t*: 0: 0 [0: 0]'];
    for (let i = 0; i < 70_000; i++) lines.push(`@ 0x${(0x10000000 + i * 0x10).toString(16)} 0x${(0x20000000 + (i % 7) * 0x10 + 1).toString(16)}`, `  t*: 1: ${64 + (i % 100) * 16} [1: 64]`);
    lines.push('', 'MAPPED_LIBRARIES:', '');
    writeFileSync(join(dir, 'wide.heap'), lines.join('\n'));
    expect(sameBothWays(['collapsed', APP, 'wide.heap'], dir)).toHaveLength(1);
  });

  it('does not split when per-thread rows are reported (--thread), nor a run of several dumps', { timeout: 60_000 }, () => {
    expect(sameBothWays(['--text', '--thread=1', APP, 'whole.heap'], dir)).toEqual([]);
    expect(sameBothWays(['--text', `--base=whole.heap`, APP, 'whole.heap'], dir)).toEqual([]);
  });
});
