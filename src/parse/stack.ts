// Turns the address list of a stack line into Locations, with jeprof's caller-address adjustment.
import { ADDRESS_MASK } from '../model/address.js';
import type { LocationTable } from '../model/locations.js';
import type { Location } from '../model/profile.js';
import { frameLocationId, HEX_DIGIT } from './stack-bytes.js';

const HEX = /^(?:0x)?([0-9a-f]+)$/i;
const HEX_PREFIX = /^(?:0x)?([0-9a-f]*)/i;
/** A clean hex token with an upper-case digit (an 0X prefix is not jeprof's 0x: left to tokenAddress). */
const UPPER_LEAF = /^(?:0x)?[0-9a-fA-F]*[A-F][0-9a-fA-F]*$/;

export interface StackResult {
  locations: Location[];
  /** Set when a token was not a clean hex address (jeprof reads its hex prefix, as Perl's hex()). */
  problem?: string;
}

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
export function parseStack(text: string, table: LocationTable): StackResult {
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
      const d = c < 256 ? HEX_DIGIT[c] : -1;
      if (d < 0) clean = false;
      else if (clean) v = v * 16 + d;
      digits++;
    }
    i = p;
    const caller = locations.length > 0;
    const token = text.slice(start, p);
    if (!caller && clean && UPPER_LEAF.test(token)) {
      // jeprof keeps the leaf's text (HexExtend: 0x and leading zeros off, zeros to 16 digits).
      const d = token.replace(/^0x/, '').replace(/^0+/, '');
      if (d.length <= 16) {
        locations.push(table.getCased(BigInt('0x' + d), d.padStart(16, '0')));
        continue;
      }
    }
    if (clean && digits > 0 && digits <= 13) {
      locations.push(table.byId(frameLocationId(table, v, caller)));
      continue;
    }
    const r = tokenAddress(token);
    problem ??= r.problem;
    locations.push(table.get(caller ? (r.addr - 1n) & ADDRESS_MASK : r.addr));
  }
  return { locations, problem };
}

/**
 * The addresses of a stack line's text (after the `@`) as parseStack reads them, leaf first,
 * callers adjusted; an upper-case leaf as its address. Tokens that are not clean hex are skipped.
 */
export function stackAddresses(text: string): bigint[] {
  const out: bigint[] = [];
  let position = 0;
  for (const tok of text.split(/\s+/)) {
    if (tok === '') continue;
    const caller = position++ > 0;
    const m = HEX.exec(tok);
    if (!m || m[1].length > 16) continue;
    const a = BigInt('0x' + m[1]);
    out.push(caller ? (a - 1n) & ADDRESS_MASK : a);
  }
  return out;
}
