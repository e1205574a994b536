// The numbers trend ranks by, worked out by hand: growth, least-squares slope, steadiness; and
// the ranking that puts a steady leak above a bigger burst and a cache that warmed up.
import { describe, expect, it } from 'vitest';
import { rankRows, seriesRows, trendOf, type SeriesRow } from '../../src/graph/series.js';
import type { FlatCum } from '../../src/graph/build.js';

const row = (key: string, values: number[]): SeriesRow => ({ key, values, ...trendOf(values) });

describe('trendOf', () => {
  it('a straight line: slope is the step, every step kept', () => {
    expect(trendOf([10, 20, 30, 40])).toEqual({ first: 10, last: 40, growth: 30, slope: 10, steady: 1 });
  });
  it('least squares, not last minus first over n', () => {
    // x = 0..3, mean 1.5; y mean 3; sxy = (-1.5)(0) + (-0.5)(6) + (0.5)(0) + (1.5)(6) = 6; sxx = 5.
    expect(trendOf([0, 6, 0, 6]).slope).toBeCloseTo(6 / 5, 12);
    expect(trendOf([0, 6, 0, 6]).steady).toBeCloseTo(2 / 3, 12);
  });
  it('a shrinking row: negative growth and slope', () => {
    const t = trendOf([8, 6, 4]);
    expect([t.growth, t.slope, t.steady]).toEqual([-4, -2, 0]);
  });
  it('one dump: no slope, steady by definition; none: zeros', () => {
    expect(trendOf([5])).toEqual({ first: 5, last: 5, growth: 0, slope: 0, steady: 1 });
    expect(trendOf([])).toEqual({ first: 0, last: 0, growth: 0, slope: 0, steady: 1 });
  });
});

describe('rankRows', () => {
  it('a steady leak first, then a burst at the end (bigger growth), a warmed-up cache, noise, shrinkers last', () => {
    const leak = row('leak', [0, 10, 20, 30, 40, 50, 60, 70]); // slope 10, steady 1
    const burst = row('burst', [0, 0, 0, 0, 0, 0, 0, 100]); // slope 350/42 = 8.33
    const cache = row('cache', [0, 60, 60, 60, 60, 60, 60, 60]); // slope 210/42 = 5
    const saw = row('saw', [0, 50, 0, 50, 0, 50, 0, 50]); // slope 100/42 * steady 4/7
    const flat = row('flat', [5, 5, 5, 5, 5, 5, 5, 5]);
    const shrink = row('shrink', [70, 60, 50, 40, 30, 20, 10, 0]);
    expect(rankRows([shrink, flat, saw, cache, burst, leak]).map((r) => r.key)).toEqual(['leak', 'burst', 'cache', 'saw', 'flat', 'shrink']);
    expect(burst.growth).toBeGreaterThan(leak.growth);
  });
  it('a row that rose and fell back ranks after every row that grew, however steep', () => {
    const hump = row('hump', [0, 500, 900, 900, 0]);
    const small = row('small', [0, 1, 1, 1, 2]);
    expect(hump.slope).toBeGreaterThan(small.slope);
    expect(rankRows([hump, small]).map((r) => r.key)).toEqual(['small', 'hump']);
  });
  it('ties by growth, then by name, so the order is stable', () => {
    expect(rankRows([row('b', [0, 0]), row('a', [0, 0]), row('c', [1, 1])]).map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});

describe('seriesRows', () => {
  const fc = (flat: [string, number][], cum: [string, number][]): FlatCum => ({ flat: new Map(flat), cum: new Map(cum), origin: () => undefined }) as unknown as FlatCum;
  it('every key of any dump, 0 where absent; rows all 0 left out; flat or cum', () => {
    const dumps = [fc([['a', 1], ['z', 0]], [['a', 1], ['main', 1]]), fc([['b', 2]], [['b', 2], ['main', 2]])];
    expect(seriesRows(dumps, false).map((r) => [r.key, r.values])).toEqual([
      ['b', [0, 2]],
      ['a', [1, 0]],
    ]);
    expect(seriesRows(dumps, true).map((r) => [r.key, r.values])).toEqual([
      ['b', [0, 2]],
      ['main', [1, 2]],
      ['a', [1, 0]],
    ]);
  });
});
