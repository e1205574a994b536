// Turns the address list of a stack line into Locations, with jeprof's caller-address adjustment.
import { ADDRESS_MASK } from '../model/address.js';
import type { LocationTable } from '../model/locations.js';
import type { Location } from '../model/profile.js';

const HEX = /^(?:0x)?([0-9a-f]+)$/i;
const HEX_PREFIX = /^(?:0x)?([0-9a-f]*)/i;

export interface StackResult {
  locations: Location[];
  /** Set when a token was not a clean hex address (jeprof reads its hex prefix, as Perl's hex()). */
  problem?: string;
}

/**
 * Every frame but the leaf is a return address; jeprof subtracts one so the address falls inside
 * the call instruction (FixCallerAddresses), with 64-bit wrap-around (0x0 - 1 = 0xffff...).
 */
export function parseStack(text: string, table: LocationTable): StackResult {
  const tokens = text.trim().split(/\s+/);
  const locations: Location[] = [];
  let problem: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    let m = HEX.exec(tok);
    let digits: string;
    if (m) {
      digits = m[1];
    } else {
      m = HEX_PREFIX.exec(tok);
      digits = m ? m[1] : '';
      problem ??= `'${tok}' is not a hex address`;
    }
    let addr = digits === '' ? 0n : BigInt('0x' + digits);
    if (addr > ADDRESS_MASK) {
      problem ??= `address ${tok} is longer than 64 bits`;
      addr &= ADDRESS_MASK;
    }
    if (i > 0) addr = (addr - 1n) & ADDRESS_MASK;
    locations.push(table.get(addr));
  }
  return { locations, problem };
}
