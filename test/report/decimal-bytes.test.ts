// Tests writeIntBytes (src/report/decimal-bytes.ts): the bytes it writes are formatInt's text, for
// every double (the fast path below 2^53 and formatInt's own beyond it), at any offset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INT_BYTES, writeIntBytes } from '../../src/report/decimal-bytes.js';
import { formatInt } from '../../src/report/printf.js';

function written(v: number, at = 3): string {
  const out = new Uint8Array(at + MAX_INT_BYTES).fill(0x7e);
  const end = writeIntBytes(out, at, v);
  expect(out.subarray(0, at).every((b) => b === 0x7e)).toBe(true);
  return Buffer.from(out.subarray(at, end)).toString('latin1');
}

describe('writeIntBytes', () => {
  it('writes formatInt(v), by hand at the edges', () => {
    for (const v of [0, -0, 0.9, -0.9, 7, 10, 99, 100, -1, -10, 1536.7, 2 ** 53 - 1, -(2 ** 53 - 1), 2 ** 53, -(2 ** 53), 2 ** 63, 2 ** 64, -(2 ** 63), -(2 ** 70), NaN, Infinity, -Infinity]) {
      expect(written(v), String(v)).toBe(formatInt(v));
    }
  });

  it('writes formatInt(v) for any double', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer(), fc.maxSafeInteger()), fc.nat(8), (v, at) => {
        expect(written(v, at)).toBe(formatInt(v));
      }),
      { numRuns: 5000 },
    );
  });
});
