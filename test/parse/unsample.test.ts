// Tests adjustPair, adjustCountLine and checkCountLine (src/parse/unsample.ts): jeprof's AdjustSamples, reference §3.
import { describe, expect, it } from 'vitest';
import { adjustCountLine, adjustPair, checkCountLine, DivisionByZero, type Sampling } from '../../src/parse/unsample.js';
import { glibcExp } from '../../src/parse/glibc-exp.js';

describe('adjustPair', () => {
  it('none: returns the pair unchanged', () => {
    expect(adjustPair({ kind: 'none' }, 3, 4096)).toEqual([3, 4096]);
  });

  it('poisson: divides both by 1 - exp(-(s/n)/R)', () => {
    // (1, 4096) at R = 524288: r = 4096/524288 = 1/128; reference: 128.5 objects, 526338.67 bytes.
    const k = 1 / (1 - glibcExp(-(4096 / 1 / 524288)));
    const [n, s] = adjustPair({ kind: 'poisson', rate: 524288 }, 1, 4096);
    expect(n).toBe(1 * k);
    expect(s).toBe(4096 * k);
    expect(n).toBeCloseTo(128.5, 2);
    expect(s).toBeCloseTo(526338.67, 2);
  });

  it("poisson: uses glibc's exp, also where Math.exp differs from it in the last bit", () => {
    // 3 objects of s bytes at jemalloc's default rate: a few percent of such ratios are affected.
    const rate = 524288;
    const differing = [];
    for (let s = 1; s <= 100000 && differing.length < 20; s++) if (Math.exp(-(s / 3 / rate)) !== glibcExp(-(s / 3 / rate))) differing.push(s);
    expect(differing.length).toBe(20);
    for (const s of differing) {
      const k = 1 / (1 - glibcExp(-(s / 3 / rate)));
      expect(adjustPair({ kind: 'poisson', rate }, 3, s)).toEqual([3 * k, s * k]);
      expect(adjustCountLine({ kind: 'poisson', rate }, 'x.heap', 1, 3, s, 3, s)).toEqual([3 * k, s * k, 3 * k, s * k]);
    }
  });

  it('poisson: the memo of factors gives each ratio its own factor, over more ratios than it has slots and in any order', () => {
    // 40,000 distinct ratios fill the memo's 8,192 slots many times over (collisions replace
    // entries); read twice, forwards then backwards, each value must still be its own ratio's.
    const rate = 524288;
    const pairs: [number, number][] = [];
    for (let i = 1; i <= 20000; i++) pairs.push([1 + (i % 7), 100 + i * 13], [3, 4096 * i + 1]);
    for (const [n, s] of [...pairs, ...pairs.reverse()]) {
      const k = 1 / (1 - glibcExp(-(s / n / rate)));
      const out = adjustCountLine({ kind: 'poisson', rate }, 'x.heap', 1, n, s, n + 1, s);
      expect(out[2]).toBe(n * k);
      expect(out[3]).toBe(s * k);
      const k2 = 1 / (1 - glibcExp(-(s / (n + 1) / rate)));
      expect(out[0]).toBe((n + 1) * k2);
    }
  });

  it('poisson: leaves n = 0 alone (0: 0 stays 0)', () => {
    expect(adjustPair({ kind: 'poisson', rate: 524288 }, 0, 0)).toEqual([0, 0]);
  });

  it('poisson at rate 0: no adjustment', () => {
    expect(adjustPair({ kind: 'poisson', rate: 0 }, 1, 8)).toEqual([1, 8]);
  });

  it('uniform: divides by r = (s/n)/R when r < 1', () => {
    // r = (10000/10)/524288 = 1000/2^19 -> 10/r = 5242.88, 10000/r = 5242880 (reference §3).
    expect(adjustPair({ kind: 'uniform', rate: 524288 }, 10, 10000)).toEqual([5242.88, 5242880]);
  });

  it('uniform: keeps the pair when r >= 1', () => {
    // r = 1048576/1/524288 = 2
    expect(adjustPair({ kind: 'uniform', rate: 524288 }, 1, 1048576)).toEqual([1, 1048576]);
    // r = 524288/1/524288 = 1, not < 1
    expect(adjustPair({ kind: 'uniform', rate: 524288 }, 1, 524288)).toEqual([1, 524288]);
  });

  it('uniform: a zero count throws DivisionByZero', () => {
    expect(() => adjustPair({ kind: 'uniform', rate: 524288 }, 0, 0)).toThrow(DivisionByZero);
  });
});

describe('checkCountLine', () => {
  it('fails exactly where adjustCountLine fails, tiny ratios included', () => {
    const cases: [number, number][] = [[0, 0], [1, 0], [3, 1], [1, 1], [5, 5120], [1e15, 1], [1e15, 50], [2, 1e15], [7, 3]];
    for (const rate of [0, 1, 524288, 1e9]) {
      const sampling: Sampling = { kind: 'poisson', rate };
      for (const [n1, s1] of cases) {
        for (const [n2, s2] of cases) {
          const outcome = (f: () => unknown) => {
            try {
              f();
              return 'ok';
            } catch (e) {
              return (e as Error).message;
            }
          };
          const want = outcome(() => adjustCountLine(sampling, 'x.heap', 9, n1, s1, n2, s2));
          expect(outcome(() => checkCountLine(sampling, 'x.heap', 9, n1, s1, n2, s2)), `${rate} ${n1}:${s1} [${n2}:${s2}]`).toBe(want);
        }
      }
    }
  });
});
