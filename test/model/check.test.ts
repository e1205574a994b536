// Tests checkProfile (src/model/check.ts): the structural checks run at the end of every parser.
import { describe, expect, it } from 'vitest';
import { checkProfile } from '../../src/model/check.js';
import { emptyHeapProfile, type Location } from '../../src/model/profile.js';

const L1: Location = { id: 1, address: 0x10n, lines: [] };

describe('checkProfile', () => {
  it('rejects a sample with the wrong number of values', () => {
    const p = emptyHeapProfile(0);
    p.locations = [L1];
    p.samples = [{ locations: [L1], values: [1, 8], labels: new Map() }];
    expect(() => checkProfile(p)).toThrow('sample 0 has 2 values, want 4');
  });

  it('rejects NaN values', () => {
    const p = emptyHeapProfile(0);
    p.locations = [L1];
    p.samples = [{ locations: [L1], values: [0, 0, NaN, 8], labels: new Map() }];
    expect(() => checkProfile(p)).toThrow('NaN');
  });

  it('rejects a sample using an unlisted location', () => {
    const p = emptyHeapProfile(0);
    p.samples = [{ locations: [L1], values: [0, 0, 1, 8], labels: new Map() }];
    expect(() => checkProfile(p)).toThrow('location 1');
  });

  it('rejects a default sample type that is not listed', () => {
    const p = emptyHeapProfile(0);
    p.defaultSampleType = 'cpu';
    expect(() => checkProfile(p)).toThrow('default sample type cpu');
  });
});
