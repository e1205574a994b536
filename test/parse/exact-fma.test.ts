// Tests fma, fmaOfProduct and productError (src/parse/exact-fma.ts) against libm's fma, bit for bit.
import { beforeAll, describe, expect, it } from 'vitest';
import { fma, productError } from '../../src/parse/exact-fma.js';
import { buildLibmReference, hexBits, runLibmReference, seededRandom, ulpsAway } from '../helpers/libm-reference.js';

let reference = '';
beforeAll(() => {
  reference = buildLibmReference();
});

/** Compares fma with libm's on each triple [a, b, c]; returns the first few disagreements. */
function compare(triples: number[][]): string[] {
  const input = Float64Array.from(triples.flat());
  const want = runLibmReference(reference, 'fma', input);
  const bad: string[] = [];
  for (let i = 0; i < triples.length && bad.length < 10; i++) {
    const [a, b, c] = triples[i];
    const got = fma(a, b, c);
    if (hexBits(got) !== hexBits(want[i])) bad.push(`fma(${a}, ${b}, ${c}): libm 0x${hexBits(want[i])}, ours 0x${hexBits(got)}`);
  }
  return bad;
}

/** A double with a random 53-bit significand, random sign, and exponent in [lo, hi]. */
function randomDouble(random: () => number, lo: number, hi: number): number {
  const sign = random() < 0.5 ? -1 : 1;
  return sign * (1 + random()) * 2 ** (lo + Math.floor(random() * (hi - lo + 1)));
}

/** The gap from |x| to the next double up. */
function ulp(x: number): number {
  return ulpsAway(Math.abs(x), 1) - Math.abs(x);
}

describe('productError', () => {
  it('is the exact rounding error of a product', () => {
    const random = seededRandom(1);
    for (let i = 0; i < 10000; i++) {
      const a = randomDouble(random, -30, 30);
      const b = randomDouble(random, -30, 30);
      const p = a * b;
      const e = productError(a, b, p);
      // In BigInt arithmetic: every value here is a multiple of 2^-200, so times 2^200 an integer.
      const scaled = (x: number) => BigInt(x * 2 ** 200);
      expect(scaled(a) * scaled(b)).toBe((scaled(p) + scaled(e)) * 2n ** 200n);
    }
  });
});

/** Compares `count` triples made by `make` (each call gives one triple) with libm's fma. */
function expectAgreement(seed: number, count: number, make: (random: () => number) => number[]): void {
  const random = seededRandom(seed);
  const triples: number[][] = [];
  for (let i = 0; i < count; i++) triples.push(make(random));
  expect(compare(triples)).toEqual([]);
}

describe('fma', () => {
  it('agrees with libm on random triples of mixed magnitudes', () => {
    expectAgreement(2, 400_000, (random) => [randomDouble(random, -40, 40), randomDouble(random, -40, 40), randomDouble(random, -80, 80)]);
  });

  it('agrees when c nearly cancels a*b', () => {
    expectAgreement(3, 200_000, (random) => {
      const a = randomDouble(random, -20, 20);
      const b = randomDouble(random, -20, 20);
      return [a, b, -ulpsAway(a * b, Math.floor(random() * 9) - 4)];
    });
  });

  it('agrees when a*b + c rounded twice lands on a tie that the product error breaks', () => {
    // a*b close to an odd multiple of half an ulp of c: p + c is then a tie, or one ulp from it.
    expectAgreement(4, 200_000, (random) => {
      const c = randomDouble(random, -10, 10);
      const half = (ulp(c) / 2) * (1 + 2 * Math.floor(random() * 3)) * (random() < 0.5 ? -1 : 1);
      const a = randomDouble(random, -3, 3);
      return [a, ulpsAway(half / a, Math.floor(random() * 3) - 1), c];
    });
  });

  it("agrees on glibc exp's own shapes: scale + scale * tmp and C + r * C'", () => {
    expectAgreement(5, 200_000, (random) => {
      const scale = (1 + random()) * 2 ** (Math.floor(random() * 1400) - 700);
      return [scale, (random() - 0.5) * 0.0055, scale];
    });
    expectAgreement(6, 200_000, (random) => [(random() - 0.5) * 0.0055, 0.16666666666665886, 0.49999999999996786]);
  });
});
