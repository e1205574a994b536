// Tests reduceStacks and flatAndCum (src/graph/build.ts): jeprof's ReduceProfile, FlatProfile and CumulativeProfile, reference §6.3.
import { describe, expect, it } from 'vitest';
import { flatAndCum, reduceStacks } from '../../src/graph/build.js';
import type { TranslateContext } from '../../src/graph/granularity.js';
import type { Stack } from '../../src/graph/stacks.js';
import { inlinedLoc, namedLoc as loc } from '../helpers/locations.js';


const functions: TranslateContext = { granularity: 'functions', renames: new Map(), runIds: new Map() };
const lines: TranslateContext = { granularity: 'lines', renames: new Map(), runIds: new Map() };

describe('reduceStacks', () => {
  it('keeps a recursive function once, at its leaf-most place', () => {
    // rec recursing: 5 different PCs, all named rec (reference §6.3, src/t1).
    const main = loc(0x12b7n, 'main');
    const recs = [0x11e2n, 0x11f0n, 0x11f0n + 1n, 0x11f0n + 2n, 0x11f0n + 3n].map((a) => loc(a, 'rec'));
    const r = reduceStacks([{ locations: [...recs, main], value: 102400 }], functions);
    expect(r).toEqual([{ keys: ['rec', 'main'], value: 102400 }]);
  });

  it('adds up stacks whose key lists are equal', () => {
    const a: Stack = { locations: [loc(0x1190n, 'alloc_big'), loc(0x12c0n, 'main')], value: 10 };
    const b: Stack = { locations: [loc(0x1195n, 'alloc_big'), loc(0x12d0n, 'main')], value: 5 };
    expect(reduceStacks([a, b], functions)).toEqual([{ keys: ['alloc_big', 'main'], value: 15 }]);
  });

  it('gives an empty key list to a stack with no frames left', () => {
    expect(reduceStacks([{ locations: [], value: 7 }], functions)).toEqual([{ keys: [], value: 7 }]);
  });

  it('with --lines, the recursive call site counts once', () => {
    const main = loc(0x12b7n, 'main', 't1.c:20');
    const leaf = loc(0x11e2n, 'rec', 't1.c:11');
    const site1 = loc(0x11f0n, 'rec', 't1.c:12');
    const site2 = loc(0x11f1n, 'rec', 't1.c:12');
    expect(reduceStacks([{ locations: [leaf, site1, site2, main], value: 4 }], lines)).toEqual([
      { keys: ['rec t1.c:11', 'rec t1.c:12', 'main t1.c:20'], value: 4 },
    ]);
  });
});

describe('reduceStacks, frame by frame', () => {
  it("drops keys named '', keeps each key once at its leaf-most place, and names a Callback...::Run frame after its caller, in any mix of stacks", () => {
    // One numbering for all the stacks: the second meeting of a key, of a nameless key, or of a
    // PC whose keys are cached goes another way than the first, and a Run frame's stack another
    // way than the rest (its key depends on the frame before it).
    const blank = loc(0x10n, '');
    const a = loc(0x20n, 'a');
    const a2 = loc(0x21n, 'a');
    const b = loc(0x30n, 'b');
    const main = loc(0x40n, 'main');
    const inl = inlinedLoc(0x50n, ['outer', 'o.c:2'], ['inner', 'i.h:7']);
    const run = loc(0x60n, 'Callback1<int>::Run');
    const ctx: TranslateContext = { granularity: 'functions', renames: new Map(), runIds: new Map() };
    const got = reduceStacks(
      [
        { locations: [blank, a, b, a2, main], value: 1 },
        { locations: [inl, blank, a, inl, main], value: 2 },
        { locations: [a, run, main], value: 3 },
        { locations: [blank, blank], value: 4 },
        { locations: [b, run, a, main], value: 5 },
        { locations: [blank, a2, b, main], value: 6 },
      ],
      ctx,
    );
    expect(got).toEqual([
      { keys: ['a', 'b', 'main'], value: 1 + 6 },
      { keys: ['inner (inline)', 'outer', 'a', 'main'], value: 2 },
      { keys: ['a', 'Run#1', 'main'], value: 3 },
      { keys: [], value: 4 },
      { keys: ['b', 'Run#2', 'a', 'main'], value: 5 },
    ]);
  });
});

describe('flatAndCum', () => {
  it('flat goes to the leaf key, cum once to every key of the stack', () => {
    const fc = flatAndCum([
      { keys: ['rec', 'main'], value: 102400 },
      { keys: ['alloc_big', 'main'], value: 10485760 },
      { keys: ['main'], value: 3072 },
    ]);
    expect(fc.flat).toEqual(
      new Map([
        ['rec', 102400],
        ['alloc_big', 10485760],
        ['main', 3072],
      ]),
    );
    // main: 102400 + 10485760 + 3072 = 10591232
    expect(fc.cum).toEqual(
      new Map([
        ['rec', 102400],
        ['main', 10591232],
        ['alloc_big', 10485760],
      ]),
    );
  });

  it('skips empty key lists', () => {
    const fc = flatAndCum([{ keys: [], value: 1048576 }, { keys: ['alloc_big'], value: 1048576 }]);
    expect([...fc.flat]).toEqual([['alloc_big', 1048576]]);
    expect([...fc.cum]).toEqual([['alloc_big', 1048576]]);
  });

  it('handles negative values from a --base: sums can reach exactly 0 and stay as keys', () => {
    const fc = flatAndCum([
      { keys: ['alloc_big', 'main'], value: 1000 },
      { keys: ['alloc_zero', 'main'], value: -1000 },
    ]);
    expect(fc.flat.get('alloc_big')).toBe(1000);
    expect(fc.flat.get('alloc_zero')).toBe(-1000);
    // 1000 + (-1000) = 0
    expect(fc.cum.get('main')).toBe(0);
    expect(fc.cum.has('main')).toBe(true);
  });
});
