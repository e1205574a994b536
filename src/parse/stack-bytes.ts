// The fast path for stack lines: hex addresses read straight from the file's bytes into location
// ids, with no string made per line or per address. Anything unusual returns -1 and the line is
// read as text by parseStack instead, which knows every odd spelling jeprof accepts.
import { ADDRESS_MASK } from '../model/address.js';
import type { LocationTable } from '../model/locations.js';

/** Hex digit value per byte, -1 for anything else. */
const HEX_DIGIT = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX_DIGIT[48 + c] = c;
for (let c = 0; c < 6; c++) HEX_DIGIT[97 + c] = HEX_DIGIT[65 + c] = 10 + c;

const TWO_32 = 4294967296;

/**
 * Address (up to 52 bits, as a double) -> location id. Open addressing on the address's two
 * 32-bit halves: a Map keyed by a 47-bit double would box the key on every lookup.
 */
class AddressIndex {
  private keys = new Float64Array(1024);
  private ids = new Int32Array(1024);
  private size = 0;

  private static slotHash(v: number): number {
    const lo = v >>> 0;
    const hi = (v - lo) / TWO_32;
    let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    h ^= h >>> 13;
    return h;
  }

  /** The id for `v`, or 0 when absent (location ids start at 1). */
  get(v: number): number {
    const mask = this.keys.length - 1;
    let slot = AddressIndex.slotHash(v) & mask;
    for (;;) {
      const id = this.ids[slot];
      if (id === 0 || this.keys[slot] === v) return id;
      slot = (slot + 1) & mask;
    }
  }

  set(v: number, id: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = AddressIndex.slotHash(v) & mask;
    while (this.ids[slot] !== 0 && this.keys[slot] !== v) slot = (slot + 1) & mask;
    if (this.ids[slot] === 0) this.size++;
    this.keys[slot] = v;
    this.ids[slot] = id;
  }

  private grow(): void {
    const keys = this.keys;
    const ids = this.ids;
    this.keys = new Float64Array(keys.length * 2);
    this.ids = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (ids[i] !== 0) this.set(keys[i], ids[i]);
  }
}

/**
 * Reads the addresses of a stack line (the bytes after `@`) into `out` as location ids, leaf
 * first, caller frames adjusted by -1 as jeprof's FixCallerAddresses. Accepts only what a plain
 * dump holds: space/tab separators, optional 0x, 1 to 13 hex digits. Returns the count, or -1
 * when the line needs the text path.
 */
export class StackByteReader {
  private readonly leaf = new AddressIndex();
  private readonly caller = new AddressIndex();
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
      let v = 0;
      const first = i;
      for (; i < end; i++) {
        c = b[i];
        if (c === 32 || c === 9) break;
        const d = HEX_DIGIT[c];
        if (d < 0) return -1;
        v = v * 16 + d;
      }
      const digits = i - first;
      if (digits === 0 || digits > 13) return -1;
      if (n === this.ids.length) {
        const bigger = new Int32Array(n * 2);
        bigger.set(this.ids);
        this.ids = bigger;
      }
      this.ids[n] = n === 0 ? this.leafId(v) : this.callerId(v);
      n++;
    }
    return n;
  }

  private leafId(v: number): number {
    let id = this.leaf.get(v);
    if (id === 0) {
      id = this.table.get(BigInt(v)).id;
      this.leaf.set(v, id);
    }
    return id;
  }

  private callerId(v: number): number {
    let id = this.caller.get(v);
    if (id === 0) {
      id = this.table.get((BigInt(v) - 1n) & ADDRESS_MASK).id;
      this.caller.set(v, id);
    }
    return id;
  }
}
