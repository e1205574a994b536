// Turns the address list of a stack line into Locations, with jeprof's caller-address adjustment.
import { ADDRESS_MASK } from '../model/address.js';
import type { LocationTable } from '../model/locations.js';
import type { Location } from '../model/profile.js';

const HEX = /^(?:0x)?([0-9a-f]+)$/i;
const HEX_PREFIX = /^(?:0x)?([0-9a-f]*)/i;

/**
 * Address -> Location, separately for leaf frames and (adjusted) caller frames, for addresses of
 * up to 13 hex digits (all of user space). Keyed by the address's high bits, then its low 24 bits:
 * both stay small integers, which V8 hashes without allocating (a 47-bit double key would be
 * boxed on every lookup).
 */
export interface TokenCache {
  leaf: Map<number, Map<number, Location>>;
  caller: Map<number, Map<number, Location>>;
}

const LOW = 16777216; // 2^24

export interface StackResult {
  locations: Location[];
  /** Set when a token was not a clean hex address (jeprof reads its hex prefix, as Perl's hex()). */
  problem?: string;
}

/** Hex digit value per character code, -1 for anything else. */
const HEX_DIGIT = new Int8Array(128).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = HEX_DIGIT[65 + c] = 10 + c;

/** The slow path for one token: anything but a clean hex number of up to 13 digits. */
function tokenAddress(tok: string): { addr: bigint; problem?: string } {
  let m = HEX.exec(tok);
  let digits: string;
  let problem: string | undefined;
  if (m) {
    digits = m[1];
  } else {
    m = HEX_PREFIX.exec(tok);
    digits = m ? m[1] : '';
    problem = `'${tok}' is not a hex address`;
  }
  let addr = digits === '' ? 0n : BigInt('0x' + digits);
  if (addr > ADDRESS_MASK) {
    problem ??= `address ${tok} is longer than 64 bits`;
    addr &= ADDRESS_MASK;
  }
  return { addr, problem };
}

/**
 * Every frame but the leaf is a return address; jeprof subtracts one so the address falls inside
 * the call instruction (FixCallerAddresses), with 64-bit wrap-around (0x0 - 1 = 0xffff...).
 * Tokens are split on any whitespace, as Perl's split(' ').
 */
export function parseStack(text: string, table: LocationTable, tokenCache?: TokenCache): StackResult {
  const cache = tokenCache ?? { leaf: new Map(), caller: new Map() };
  const locations: Location[] = [];
  let problem: string | undefined;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++;
    if (i >= n) break;
    const start = i;
    let p = i;
    if (text.charCodeAt(p) === 48 && (text.charCodeAt(p + 1) | 32) === 120) p += 2; // 0x / 0X
    let v = 0;
    let digits = 0;
    let clean = true;
    for (; p < n; p++) {
      const c = text.charCodeAt(p);
      if (c <= 32) break;
      const d = c < 128 ? HEX_DIGIT[c] : -1;
      if (d < 0) clean = false;
      else if (clean) v = v * 16 + d;
      digits++;
    }
    i = p;
    const caller = locations.length > 0;
    const map = caller ? cache.caller : cache.leaf;
    if (clean && digits > 0 && digits <= 13) {
      const hi = Math.floor(v / LOW);
      const lo = v - hi * LOW;
      let inner = map.get(hi);
      if (!inner) {
        inner = new Map();
        map.set(hi, inner);
      }
      let loc = inner.get(lo);
      if (!loc) {
        const a = BigInt(v);
        loc = table.get(caller ? (a - 1n) & ADDRESS_MASK : a);
        inner.set(lo, loc);
      }
      locations.push(loc);
      continue;
    }
    const r = tokenAddress(text.slice(start, p));
    problem ??= r.problem;
    locations.push(table.get(caller ? (r.addr - 1n) & ADDRESS_MASK : r.addr));
  }
  return { locations, problem };
}
