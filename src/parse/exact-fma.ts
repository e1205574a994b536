// Fused multiply-add from plain doubles: a*b + c rounded once, as x86's vfmadd instructions give it.
//
// JavaScript has no fma, and a*b + c rounds twice. glibc-exp.ts needs the fused result wherever
// GCC contracted glibc's exp into vfmadd instructions. The method: split a*b exactly into the
// rounded product and its error (Dekker), add c with error-free sums (Knuth's TwoSum), and round
// the three-part sum once. The last step is cheap except when the sum lands exactly halfway
// between two doubles, the only case where the leftover part must decide the direction.
//
// Exact while nothing overflows and the product's error stays a normal double: |a|, |b| below
// 2^996 (the splitter multiplies by 2^27 + 1) and |a*b| zero or above 2^-969. glibc's exp stays
// far inside: its largest factor is below 2^740, its smallest non-zero product above 2^-900.

/** Veltkamp's constant 2^27 + 1: splits a 53-bit significand into halves of at most 26 bits. */
const SPLITTER = 134217729;

/** The high half of `a`'s significand (26 bits); `a - highHalf(a)` is the low half, exactly. */
export function highHalf(a: number): number {
  const t = SPLITTER * a;
  return t - (t - a);
}

/**
 * The rounding error of the product `p = a*b` when a = ah + al and b = bh + bl are split into
 * halves of at most 26 bits: a*b = p + error exactly (Dekker 1971). Callers split a constant
 * once, or pass al = 0 for an integer `a` below 2^26.
 */
export function productErrorOfHalves(ah: number, al: number, bh: number, bl: number, p: number): number {
  return ah * bh - p + ah * bl + al * bh + al * bl;
}

/** The rounding error of the product `p = a*b`: a*b = p + error exactly. */
export function productError(a: number, b: number, p: number): number {
  const ah = highHalf(a);
  const bh = highHalf(b);
  return productErrorOfHalves(ah, a - ah, bh, b - bh, p);
}

/**
 * p + e + c rounded once to the nearest double (ties to even), where p is a rounded product and e
 * its error: fma(a, b, c) when p + e = a*b exactly.
 */
export function fmaOfProduct(p: number, e: number, c: number): number {
  // p + c = s + t exactly (TwoSum): the exact value is s + t + e.
  const s = p + c;
  let z = s - p;
  const t = p - (s - z) + (c - z);
  // t + e = u + v exactly: the exact value is s + u + v.
  const u = t + e;
  z = u - t;
  const v = t - (u - z) + (e - z);
  const res = s + u;
  // Nothing left over: res is the exact value rounded once.
  if (v === 0) return res;
  // v != 0 needs t != 0, so p + c was inexact and |s| >= |p|/2: |u| is at most 1.5 ulp(s) and |v|
  // is below 2^-52 ulp(s), far too small to cross a rounding boundary. u is the nearest double
  // to t + e and every boundary near s is s plus a double, so s + u and s + u + v lie on the same
  // side of each boundary, unless s + u sits exactly on one: a tie, which rounding s + u broke to
  // even although s + u + v is not a tie.
  z = res - s;
  const err = s - (res - z) + (u - z);
  // s + u = res + err. It is a tie when err is half the gap to the neighbour on its side: then
  // res + 2 err is that neighbour, exactly; otherwise |2 err| is less than the gap and the sum
  // rounds to res or the neighbour, neither res + 2 err. (err = 0 gives res either way.)
  const neighbour = res + 2 * err;
  if (neighbour - res !== 2 * err) return res;
  // A tie: the exact value lies past the midpoint (towards the neighbour) when v points that way.
  return v > 0 === err > 0 ? neighbour : res;
}

/** fma(a, b, c): a*b + c rounded once. */
export function fma(a: number, b: number, c: number): number {
  const p = a * b;
  return fmaOfProduct(p, productError(a, b, p), c);
}
