// Tests analyze (src/graph/analyze.ts): jeprof's FilterAndPrint order up to flat/cum, reference §5.10, §6.1, §6.3-§6.6.
import { describe, expect, it } from 'vitest';
import { analyze, type AnalyzeOptions } from '../../src/graph/analyze.js';
import type { Stack } from '../../src/graph/stacks.js';
import { stacksOf } from '../../src/graph/stacks.js';
import { subtract } from '../../src/model/merge.js';
import { emptyHeapProfile, type Location, type Sample } from '../../src/model/profile.js';
import { namedLoc as loc } from '../helpers/locations.js';


function opts(o: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  return { granularity: 'functions', renames: new Map(), runIds: new Map(), ...o };
}

const malloc = loc(0x22044n, 'malloc');
const allocBig = loc(0x55ac4ad971a0n, 'alloc_big', '/home/dev/facts/src/t1.c:5');
const allocZero = loc(0x55ac4ad971b0n, 'alloc_zero', '/home/dev/facts/src/t1.c:8');
const rec = loc(0x55ac4ad971e2n, 'rec', '/home/dev/facts/src/t1.c:11');
const recSite = loc(0x55ac4ad971f0n, 'rec', '/home/dev/facts/src/t1.c:12');
const main = loc(0x55ac4ad972e8n, 'main', '/home/dev/facts/src/t1.c:20');

describe('analyze', () => {
  it('counts a stack emptied by frame removal in the total only (reference: Total 2.0 MB, one 1.0 MB row)', () => {
    const stacks: Stack[] = [
      { locations: [malloc], value: 1048576 },
      { locations: [allocBig, malloc, main], value: 1048576 },
    ];
    const a = analyze(stacks, opts());
    // 1048576 + 1048576 = 2097152 before removal; the second stack keeps only main after malloc.
    expect(a.total).toBe(2097152);
    expect([...a.flatCum.flat]).toEqual([['main', 1048576]]);
    expect([...a.flatCum.cum]).toEqual([['main', 1048576]]);
  });

  it('keeps the total unfiltered under --focus, --ignore, --retain and --exclude', () => {
    const stacks: Stack[] = [
      { locations: [allocBig, main], value: 10485760 },
      { locations: [rec, recSite, recSite, main], value: 102400 },
      { locations: [allocZero, main], value: 409600 },
    ];
    // 10485760 + 102400 + 409600 = 10997760
    for (const o of [{ focus: /^rec$/ }, { ignore: /alloc/ }, { retain: /^rec$/ }, { exclude: /rec|alloc/ }]) {
      expect(analyze(stacks, opts(o)).total).toBe(10997760);
    }
    const focused = analyze(stacks, opts({ focus: /^rec$/ }));
    expect([...focused.flatCum.flat]).toEqual([['rec', 102400]]);
    // rec once per stack, even though the stack holds three rec frames.
    expect(focused.flatCum.cum.get('rec')).toBe(102400);
    expect(focused.flatCum.cum.get('main')).toBe(102400);
  });

  it('applies --ignore after --focus', () => {
    const stacks: Stack[] = [
      { locations: [allocBig, main], value: 1 },
      { locations: [rec, main], value: 2 },
      { locations: [allocZero, main], value: 4 },
    ];
    const a = analyze(stacks, opts({ focus: /^main$/, ignore: /alloc_big/ }));
    expect(a.stacks.map((s) => s.value)).toEqual([2, 4]);
  });

  it('removes allocator frames before --retain (a retained malloc still cuts the stack)', () => {
    const stacks: Stack[] = [{ locations: [allocBig, malloc, main], value: 8 }];
    const a = analyze(stacks, opts({ retain: /alloc_big|malloc|main/ }));
    expect([...a.flatCum.flat]).toEqual([['main', 8]]);
  });

  it('moves flat onto the next frame when --exclude removes the leaf (reference §6.6)', () => {
    const a = analyze([{ locations: [allocBig, main], value: 10485760 }], opts({ exclude: /alloc_big/ }));
    expect([...a.flatCum.flat]).toEqual([['main', 10485760]]);
  });

  it('carries negative values from a --base through to flat, cum and total', () => {
    // cur: one stack of 1000 B; base: the same stack 1000 B and another of 1000 B only in the base.
    const mk = (locations: Location[], inuse: number): Sample => ({ locations, values: [0, 0, 0, inuse], labels: new Map() });
    const cur = emptyHeapProfile(0);
    cur.locations = [allocBig, main];
    cur.samples = [mk([allocBig, main], 1000)];
    const base = emptyHeapProfile(0);
    base.locations = [allocBig, allocZero, main];
    base.samples = [mk([allocBig, main], 1000), mk([allocZero, main], 1000)];
    const diff = subtract(cur, base, false);
    const a = analyze(stacksOf(diff, 3), opts());
    // alloc_big: 1000 - 1000 = 0; alloc_zero: 0 - 1000 = -1000; total 0 + (-1000) = -1000.
    expect(a.total).toBe(-1000);
    expect(a.flatCum.flat.get('alloc_zero')).toBe(-1000);
    expect(a.flatCum.flat.get('alloc_big')).toBe(0);
    expect(a.flatCum.cum.get('main')).toBe(-1000);
  });

  it('keys the flat/cum maps by the chosen granularity', () => {
    const a = analyze([{ locations: [rec, recSite, main], value: 5 }], opts({ granularity: 'lines' }));
    expect([...a.flatCum.cum.keys()]).toEqual(['rec /home/dev/facts/src/t1.c:11', 'rec /home/dev/facts/src/t1.c:12', 'main /home/dev/facts/src/t1.c:20']);
    expect([...a.flatCum.flat]).toEqual([['rec /home/dev/facts/src/t1.c:11', 5]]);
  });
});
