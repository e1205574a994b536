// Tests glibcExp and glibcExpFused (src/parse/glibc-exp.ts) against this machine's libm exp, bit for bit.
import { beforeAll, describe, expect, it } from 'vitest';
import { glibcExp, glibcExpFused } from '../../src/parse/glibc-exp.js';
import { buildLibmReference, hexBits, runLibmReference, seededRandom, ulpsAway } from '../helpers/libm-reference.js';

/** Arguments per call of the reference program: 8 MB each way. */
const CHUNK = 1 << 20;

let reference = '';
beforeAll(() => {
  reference = buildLibmReference();
});

/** Compares both ports with libm on every argument; returns the first few disagreements. */
function compare(xs: Float64Array): string[] {
  const want = runLibmReference(reference, 'exp', xs);
  const wantBits = new Uint32Array(want.buffer);
  const got = new Float64Array(2);
  const gotBits = new Uint32Array(got.buffer);
  const bad: string[] = [];
  for (let i = 0; i < xs.length && bad.length < 10; i++) {
    got[0] = glibcExp(xs[i]);
    got[1] = glibcExpFused(xs[i]);
    // JavaScript may give any NaN its own bits (ECMA-262 SetValueInBuffer), so NaN is NaN.
    if (Number.isNaN(want[i])) {
      if (!Number.isNaN(got[0]) || !Number.isNaN(got[1])) bad.push(`exp(${xs[i]}): libm NaN, ours ${got[0]} / ${got[1]}`);
      continue;
    }
    const lo = wantBits[2 * i];
    const hi = wantBits[2 * i + 1];
    if (gotBits[0] !== lo || gotBits[1] !== hi || gotBits[2] !== lo || gotBits[3] !== hi) {
      bad.push(`exp(${xs[i]}) [x = 0x${hexBits(xs[i])}]: libm 0x${hexBits(want[i])}, glibcExp 0x${hexBits(got[0])}, glibcExpFused 0x${hexBits(got[1])}`);
    }
  }
  return bad;
}

/** Compares `count` arguments made by `next`, a chunk at a time; returns how many it compared. */
function compareStream(count: number, next: () => number): number {
  for (let done = 0; done < count; ) {
    const xs = new Float64Array(Math.min(CHUNK, count - done));
    for (let i = 0; i < xs.length; i++) xs[i] = next();
    expect(compare(xs)).toEqual([]);
    done += xs.length;
  }
  return count;
}

/** A log-uniform draw from [lo, hi], 0 < lo < hi. */
function logUniform(random: () => number, lo: number, hi: number): () => number {
  const a = Math.log(lo);
  const span = Math.log(hi) - a;
  return () => Math.exp(a + span * random());
}

/** glibc's N/ln2 (0x1.71547652b82fep0 * 128), to make arguments whose x N/ln2 rounds to k + 1/2. */
const INV_LN2_N = 184.6649652337873;

/** Every argument near `center`: `radius` doubles each side. */
function around(center: number, radius: number): number[] {
  const out: number[] = [];
  for (let s = -radius; s <= radius; s++) out.push(ulpsAway(center, s));
  return out;
}

describe('glibcExp', () => {
  it('agrees with libm on 10 million unsampling arguments: -ratio for ratios from 1e-12 to 1e6', () => {
    const random = seededRandom(0x6a09e667);
    const ratio = logUniform(random, 1e-12, 1e6);
    const logCount = compareStream(6_000_000, () => -ratio());
    const flatCount = compareStream(4_000_000, () => -50 * random());
    expect(logCount + flatCount).toBe(10_000_000);
  });

  it('agrees where glibc takes its special branches: 512 <= |x| < 1024, overflow, subnormal results', () => {
    const random = seededRandom(0xbb67ae85);
    compareStream(300_000, () => -512 - 512 * random());
    compareStream(300_000, () => 512 + 512 * random());
    // Results from 2^-1022 down to 0: subnormal, rounded once by specialcase.
    compareStream(400_000, () => -708.3 - 36.9 * random());
  });

  it('agrees on positive and small arguments', () => {
    const random = seededRandom(0x3c6ef372);
    compareStream(500_000, () => 709.8 * random());
    const small = logUniform(random, 2 ** -60, 1);
    compareStream(500_000, () => (random() < 0.5 ? -1 : 1) * small());
  });

  it('agrees where x N/ln2 rounds to exactly k + 1/2, the fused rounding to k decides', () => {
    const xs: number[] = [];
    for (let k = -137000; k <= 137000; k += 7) {
      const guess = (k + 0.5) / INV_LN2_N;
      for (let s = -4; s <= 4; s++) {
        const x = ulpsAway(guess, s);
        if (x * INV_LN2_N === k + 0.5) xs.push(x);
      }
    }
    // Ties are common enough that a wrong tie rule cannot hide among them.
    expect(xs.length).toBeGreaterThan(1000);
    expect(compare(Float64Array.from(xs))).toEqual([]);
  });

  it('agrees on the edge cases', () => {
    const xs: number[] = [0, -0, Infinity, -Infinity, NaN, Number.MAX_VALUE, -Number.MAX_VALUE, 1e300, -1e300, -1e6, 1e6];
    // Subnormal and tiny arguments: glibc returns 1 + x below 2^-54.
    for (const t of [Number.MIN_VALUE, 2 ** -1022, 2 ** -1022 - Number.MIN_VALUE, 1e-300, 2 ** -60]) xs.push(t, -t);
    // Where glibc's branches meet and where results overflow, turn subnormal, or vanish:
    // 2^-54 and 512 (exponent tests), 1024, ln(DBL_MAX), ln(2^-1022), ln(2^-1074), ln(2^-1075).
    for (const c of [2 ** -54, 2 ** -53, 256, 512, 1024]) xs.push(...around(c, 300), ...around(-c, 300));
    for (const c of [709.782712893384, -708.3964185322641, -744.4400719213812, -745.1332191019411]) xs.push(...around(c, 3000));
    // NaNs with a payload, the sign bit, or the quiet bit clear: libm returns a NaN for each.
    const nans = [0x7ff8000000000001n, 0xfff8000000000000n, 0x7ff0000000000001n, 0xfff4000000000000n];
    const all = new Float64Array(xs.length + nans.length);
    all.set(xs);
    new BigUint64Array(all.buffer, 8 * xs.length).set(nans);
    expect(compare(all)).toEqual([]);
  });
});
