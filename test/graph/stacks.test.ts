// Tests stacksOf, mergeStacks and totalOf (src/graph/stacks.ts): one value per stack, per thread.
import { describe, expect, it } from 'vitest';
import { mergeStacks, stacksOf, totalOf } from '../../src/graph/stacks.js';
import { emptyHeapProfile, type Location } from '../../src/model/profile.js';

function loc(id: number): Location {
  return { id, address: BigInt(id) * 16n, lines: [] };
}

describe('stacksOf', () => {
  const p = emptyHeapProfile(0);
  const a = loc(1);
  const b = loc(2);
  p.locations = [a, b];
  p.samples = [
    { locations: [a, b], values: [1, 10, 100, 1000], labels: new Map() },
    { locations: [a, b], values: [2, 20, 200, 2000], labels: new Map([['thread', '1']]) },
    { locations: [b], values: [3, 30, 300, 3000], labels: new Map([['thread', '2']]) },
  ];

  it('takes the all-threads samples without a thread argument, with the chosen value', () => {
    // index 3 = inuse_space
    expect(stacksOf(p, 3)).toEqual([{ locations: [a, b], value: 1000 }]);
    // index 0 = alloc_objects
    expect(stacksOf(p, 0)).toEqual([{ locations: [a, b], value: 1 }]);
  });

  it("takes one thread's samples with a thread argument", () => {
    expect(stacksOf(p, 3, '1')).toEqual([{ locations: [a, b], value: 2000 }]);
    expect(stacksOf(p, 2, '2')).toEqual([{ locations: [b], value: 300 }]);
    expect(stacksOf(p, 3, '7')).toEqual([]);
  });
});

describe('mergeStacks', () => {
  it('adds stacks with the same locations, keeping first-seen order', () => {
    const a = loc(1);
    const b = loc(2);
    const r = mergeStacks([
      { locations: [a, b], value: 1 },
      { locations: [b], value: 5 },
      { locations: [a, b], value: 2 },
    ]);
    expect(r).toEqual([
      { locations: [a, b], value: 3 },
      { locations: [b], value: 5 },
    ]);
  });

  it('does not change its input stacks', () => {
    const a = loc(1);
    const s = { locations: [a], value: 1 };
    mergeStacks([s, { locations: [a], value: 2 }]);
    expect(s.value).toBe(1);
  });
});

describe('totalOf', () => {
  it('sums the values, negative ones included', () => {
    expect(totalOf([{ locations: [], value: 10 }, { locations: [loc(1)], value: -4 }, { locations: [loc(2)], value: 0.5 }])).toBe(6.5);
    expect(totalOf([])).toBe(0);
  });
});
