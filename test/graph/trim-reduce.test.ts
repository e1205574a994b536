// Tests trimAndReduce (src/graph/trim-reduce.ts) against the two-step form it replaces,
// removeAllocatorFrames then flatAndCumOf: same rows, same order, bit-identical doubles, with and
// without values below zero (the two ways of adding, see addsDirectly).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ReductionCache, trimAndReduce } from '../../src/graph/trim-reduce.js';
import { KeyNumbering } from '../../src/graph/granularity.js';
import { PooledStack } from '../../src/graph/stacks.js';
import { IntSequenceTable } from '../../src/model/interner.js';
import type { LocationTable } from '../../src/model/locations.js';
import { PooledSample, SampleOrigin, StackStore } from '../../src/model/stack-store.js';
import { AllocatorTrimmer, allocatorFrameTest } from '../../src/graph/allocator-trim.js';
import { removeAllocatorFrames } from '../../src/graph/frames.js';
import { addsDirectly, flatAndCumOf } from '../../src/graph/build.js';
import type { Granularity, TranslateContext } from '../../src/graph/granularity.js';
import type { Stack } from '../../src/graph/stacks.js';
import { inlinedLoc, namedLoc } from '../helpers/locations.js';

// A small world of PCs: allocator frames, plain functions (some sharing a name), inlined levels,
// a Callback...::Run frame (named after its caller) and unnamed PCs.
const pcs = [
  namedLoc(0x1000n, 'malloc'),
  namedLoc(0x1010n, 'calloc'),
  namedLoc(0x1020n, 'operator new'),
  namedLoc(0x2000n, 'alloc_a', 'a.c:3'),
  namedLoc(0x2010n, 'alloc_a', 'a.c:4'),
  namedLoc(0x2020n, 'alloc_b', 'b.c:9'),
  namedLoc(0x2030n, 'rec', 'r.c:1'),
  inlinedLoc(0x2040n, ['outer', 'o.c:2'], ['inner', 'i.h:7']),
  namedLoc(0x2050n, 'Callback1<int>::Run', 'cb.h:5'),
  namedLoc(0x2060n, 'main', 'm.c:20'),
  namedLoc(0x3000n),
  namedLoc(0x3010n),
];

// Values that are not small integers, so that a different order of additions would show.
const value = fc.oneof(fc.integer({ min: -1e6, max: 1e6 }), fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.3, 1 / 3));
const stack = fc.record({ locations: fc.array(fc.constantFrom(...pcs), { maxLength: 9 }), value });
// No value below zero, as in every run without --base: the sums are then added stack by stack.
// Short stacks, so that stacks of other PCs often share a key path (where the two ways of adding differ).
const nonNegative = fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.double({ min: 0, max: 1e9, noNaN: true }), fc.constantFrom(0.1, 0.2, 0.3, 1 / 3));
const unbasedStack = fc.record({ locations: fc.array(fc.constantFrom(...pcs), { maxLength: 4 }), value: nonNegative });
const granularity = fc.constantFrom<Granularity | 'address-only'>('functions', 'lines', 'addresses', 'files', 'address-only');

function twoStep(input: Stack[], ctx: TranslateContext) {
  const trimmed = removeAllocatorFrames(input);
  // With no value below zero, each stack is trimmed and added on its own, in input order.
  const summed = addsDirectly(input.map((s) => s.value)) ? input.map((s) => removeAllocatorFrames([s])[0]) : trimmed;
  return { flatCum: flatAndCumOf(summed, ctx), trimmed };
}

const ctxFor = (g: Granularity | 'address-only'): TranslateContext => ({ granularity: g, renames: new Map(), runIds: new Map() });
const entries = (m: Map<string, number>) => [...m].map(([k, v]) => [k, Object.is(v, -0) ? '-0' : v]);

