// 64-bit address arithmetic and jeprof's 16-hex-digit address text.

export const ADDRESS_MASK = (1n << 64n) - 1n;

/** Formats an address as jeprof's 16 lowercase hex digits without `0x`. */
export function hex16(a: bigint): string {
  return a.toString(16).padStart(16, '0');
}

/** `a - b` with 64-bit wrap-around, as jeprof's AddressSub. */
export function addressSub(a: bigint, b: bigint): bigint {
  return (a - b) & ADDRESS_MASK;
}

/** `a + b` with 64-bit wrap-around, as jeprof's AddressAdd. */
export function addressAdd(a: bigint, b: bigint): bigint {
  return (a + b) & ADDRESS_MASK;
}

const hexCache = new WeakMap<object, string>();

/**
 * A location's address as jeprof prints it: its 16 hex digits, lower case but for a leaf the dump
 * spelled in upper case (Location.text). Computed once per location (reports ask per frame).
 */
export function locationHex(loc: { address: bigint; text?: string }): string {
  if (loc.text !== undefined) return loc.text;
  let h = hexCache.get(loc);
  if (h === undefined) {
    h = hex16(loc.address);
    hexCache.set(loc, h);
  }
  return h;
}
