// Tests hex16, addressSub and addressAdd (src/model/address.ts): jeprof's 16-hex address text and 64-bit wrap-around.
import { describe, expect, it } from 'vitest';
import { addressAdd, addressSub, hex16 } from '../../src/model/address.js';

describe('address helpers', () => {
  it('hex16 pads to 16 lowercase digits without 0x', () => {
    expect(hex16(0x55ac4ad971a0n)).toBe('000055ac4ad971a0');
    expect(hex16(0n)).toBe('0000000000000000');
    expect(hex16(0xffffffffffffffffn)).toBe('ffffffffffffffff');
  });

  it('addressSub wraps below zero: 0 - 1 = ffffffffffffffff', () => {
    expect(addressSub(0n, 1n)).toBe(0xffffffffffffffffn);
    // reference §4.2: 7f63ddcaddf8 - bias 7f63ddc00000 = addf8
    expect(addressSub(0x7f63ddcaddf8n, 0x7f63ddc00000n)).toBe(0xaddf8n);
  });

  it('addressAdd wraps past 2^64', () => {
    expect(addressAdd(0xffffffffffffffffn, 2n)).toBe(1n);
    expect(addressAdd(0x1000n, 0x10a0n)).toBe(0x20a0n);
  });
});
