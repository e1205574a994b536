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

/** hex16 of a location's address, computed once per location (reports ask for it per frame). */
export function locationHex(loc: { address: bigint }): string {
  let h = hexCache.get(loc);
  if (h === undefined) {
    h = hex16(loc.address);
    hexCache.set(loc, h);
  }
  return h;
}