describe('trimAndReduce', () => {
  // Paths kept (the usual case), and made again from their first stacks (RemadePaths), as runs
  // on more than REMAKE_PATHS_FRAMES frames do.
  // Values of both signs (with --base), and none below zero (added stack by stack, see addsDirectly).
  for (const [how, remakeFrames, stacks] of [['kept', undefined, stack], ['made again', 0, stack], ['not kept: no value below zero', undefined, unbasedStack]] as const) {
    it(`matches removeAllocatorFrames + flatAndCumOf on random stacks, order and bits included (paths ${how})`, () => {
      fc.assert(
        fc.property(fc.array(stacks, { maxLength: 40 }), granularity, (input, g) => {
          // Repeat some stacks so that merging happens at both levels.
          const withRepeats = [...input, ...input.filter((_, i) => i % 3 === 0).map((s) => ({ ...s, value: s.value / 7 }))];
          const want = twoStep(withRepeats, ctxFor(g));
          const ctx = ctxFor(g);
          const got = trimAndReduce(withRepeats, ctx, { remakeFrames });
          expect(entries(got.flatCum.flat)).toEqual(entries(want.flatCum.flat));
          expect(entries(got.flatCum.cum)).toEqual(entries(want.flatCum.cum));
          expect(got.trimmed().map((s) => [s.locations.map((l) => l.id), s.value])).toEqual(want.trimmed.map((s) => [s.locations.map((l) => l.id), s.value]));
        }),
        { numRuns: 400 },
      );
    });
  }

  it('with a ReductionCache over a series of inputs of one store gives what it gives without, order and bits included (Run# frames too)', () => {
    const byId = new Map(pcs.map((l) => [l.id, l]));
    const table = new IntSequenceTable();
    const store = new StackStore(table, { byId: (id: number) => byId.get(id)! } as unknown as LocationTable);
    const pooled = (s: { locations: typeof pcs; value: number }) => {
      const entry = table.intern(s.locations.map((l) => l.id));
      return new PooledStack(new PooledSample(new SampleOrigin(store, new Map(), undefined), entry, [s.value, s.value, s.value, s.value]), 0);
    };
    const series = (s: typeof stack) => fc.array(fc.array(s, { maxLength: 12 }), { minLength: 1, maxLength: 5 });
    const both = fc.oneof(fc.tuple(fc.array(stack, { minLength: 1, maxLength: 15 }), series(stack)), fc.tuple(fc.array(unbasedStack, { minLength: 1, maxLength: 15 }), series(unbasedStack)));
    fc.assert(
      fc.property(both, granularity, fc.boolean(), ([pool, dumps], g, trim) => {
        // Each dump: some stacks of a common pool (as a series repeats its stacks) and some of its own.
        const inputs = dumps.map((own, d) => [...pool.filter((_, i) => (i + d) % 2 === 0), ...own].map(pooled));
        const trimmer = () => (trim ? new AllocatorTrimmer(allocatorFrameTest(() => false), 1_000_000) : undefined);
        const plainTrimmer = trimmer();
        const cachedTrimmer = trimmer();
        const plain = { ...ctxFor(g), numbering: new KeyNumbering() };
        const cached = { ...ctxFor(g), numbering: new KeyNumbering() };
        const cache = new ReductionCache();
        for (const input of inputs) {
          const want = trimAndReduce(input, { ...plain, runIds: new Map() }, { trimmer: plainTrimmer });
          const got = trimAndReduce(input, { ...cached, runIds: new Map() }, { trimmer: cachedTrimmer, cache });
          expect(entries(got.flatCum.flat)).toEqual(entries(want.flatCum.flat));
          expect(entries(got.flatCum.cum)).toEqual(entries(want.flatCum.cum));
          expect(got.trimmed().map((s) => [s.locations.map((l) => l.id), s.value])).toEqual(want.trimmed().map((s) => [s.locations.map((l) => l.id), s.value]));
          const r = got.trimmedRanges();
          const w = want.trimmedRanges();
          expect([...r.values]).toEqual([...w.values]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with a ReductionCache, a store whose id array grew since the cache was made is reduced without it, and alike', () => {
    // The cache's trimmed lists point into the store's id array; a table that grew has a new one.
    const byId = new Map(pcs.map((l) => [l.id, l]));
    const table = new IntSequenceTable(16, 64);
    const store = new StackStore(table, { byId: (id: number) => byId.get(id)! } as unknown as LocationTable);
    const origin = new SampleOrigin(store, new Map(), undefined);
    const pooled = (ids: number[], v: number) => new PooledStack(new PooledSample(origin, table.intern(ids), [v, v, v, v]), 0);
    const [malloc, , , allocA, allocA4, allocB, rec, , , main] = pcs;
    const first = [pooled([malloc.id, allocA.id, main.id], 0.1), pooled([allocB.id, main.id], 0.2)];
    const cache = new ReductionCache();
    const cached = { ...ctxFor('functions'), numbering: new KeyNumbering() };
    const plain = { ...ctxFor('functions'), numbering: new KeyNumbering() };
    trimAndReduce(first, { ...cached, runIds: new Map() }, { cache });
    trimAndReduce(first, { ...plain, runIds: new Map() });
    const before = table.data;
    const second = [...first];
    for (let i = 0; i < 40; i++) second.push(pooled([rec.id, ...Array(i % 9).fill(allocA4.id), main.id, i % 2 ? allocB.id : rec.id], i / 3));
    expect(table.data).not.toBe(before);
    const got = trimAndReduce(second, { ...cached, runIds: new Map() }, { cache });
    const want = trimAndReduce(second, { ...plain, runIds: new Map() });
    expect(entries(got.flatCum.flat)).toEqual(entries(want.flatCum.flat));
    expect(entries(got.flatCum.cum)).toEqual(entries(want.flatCum.cum));
  });

  it('with a value below zero (--base), adds up each key path first: a function unchanged at two call sites sums to exactly 0', () => {
    const [, , , allocA, allocA4, , rec] = pcs;
    const main = pcs[9];
    // alloc_a at two PCs: one path from each pair of stacks, each pair +x then -x. Added stack by
    // stack, ((0.1 + 0.2) - 0.1) - 0.2 leaves 2.8e-17 in alloc_a's and main's rows.
    const input: Stack[] = [
      { locations: [allocA, main], value: 0.1 },
      { locations: [allocA, rec, main], value: 0.2 },
      { locations: [allocA4, main], value: -0.1 },
      { locations: [allocA4, rec, main], value: -0.2 },
    ];
    expect(0.1 + 0.2 - 0.1 - 0.2).not.toBe(0);
    for (const fc of [trimAndReduce(input, ctxFor('functions')).flatCum, trimAndReduce(input, ctxFor('functions'), { remakeFrames: 0 }).flatCum, flatAndCumOf(input, ctxFor('functions'))]) {
      expect(fc.flat.get('alloc_a')).toBe(0);
      expect(fc.cum.get('alloc_a')).toBe(0);
      expect(fc.cum.get('main')).toBe(0);
      expect(fc.cum.get('rec')).toBe(0);
    }
  });

  it('with no value below zero, adds stack by stack, with and without a ReductionCache', () => {
    const [, , , allocA, allocA4, allocB] = pcs;
    const main = pcs[9];
    // Two stacks of one key path (alloc_a at two PCs) after a big one: stack by stack, each 1 is
    // lost to rounding in main's row (1e16 + 1 = 1e16); a path's values added first would give 1e16 + 2.
    const values = [1e16, 1, 1];
    const ids = [[allocB.id, main.id], [allocA.id, main.id], [allocA4.id, main.id]];
    const input: Stack[] = ids.map((s, i) => ({ locations: s.map((id) => pcs.find((l) => l.id === id)!), value: values[i] }));
    const byId = new Map(pcs.map((l) => [l.id, l]));
    const table = new IntSequenceTable();
    const store = new StackStore(table, { byId: (id: number) => byId.get(id)! } as unknown as LocationTable);
    const pooled = ids.map((s, i) => new PooledStack(new PooledSample(new SampleOrigin(store, new Map(), undefined), table.intern(s), [values[i], 0, 0, 0]), 0));
    const cache = new ReductionCache();
    const numbering = new KeyNumbering();
    const cached = () => trimAndReduce(pooled, { ...ctxFor('functions'), numbering }, { cache }).flatCum;
    const first = cached();
    for (const fc of [trimAndReduce(input, ctxFor('functions')).flatCum, trimAndReduce(input, ctxFor('functions'), { remakeFrames: 0 }).flatCum, flatAndCumOf(input, ctxFor('functions')), first, cached()]) {
      expect(fc.cum.get('main')).toBe(1e16);
      expect(fc.flat.get('alloc_a')).toBe(2);
    }
    expect(1e16 + 2).not.toBe(1e16);
  });

  it('merges stacks equal once trimmed before adding them into their row (jeprof order)', () => {
    const [malloc, calloc, , allocA] = pcs;
    const main = pcs[9];
    // a and c are equal once trimmed; b differs but reduces to the same row. Two-step order:
    // (a + c) + b = 0 + 1; in file order (a + b) + c, the 1 would be lost to rounding.
    const input: Stack[] = [
      { locations: [malloc, allocA, main], value: 1e16 },
      { locations: [pcs[4], main], value: 1 },
      { locations: [calloc, allocA, main], value: -1e16 },
    ];
    const got = trimAndReduce(input, ctxFor('functions'));
    expect(got.flatCum.flat.get('alloc_a')).toBe(1);
    expect(trimAndReduce(input, ctxFor('functions'), { remakeFrames: 0 }).flatCum.flat.get('alloc_a')).toBe(1);
    expect(1e16 + 1 - 1e16).toBe(0);
  });
});
