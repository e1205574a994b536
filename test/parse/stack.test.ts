// Tests parseStack (src/parse/stack.ts): address text to Locations with the caller adjustment, reference §4.1.
import { describe, expect, it } from 'vitest';
import { parseStack } from '../../src/parse/stack.js';
import { LocationTable } from '../../src/model/locations.js';

describe('parseStack', () => {
  it('keeps the leaf and subtracts one from each caller (reference: 0x7f63ddca2d21 -> 00007f63ddca2d20)', () => {
    const r = parseStack('0x7f63ddca2630 0x7f63ddca2d21 0x7f63ddc95f24', new LocationTable());
    expect(r.locations.map((l) => l.address)).toEqual([0x7f63ddca2630n, 0x7f63ddca2d20n, 0x7f63ddc95f23n]);
    expect(r.problem).toBeUndefined();
  });

  it('wraps 0x0 - 1 to 0xffffffffffffffff, but keeps a leaf 0x0', () => {
    const r = parseStack('0x0 0x0', new LocationTable());
    expect(r.locations.map((l) => l.address)).toEqual([0n, 0xffffffffffffffffn]);
  });

  it('accepts addresses without 0x, with leading zeros, and any whitespace between them', () => {
    const r = parseStack('  00007f0000000010\t0x0000000000000021   ', new LocationTable());
    expect(r.locations.map((l) => l.address)).toEqual([0x7f0000000010n, 0x20n]);
  });

  it('gives one Location per address, shared through the table', () => {
    const table = new LocationTable();
    const a = parseStack('0x10 0x21', table);
    const b = parseStack('0x20 0x31', table);
    // 0x21 - 1 = 0x20 (caller in a) is the same address as the leaf 0x20 of b.
    expect(a.locations[1]).toBe(b.locations[0]);
    expect(table.all).toHaveLength(3);
  });

  it('reports a token that is not hex', () => {
    const r = parseStack('0x10 zz', new LocationTable());
    expect(r.problem).toContain('zz');
  });
});
