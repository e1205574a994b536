// Tests addressLines (src/symbolize/address-lines.ts): addr2line's input bytes, as hex16 lines.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressLines } from '../../src/symbolize/address-lines.js';
import { hex16 } from '../../src/model/address.js';

const address = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  fc.bigInt({ min: 0n, max: (1n << 53n) + 5n }),
  fc.constantFrom(0n, (1n << 32n) - 1n, 1n << 32n, (1n << 53n) - 1n, 1n << 53n, (1n << 64n) - 1n),
);

describe('addressLines', () => {
  it('writes each address as hex16 and a newline', () => {
    fc.assert(
      fc.property(fc.array(address, { maxLength: 40 }), (addrs) => {
        expect(addressLines(addrs).toString('latin1')).toBe(addrs.map((a) => hex16(a) + '\n').join(''));
      }),
      { seed: 20261127, numRuns: 300 },
    );
  });

  it('gives an empty buffer for no addresses', () => {
    expect(addressLines([]).length).toBe(0);
  });
});
