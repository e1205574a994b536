// The fast path for stack lines: hex addresses read straight from the file's bytes into location
// ids, with no string made per line or per address. Anything unusual returns -1 and the line is
// read as text by parseStack instead, which knows every odd spelling jeprof accepts.
import { ADDRESS_MASK } from '../model/address.js';
import type { LocationTable } from '../model/locations.js';
import { grownToHold } from '../model/grow.js';

/** Hex digit value per byte (or character code below 256), -1 for anything else. */
export const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = HEX_DIGIT[65 + c] = 10 + c;

/**
 * Two hex digits' value per pair of bytes (first byte low): (d0 << 4 | d1), plus 256 when either
 * is an upper-case digit; -1 when either is not a digit. One lookup per two digits: the digit
 * loop is most of a big dump's parse, and it took 49 ns an address with one lookup a digit, 35
 * with this (3.9 million frames of the 250 MB dump, warm, alone).
 */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let a = 0; a < 256; a++) {
  for (let c = 0; c < 256; c++) {
    if (HEX_DIGIT[a] < 0 || HEX_DIGIT[c] < 0) continue;
    const upper = (a >= 65 && a <= 70) || (c >= 65 && c <= 70) ? 256 : 0;
    HEX_PAIR[a | (c << 8)] = (HEX_DIGIT[a] << 4) | HEX_DIGIT[c] | upper;
  }
}

/**
 * Reads the addresses of a stack line (the bytes after `@`) into `out` as location ids, leaf
 * first, caller frames adjusted by -1 as jeprof's FixCallerAddresses. Accepts only what a plain
 * dump holds: space/tab separators, optional 0x, 1 to 13 hex digits. Returns the count, or -1
 * when the line needs the text path.
 */
export class StackByteReader {
  ids = new Int32Array(256);

  constructor(private readonly table: LocationTable) {}

  read(b: Uint8Array, start: number, end: number): number {
    let i = start;
    if (i >= end || (b[i] !== 32 && b[i] !== 9)) return -1;
    let n = 0;
    while (i < end) {
      let c = b[i];
      if (c === 32 || c === 9) {
        i++;
        continue;
      }
      if (c === 48 && i + 1 < end && (b[i + 1] | 32) === 120) i += 2;
      // The address as two 32-bit halves: integer operations only, and the table is keyed by them.
      let hi = 0;
      let lo = 0;
      let upper = 0;
      const first = i;
      // Two digits at a time; then the one left before a separator, if any. Anything else after
      // the digits starts a token of its own, which the loop above turns down.
      for (;;) {
        if (i + 1 < end) {
          const pair = HEX_PAIR[b[i] | (b[i + 1] << 8)];
          if (pair >= 0) {
            upper |= pair;
            hi = (hi << 8) | (lo >>> 24);
            lo = (lo << 8) | (pair & 255);
            i += 2;
            continue;
          }
        }
        if (i < end && b[i] !== 32 && b[i] !== 9) {
          c = b[i];
          const d = HEX_DIGIT[c];
          if (d < 0) return -1;
          if (c >= 65 && c <= 70) upper = 256;
          hi = (hi << 4) | (lo >>> 28);
          lo = (lo << 4) | d;
          i++;
        }
        break;
      }
      const digits = i - first;
      // A leaf in upper case is a PC of its own (Location.text): the text path reads it.
      if (digits === 0 || digits > 13 || (n === 0 && upper >= 256)) return -1;
      if (n === this.ids.length) this.ids = grownToHold(this.ids, n);
      this.ids[n] = n > 0 ? callerLocationId(this.table, hi, lo) : this.table.idOfHalves(hi, lo);
      n++;
    }
    return n;
  }
}

/** frameLocationId(table, address, true) for the address with halves (hi, lo): (hi, lo) - 1. */
function callerLocationId(table: LocationTable, hi: number, lo: number): number {
  if (lo !== 0) return table.idOfHalves(hi, (lo - 1) | 0);
  if (hi !== 0) return table.idOfHalves(hi - 1, -1);
  return table.get(ADDRESS_MASK).id;
}

/**
 * The location id of an address read from a stack line (up to 2^52): every frame but the leaf is
 * a return address, and jeprof subtracts one (FixCallerAddresses). v - 1 is exact for these
 * doubles; 0 - 1 wraps to 2^64 - 1, which only the BigInt path can hold.
 */
export function frameLocationId(table: LocationTable, v: number, caller: boolean): number {
  if (!caller) return table.idOf(v);
  return v > 0 ? table.idOf(v - 1) : table.get(ADDRESS_MASK).id;
}
