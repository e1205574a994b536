// C printf's %d and %.Nf for doubles, as Perl prints them: %.Nf rounds the exact binary value
// with ties to even (JS toFixed rounds ties up), keeps the sign of -0, and %d truncates.

const TWO63 = 2 ** 63;
const TWO64 = 2 ** 64;

/** Perl's `sprintf("%d", v)`: toward zero; past the 64-bit range it wraps like Perl's IV cast. */
export function formatInt(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  if (v >= TWO64) return '-1';
  if (v >= TWO63) return (BigInt(Math.trunc(v)) - (1n << 64n)).toString();
  if (v < -TWO63) return '-9223372036854775808';
  const t = Math.trunc(v);
  return t === 0 ? '0' : BigInt(t).toString();
}

/** `sprintf("%.{digits}f", v)` with correct rounding of the exact double, ties to even. */
export function formatFixed(v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Inf' : '-Inf';
  const negative = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  let body: string;
  const scaled = a * 10 ** digits;
  const frac = scaled - Math.floor(scaled);
  if (scaled < 2 ** 30 && Math.abs(frac - 0.5) > 1e-6) {
    // Below 2^30 the product is within 2^-23 of exact, so 1e-6 away from .5 cannot be a tie.
    // Not near a tie: toFixed is correctly rounded here.
    body = a.toFixed(digits);
  } else {
    body = exactFixed(a, digits);
  }
  return negative ? '-' + body : body;
}

/** Exact decimal rounding through BigInt: a = m * 2^e exactly. */
function exactFixed(a: number, digits: number): string {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, a);
  const bits = buf.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  let exp: number;
  if (expBits === 0) {
    exp = -1074;
  } else {
    mant |= 1n << 52n;
    exp = expBits - 1075;
  }
  const p10 = 10n ** BigInt(digits);
  let q: bigint;
  if (exp >= 0) {
    q = (mant << BigInt(exp)) * p10;
  } else {
    const num = mant * p10;
    const den = 1n << BigInt(-exp);
    q = num / den;
    const r2 = (num % den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const s = q.toString().padStart(digits + 1, '0');
  return digits === 0 ? s : `${s.slice(0, s.length - digits)}.${s.slice(s.length - digits)}`;
}

/** Runs of spaces for the narrow columns reports pad: a report of 20,000 rows pads 100,000 times. */
const SPACES = Array.from({ length: 17 }, (_, n) => ' '.repeat(n));

/** Right-aligns like `%{width}s` (never truncates). */
export function padLeft(s: string, width: number): string {
  if (s.length >= width) return s;
  const n = width - s.length;
  return (n < SPACES.length ? SPACES[n] : ' '.repeat(n)) + s;
}
