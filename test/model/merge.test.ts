// Tests merge, scale and subtract (src/model/merge.ts): jeprof's AddProfile and SubtractProfile (--base, --drop_negative), reference §1.4, §6.5.
import { describe, expect, it } from 'vitest';
import { merge, scale, subtract } from '../../src/model/merge.js';
import { emptyHeapProfile, type Location, type Profile, type Sample } from '../../src/model/profile.js';

const L1: Location = { id: 1, address: 0x10n, lines: [] };
const L2: Location = { id: 2, address: 0x20n, lines: [] };
const L3: Location = { id: 3, address: 0x30n, lines: [] };

function sample(locations: Location[], values: number[], thread?: string): Sample {
  return { locations, values, labels: thread === undefined ? new Map() : new Map([['thread', thread]]) };
}

function profile(samples: Sample[]): Profile {
  const p = emptyHeapProfile(0);
  p.samples = samples;
  p.locations = [...new Set(samples.flatMap((s) => s.locations))];
  return p;
}

/** Samples as [leaf-first location ids joined by ',' + '|thread', values], in order. */
function rows(p: Profile): [string, number[]][] {
  return p.samples.map((s) => {
    const t = s.labels.get('thread');
    return [s.locations.map((l) => l.id).join(',') + (t === undefined ? '' : `|${t}`), s.values];
  });
}

describe('merge', () => {
  it('sums per stack and thread label, first-seen order', () => {
    const a = profile([sample([L1, L2], [1, 2, 3, 4]), sample([L1, L2], [0, 0, 1, 10], '1')]);
    const b = profile([sample([L1, L2], [10, 20, 30, 40]), sample([L3], [5, 5, 5, 5]), sample([L1, L2], [0, 0, 2, 20], '1')]);
    expect(rows(merge([a, b]))).toEqual([
      ['1,2', [11, 22, 33, 44]],
      ['1,2|1', [0, 0, 3, 30]],
      ['3', [5, 5, 5, 5]],
    ]);
  });

  it('keeps a thread row apart from the all-threads row of the same stack', () => {
    const m = merge([profile([sample([L1], [1, 1, 1, 1])]), profile([sample([L1], [2, 2, 2, 2], '0')])]);
    expect(rows(m)).toEqual([
      ['1', [1, 1, 1, 1]],
      ['1|0', [2, 2, 2, 2]],
    ]);
  });

  it('adds in argument order: ((a + b) + c), so the doubles match jeprof', () => {
    // (0.1 + 0.2) + 0.3 = 0.6000000000000001, while 0.1 + (0.2 + 0.3) = 0.6.
    const m = merge([0.1, 0.2, 0.3].map((v) => profile([sample([L1], [0, 0, 0, v])])));
    expect(m.samples[0].values[3]).toBe(0.6000000000000001);
  });

  it('does not change its inputs', () => {
    const a = profile([sample([L1], [1, 1, 1, 1])]);
    const b = profile([sample([L1], [2, 2, 2, 2])]);
    merge([a, b]);
    expect(a.samples[0].values).toEqual([1, 1, 1, 1]);
    expect(b.samples[0].values).toEqual([2, 2, 2, 2]);
  });

  it('lists the locations of every input once', () => {
    const m = merge([profile([sample([L1, L2], [1, 1, 1, 1])]), profile([sample([L2, L3], [1, 1, 1, 1])])]);
    expect(m.locations.map((l) => l.id).sort()).toEqual([1, 2, 3]);
  });
});

describe('scale', () => {
  it('multiplies every value', () => {
    const s = scale(profile([sample([L1], [1, -2, 0.5, 4])]), -1);
    expect(s.samples[0].values).toEqual([-1, 2, -0.5, -4]);
  });
});

describe('subtract', () => {
  const cur = profile([sample([L1], [10, 10, 10, 10]), sample([L2], [5, 5, 5, 5]), sample([L1], [3, 3, 3, 3], '1')]);

  it('subtracts per stack and negates base-only stacks', () => {
    const base = profile([sample([L1], [4, 4, 4, 4]), sample([L2], [8, 8, 8, 8]), sample([L3], [7, 7, 7, 7])]);
    // L1: 10 - 4 = 6; L2: 5 - 8 = -3; L1|1 not in base: 3; L3 only in base: 0 - 7 = -7.
    expect(rows(subtract(cur, base, false))).toEqual([
      ['1', [6, 6, 6, 6]],
      ['2', [-3, -3, -3, -3]],
      ['1|1', [3, 3, 3, 3]],
      ['3', [-7, -7, -7, -7]],
    ]);
  });

  it('keeps a stack whose difference is exactly 0', () => {
    const base = profile([sample([L2], [5, 5, 5, 5])]);
    expect(rows(subtract(cur, base, false))).toContainEqual(['2', [0, 0, 0, 0]]);
  });

  it('with dropNegative, clamps negative differences to 0 and leaves base-only stacks out', () => {
    const base = profile([sample([L1], [4, 4, 4, 4]), sample([L2], [8, 8, 8, 8]), sample([L3], [7, 7, 7, 7])]);
    expect(rows(subtract(cur, base, true))).toEqual([
      ['1', [6, 6, 6, 6]],
      ['2', [0, 0, 0, 0]],
      ['1|1', [3, 3, 3, 3]],
    ]);
  });

  it('clamps each value separately', () => {
    const base = profile([sample([L2], [1, 9, 1, 9])]);
    // [5-1, 5-9, 5-1, 5-9] = [4, -4, 4, -4] -> [4, 0, 4, 0]
    expect(rows(subtract(cur, base, true))[1]).toEqual(['2', [4, 0, 4, 0]]);
  });

  it('equals merge(cur, scale(base, -1)) without dropNegative', () => {
    const base = profile([sample([L1], [0.1, 0.2, 0.3, 0.7]), sample([L3], [1, 2, 3, 4])]);
    expect(rows(subtract(cur, base, false))).toEqual(rows(merge([cur, scale(base, -1)])));
  });

  it('does not change its inputs', () => {
    const base = profile([sample([L1], [4, 4, 4, 4])]);
    subtract(cur, base, true);
    expect(cur.samples[0].values).toEqual([10, 10, 10, 10]);
    expect(base.samples[0].values).toEqual([4, 4, 4, 4]);
  });
});
