// Tests AddressIndex (src/model/address-index.ts): a Map from addresses below 2^53 to positive ints, keyed by 32-bit halves.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { AddressIndex, highHalf, joinHalves } from '../../src/model/address-index.js';

// Spread over the whole range, and crowded at the edges of the halves.
const address = fc.oneof(
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.tuple(fc.integer({ min: 0, max: (1 << 21) - 1 }), fc.constantFrom(0, 1, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1)).map(([hi, lo]) => hi * 2 ** 32 + lo),
  fc.integer({ min: 0, max: 40 }),
);

describe('AddressIndex', () => {
  it('answers as a Map does, through growth, by address or by halves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(address, fc.integer({ min: 1, max: 2 ** 31 - 1 })), { maxLength: 300 }), fc.array(address, { maxLength: 50 }), (puts, probes) => {
        const idx = new AddressIndex(16);
        const map = new Map<number, number>();
        puts.forEach(([a, v], i) => {
          if (i % 2 === 0) idx.set(a, v);
          else idx.setHalves(highHalf(a), a | 0, v);
          map.set(a, v);
        });
        for (const a of [...map.keys(), ...probes]) {
          expect(idx.get(a)).toBe(map.get(a) ?? 0);
          expect(idx.getHalves(highHalf(a), a | 0)).toBe(map.get(a) ?? 0);
        }
      }),
      { seed: 20261127, numRuns: 300 },
    );
  });

  it('splits and joins addresses exactly', () => {
    for (const a of [0, 1, 2 ** 31, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, 0x7ffff7ca2630, Number.MAX_SAFE_INTEGER]) {
      expect(joinHalves(highHalf(a), a | 0)).toBe(a);
    }
    expect(highHalf(0x7ffff7ca2630)).toBe(0x7fff);
  });

  it('tells apart addresses whose halves are swapped or equal', () => {
    const idx = new AddressIndex();
    idx.setHalves(1, 2, 7);
    idx.setHalves(2, 1, 8);
    idx.setHalves(0, 0, 9);
    expect([idx.getHalves(1, 2), idx.getHalves(2, 1), idx.getHalves(0, 0), idx.getHalves(1, 1)]).toEqual([7, 8, 9, 0]);
  });
});
