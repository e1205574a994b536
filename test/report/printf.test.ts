// Tests formatFixed, formatInt and padLeft (src/report/printf.ts): Perl/C printf's %.Nf and %d, reference §7.1.
import { describe, expect, it } from 'vitest';
import { formatFixed, formatInt, padLeft } from '../../src/report/printf.js';

// Expected strings below come from C printf on doubles: a 5-line C program doing
// printf("%.1f|%.3f", strtod(argv[i], 0)) built with gcc on this machine (glibc).
// NOT from bash's printf builtin: bash (and coreutils printf) read the argument with strtold and
// print a long double, so `printf '%.1f' 0.15` gives 0.2 there, while the double 0.15
// (0.1499999999999999944...) gives 0.1 in C and in Perl, which is what jeprof prints.
const ONE_DECIMAL: [number, string][] = [
  // exact binary ties: round half to even (reference §7.1 examples)
  [0.25, '0.2'],
  [2.25, '2.2'],
  [12.25, '12.2'],
  [87.75, '87.8'],
  [8.25, '8.2'],
  [-0.25, '-0.2'],
  [0.0625, '0.1'],
  [1073741824.25, '1073741824.2'],
  [1073741824.75, '1073741824.8'],
  // not ties as doubles: the exact binary value decides
  [0.35, '0.3'], // 0.34999999999999997779...
  [0.15, '0.1'], // 0.14999999999999999445...
  [0.45, '0.5'], // 0.45000000000000001110...
  [1.45, '1.4'],
  [-1.45, '-1.4'],
  [-0.15, '-0.1'],
  [0.05, '0.1'],
  [0.95, '0.9'],
  [9.95, '9.9'],
  [99.95, '100.0'],
  [-99.95, '-100.0'],
  [100.05, '100.0'],
  [17.35, '17.4'],
  [2.675, '2.7'],
  [1.005, '1.0'],
  [1234567.85, '1234567.9'],
  [123456789012.35, '123456789012.4'],
  [0.9999, '1.0'],
  [99.99, '100.0'],
  [3.14159, '3.1'],
  [2.5, '2.5'],
  [5e-324, '0.0'],
  [1e20, '100000000000000000000.0'],
  [1e21, '1000000000000000000000.0'],
  [
    1.5e300,
    '1500000000000000078757140382806630373056702871662238732373781173267703686983362293679557062620671796065556665749325817265413784853040645863467188277180060474272580801389863705606745350692182135089053429852456199917621678558451461320111979114170213741868888183230085264257173504208294580298189100810240.0',
  ],
];

const THREE_DECIMALS: [number, string][] = [
  [0.0625, '0.062'],
  [0.0005, '0.001'],
  [0.0015, '0.002'],
  [2.675, '2.675'],
  [3.14159, '3.142'],
  [1e-5, '0.000'],
];

describe('formatFixed', () => {
  it.each(ONE_DECIMAL)('%%.1f of %s is %s', (v, s) => {
    expect(formatFixed(v, 1)).toBe(s);
  });

  it.each(THREE_DECIMALS)('%%.3f of %s is %s', (v, s) => {
    expect(formatFixed(v, 3)).toBe(s);
  });

  it('%.0f rounds ties to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2 (C printf)', () => {
    expect([0.5, 1.5, 2.5].map((v) => formatFixed(v, 0))).toEqual(['0', '2', '2']);
  });

  it('keeps the sign of negative zero: -0.0', () => {
    expect(formatFixed(-0, 1)).toBe('-0.0');
    // 0 * 100 / -5 is -0 in IEEE arithmetic (reference: -0.0% from 0*100/negative total).
    expect(formatFixed((0 * 100) / -5, 1)).toBe('-0.0');
    // -1000 B in MB: -0.00095... rounds to -0.0 (reference §6.5).
    expect(formatFixed(-1000 / 1048576, 1)).toBe('-0.0');
  });

  it('prints 1048576-based byte values as jeprof does: 262144 B -> 0.2, 2359296 B -> 2.2', () => {
    expect(formatFixed(262144 / 1048576, 1)).toBe('0.2');
    expect(formatFixed(2359296 / 1048576, 1)).toBe('2.2');
  });

  it("prints Perl's Inf, -Inf and NaN (perl 5.36: printf '%.1f' of 9**9**9 is Inf)", () => {
    expect(formatFixed(Infinity, 1)).toBe('Inf');
    expect(formatFixed(-Infinity, 1)).toBe('-Inf');
    expect(formatFixed(NaN, 1)).toBe('NaN');
  });
});

describe('formatInt', () => {
  it('truncates toward zero (reference: 1999999.92 -> 1999999, -128.5 -> -128)', () => {
    expect(formatInt(1999999.9248950349)).toBe('1999999');
    expect(formatInt(-128.5)).toBe('-128');
    expect(formatInt(16000000.399495855)).toBe('16000000');
    expect(formatInt(10978296.469199257)).toBe('10978296');
  });

  it('prints -0.5 and -0 as 0', () => {
    expect(formatInt(-0.5)).toBe('0');
    expect(formatInt(-0)).toBe('0');
  });

  it('prints large integers exactly, without exponent notation', () => {
    // 2^53 + 2 = 9007199254740994; 2^63 - 1024 = 9223372036854774784 (largest double below 2^63).
    expect(formatInt(2 ** 53 + 2)).toBe('9007199254740994');
    expect(formatInt(2 ** 63 - 1024)).toBe('9223372036854774784');
    // 10^18 = 2^18 * 5^18 is exact as a double.
    expect(formatInt(1e18)).toBe('1000000000000000000');
  });

  it("wraps like Perl's IV cast past 2^63 (perl 5.36, 64-bit IV)", () => {
    // 2^63 -> UV 2^63 read as IV = -2^63
    expect(formatInt(2 ** 63)).toBe('-9223372036854775808');
    // 1.5 * 2^63 - 2^64 = -2^62
    expect(formatInt(1.5 * 2 ** 63)).toBe('-4611686018427387904');
    // 2^64 - 2048 -> -2048
    expect(formatInt(2 ** 64 - 2048)).toBe('-2048');
    // >= 2^64 saturates to UV_MAX, read as IV = -1
    expect(formatInt(2 ** 64)).toBe('-1');
    expect(formatInt(2 ** 65)).toBe('-1');
    // below -2^63 saturates to IV_MIN
    expect(formatInt(-(2 ** 64))).toBe('-9223372036854775808');
  });

  it("prints Perl's Inf, -Inf and NaN for %d (perl 5.36: printf '%d', 9**9**9 prints Inf)", () => {
    expect(formatInt(Infinity)).toBe('Inf');
    expect(formatInt(-Infinity)).toBe('-Inf');
    expect(formatInt(NaN)).toBe('NaN');
  });
});

describe('padLeft', () => {
  it('right-aligns to the width and never truncates', () => {
    expect(padLeft('0.2', 8)).toBe('     0.2');
    expect(padLeft('10485760', 8)).toBe('10485760');
    expect(padLeft('123456789', 8)).toBe('123456789');
  });
});
