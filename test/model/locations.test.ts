// Tests LocationTable (src/model/locations.ts): one Location per address, ids from 1 in order of first use.
import { describe, expect, it } from 'vitest';
import { LocationTable } from '../../src/model/locations.js';

describe('LocationTable', () => {
  it('returns the same Location for the same address, numbered from 1', () => {
    const t = new LocationTable();
    const a = t.get(0x10n);
    const b = t.get(0x20n);
    expect(t.get(0x10n)).toBe(a);
    expect([a.id, b.id]).toEqual([1, 2]);
    expect(a).toEqual({ id: 1, address: 0x10n, lines: [] });
    expect(t.all).toEqual([a, b]);
  });

  it('find does not create', () => {
    const t = new LocationTable();
    expect(t.find(0x10n)).toBeUndefined();
    expect(t.all).toHaveLength(0);
    const a = t.get(0x10n);
    expect(t.find(0x10n)).toBe(a);
  });
});
