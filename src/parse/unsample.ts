// jeprof's AdjustSamples: undo heap sampling so values estimate what the program really allocated.

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
    const ratio = s / n / sampling.rate;
    const scaleFactor = 1 / (1 - Math.exp(-ratio));
    return [n * scaleFactor, s * scaleFactor];
  }
  if (sampling.kind === 'uniform') {
    // jeprof divides without a guard and dies on a zero count; callers turn this into an error.
    if (n === 0) throw new DivisionByZero('a sampled count of 0 cannot be unsampled (jeprof dies with "Illegal division by zero")');
    const ratio = s / n / sampling.rate;
    if (ratio < 1) return [n / ratio, s / ratio];
    return [n, s];
  }
  return [n, s];
}
