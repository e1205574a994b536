// Tests unparse, units and percent (src/report/units.ts): jeprof's Unparse, Units and Percent for heap profiles, reference §7.1.
import { describe, expect, it } from 'vitest';
import { percent, unparse, units, type UnitOptions } from '../../src/report/units.js';

const MB: UnitOptions = { kind: 'bytes', showBytes: false };
const BYTES: UnitOptions = { kind: 'bytes', showBytes: true };
const OBJECTS: UnitOptions = { kind: 'objects', showBytes: false };

describe('unparse', () => {
  it('prints bytes as MB with %.1f of v/1048576', () => {
    // 262144/1048576 = 0.25 -> 0.2 (tie to even); 2359296/1048576 = 2.25 -> 2.2;
    // 11013120/1048576 = 10.50293 -> 10.5; 16081920/1048576 = 15.33691 -> 15.3.
    expect(unparse(262144, MB)).toBe('0.2');
    expect(unparse(2359296, MB)).toBe('2.2');
    expect(unparse(11013120, MB)).toBe('10.5');
    expect(unparse(16081920, MB)).toBe('15.3');
    expect(unparse(0, MB)).toBe('0.0');
  });

  it('prints a small negative value in MB as -0.0 (reference §6.5)', () => {
    expect(unparse(-1000, MB)).toBe('-0.0');
  });

  it('prints --show_bytes with %d (truncated)', () => {
    // Reference §3/§9: 16000000.399495855 -> 16000000
    expect(unparse(16000000.399495855, BYTES)).toBe('16000000');
    expect(unparse(-128.5, BYTES)).toBe('-128');
  });

  it('prints objects with %d (truncated), also when --show_bytes is set', () => {
    // Reference §3: 1999999.9248950349 objects prints as 1999999.
    expect(unparse(1999999.9248950349, OBJECTS)).toBe('1999999');
    expect(unparse(5242.88, { kind: 'objects', showBytes: true })).toBe('5242');
  });
});

describe('units', () => {
  it('MB, B or objects (objects wins over --show_bytes)', () => {
    expect(units(MB)).toBe('MB');
    expect(units(BYTES)).toBe('B');
    expect(units(OBJECTS)).toBe('objects');
    expect(units({ kind: 'objects', showBytes: true })).toBe('objects');
  });
});

describe('percent', () => {
  it('prints %.1f%% of n*100/total, ties to even', () => {
    // 49*100/400 = 12.25 -> 12.2%; 351*100/400 = 87.75 -> 87.8% (reference §2.3)
    expect(percent(49, 400)).toBe('12.2%');
    expect(percent(351, 400)).toBe('87.8%');
    expect(percent(400, 400)).toBe('100.0%');
  });

  it('prints -0.0% for 0 of a negative total', () => {
    // 0*100/-101397299 = -0 (reference §6.5 "-0.0%")
    expect(percent(0, -101397299)).toBe('-0.0%');
    expect(percent(-101397299, -101397299)).toBe('100.0%');
  });

  it('prints nan, +inf or -inf for a zero total', () => {
    expect(percent(0, 0)).toBe('nan');
    expect(percent(1000, 0)).toBe('+inf');
    expect(percent(-1000, 0)).toBe('-inf');
  });
});
