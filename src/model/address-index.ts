// A hash table from addresses (up to 2^53) to positive integers, keyed by the address's two 32-bit
// halves: a Map keyed by a 47-bit double or a BigInt hashes and boxes the key on every lookup, and
// halves let the dump reader look addresses up without ever making a double of them.

const TWO_32 = 4294967296;
const TWO_MINUS_32 = 1 / TWO_32;

/** The high 32 bits of an integer address held as a double (exact below 2^53). */
export function highHalf(v: number): number {
  return Math.floor(v * TWO_MINUS_32);
}

/** The address whose halves are `hi` (non-negative, below 2^21) and `lo` (any int32 bit pattern). */
export function joinHalves(hi: number, lo: number): number {
  return hi * TWO_32 + (lo >>> 0);
}

export class AddressIndex {
  /** Slot s holds its key's low half at 2s and high half at 2s + 1. */
  private keys: Int32Array;
  /** 0 marks an empty slot. */
  private values: Int32Array;
  private size = 0;

  /** `capacity`: slots to start with (rounded up to a power of two); each doubling rehashes all. */
  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity) n *= 2;
    this.keys = new Int32Array(2 * n);
    this.values = new Int32Array(n);
  }

  private static slotOf(hi: number, lo: number, mask: number): number {
    const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 13)) & mask;
  }

  /** The value for the address with halves (hi, lo), or 0 when absent (so values must be positive). */
  getHalves(hi: number, lo: number): number {
    const mask = this.values.length - 1;
    let slot = AddressIndex.slotOf(hi, lo, mask);
    for (;;) {
      const x = this.values[slot];
      if (x === 0 || (this.keys[2 * slot] === lo && this.keys[2 * slot + 1] === hi)) return x;
      slot = (slot + 1) & mask;
    }
  }

  setHalves(hi: number, lo: number, value: number): void {
    if ((this.size + 1) * 2 > this.values.length) this.grow();
    const mask = this.values.length - 1;
    let slot = AddressIndex.slotOf(hi, lo, mask);
    for (;;) {
      if (this.values[slot] === 0) {
        this.size++;
        break;
      }
      if (this.keys[2 * slot] === lo && this.keys[2 * slot + 1] === hi) break;
      slot = (slot + 1) & mask;
    }
    this.keys[2 * slot] = lo;
    this.keys[2 * slot + 1] = hi;
    this.values[slot] = value;
  }

  /** The value for address `v` (an integer below 2^53), or 0 when absent. */
  get(v: number): number {
    return this.getHalves(highHalf(v), v | 0);
  }

  set(v: number, value: number): void {
    this.setHalves(highHalf(v), v | 0, value);
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(keys.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.size = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) this.setHalves(keys[2 * i + 1], keys[2 * i], values[i]);
  }
}
