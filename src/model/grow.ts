// Typed arrays grown to hold an index: per-id tables and scratch lists whose sizes are not known
// up front. Callers test `i >= a.length` first, so the hot path stays one comparison.

/** A copy of `a` at least twice as long that holds index `i` (new slots 0). */
export function grownToHold<T extends Uint8Array | Int32Array | Float64Array>(a: T, i: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(Math.max(i + 1, a.length * 2));
  bigger.set(a);
  return bigger;
}
