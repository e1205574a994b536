// jeprof's AdjustSamples: undo heap sampling so values estimate what the program really allocated.
import { ProfileFormatError } from '../model/errors.js';
import { glibcExp } from './glibc-exp.js';

/** `none`: counts as written; `poisson`: jemalloc and gperftools v2; `uniform`: gperftools v1. */
export type Sampling = { kind: 'none' } | { kind: 'poisson'; rate: number } | { kind: 'uniform'; rate: number };

export class DivisionByZero extends Error {}

/**
 * Adjusts one `count: bytes` pair. The arithmetic is jeprof's, operation for operation, so the
 * doubles are bit-identical: for v2 the probability that an allocation of average size s/n
 * (bytes) was sampled at rate R (bytes) is 1 - e^(-(s/n)/R), and both values are divided by it.
 */
export function adjustPair(sampling: Sampling, n: number, s: number): [number, number] {
  if (sampling.kind === 'poisson') {
    // jeprof skips the adjustment when its rate is 0 (a falsy Perl value).
    if (sampling.rate === 0 || n === 0) return [n, s];
    const scaleFactor = poissonFactor(sampling.rate, n, s);
    return [n * scaleFactor, s * scaleFactor];
  }
  if (sampling.kind === 'uniform') {
    // jeprof divides without a guard and dies on a zero count; callers turn this into an error.
    if (n === 0) throw new DivisionByZero('a sampled count of 0 cannot be unsampled (jeprof dies with "Illegal division by zero")');
    const ratio = s / n / sampling.rate;
    if (ratio === 0) throw new DivisionByZero(`${n} objects of ${s} bytes cannot be unsampled (jeprof dies with "Illegal division by zero")`);
    if (ratio < 1) return [n / ratio, s / ratio];
    return [n, s];
  }
  return [n, s];
}

/**
 * Unsamples one count line's two pairs and returns the values in the model's order
 * [alloc_objects, alloc_space, inuse_objects, inuse_space]; a pair jeprof would die on becomes
 * a ProfileFormatError naming the file and line. With `into`, the values go there (a reader's
 * scratch row, which the sample's row copies): no array per count line.
 */
export function adjustCountLine(sampling: Sampling, file: string, line: number, n1: number, s1: number, n2: number, s2: number, into?: Float64Array): ArrayLike<number> {
  try {
    // jemalloc's case, once per count line of a big dump: adjustPair's operations without its
    // two intermediate arrays.
    if (sampling.kind === 'poisson' && sampling.rate !== 0) {
      // A double array from the start: a literal of integers would be re-laid-out as doubles by
      // the first non-integer written to it, and the samples' arrays would mix both kinds.
      const out = into ?? [0.5, 0.5, 0.5, 0.5];
      out[0] = n2;
      out[1] = s2;
      out[2] = n1;
      out[3] = s1;
      if (n1 !== 0) {
        const f = poissonFactor(sampling.rate, n1, s1);
        out[2] = n1 * f;
        out[3] = s1 * f;
      }
      if (n2 !== 0) {
        const f = poissonFactor(sampling.rate, n2, s2);
        out[0] = n2 * f;
        out[1] = s2 * f;
      }
      return out;
    }
    const [in1, is1] = adjustPair(sampling, n1, s1);
    const [an2, as2] = adjustPair(sampling, n2, s2);
    if (!into) return [an2, as2, in1, is1];
    into[0] = an2;
    into[1] = as2;
    into[2] = in1;
    into[3] = is1;
    return into;
  } catch (e) {
    if (e instanceof DivisionByZero) throw new ProfileFormatError(file, line, e.message);
    throw e;
  }
}

/**
 * Fails exactly where adjustCountLine would, without making the values: for rows that are read
 * but not kept (jemalloc's per-thread rows when no --thread report needs them).
 */
export function checkCountLine(sampling: Sampling, file: string, line: number, n1: number, s1: number, n2: number, s2: number): void {
  if (sampling.kind === 'poisson' && sampling.rate !== 0) {
    // 1 - e^(-ratio) is 0 only for a ratio below 2^-53: jeprof dies there, and only there.
    if ((n1 === 0 || s1 / n1 / sampling.rate > 1e-15) && (n2 === 0 || s2 / n2 / sampling.rate > 1e-15)) return;
  }
  adjustCountLine(sampling, file, line, n1, s1, n2, s2);
}

/**
 * 1 / P(sampled) for `n` objects of `s` bytes at a non-zero rate, n > 0. jeprof's exp is glibc's;
 * Math.exp differs from it in the last bit for about 5% of ratios, and a printed digit could follow.
 */
function poissonFactor(rate: number, n: number, s: number): number {
  const ratio = s / n / rate;
  // A series repeats its count lines dump after dump (redis-long: 24,000 lines, 952 distinct):
  // the factor of a ratio met before is looked up, not computed again. The memo is a direct-mapped
  // table keyed by the ratio's bits: a Map keyed by doubles cost 600 ns a line on a 250 MB dump,
  // whose ratios are nearly all distinct, where glibcExp itself takes 70.
  RATIO_BITS[0] = ratio;
  const slot = (Math.imul(RATIO_WORDS[0] ^ Math.imul(RATIO_WORDS[1], 0x9e3779b1), 0x85ebca6b) >>> (32 - FACTOR_SLOT_BITS));
  if (factorKeys[slot] === ratio) return factorValues[slot];
  const sampled = 1 - glibcExp(-ratio);
  // 0 bytes, or a ratio so small that exp() rounds to 1: jeprof dies here, and JS would give NaN.
  if (sampled === 0) throw new DivisionByZero(`${n} objects of ${s} bytes cannot be unsampled at rate ${rate}: 1 - e^(-ratio) is 0 (jeprof dies with "Illegal division by zero")`);
  const f = 1 / sampled;
  factorKeys[slot] = ratio;
  factorValues[slot] = f;
  return f;
}

/** 1 / P(sampled) by ratio (a function of the ratio alone), one ratio per slot; NaN keys match nothing. */
const FACTOR_SLOT_BITS = 13;
const factorKeys = new Float64Array(1 << FACTOR_SLOT_BITS).fill(NaN);
const factorValues = new Float64Array(1 << FACTOR_SLOT_BITS);
/** The ratio's 64 bits as two words, for its slot. */
const RATIO_BITS = new Float64Array(1);
const RATIO_WORDS = new Uint32Array(RATIO_BITS.buffer);
