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
  /**
   * Slot s is slots[3s .. 3s + 2]: its key's low half, high half, and value (0 marks an empty
   * slot). One array, so a probe reads one cache line where separate key and value arrays took two.
   */
  private slots: Int32Array;
  /** Slots in the table (a power of two). */
  private capacity: number;
  private size = 0;

  /** `capacity`: slots to start with (rounded up to a power of two); each doubling rehashes all. */
  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity) n *= 2;
    this.capacity = n;
    this.slots = new Int32Array(3 * n);
  }

  private static slotOf(hi: number, lo: number, mask: number): number {
    const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    return (h ^ (h >>> 13)) & mask;
  }

  /** The value for the address with halves (hi, lo), or 0 when absent (so values must be positive). */
  getHalves(hi: number, lo: number): number {
    const mask = this.capacity - 1;
    const t = this.slots;
    let slot = AddressIndex.slotOf(hi, lo, mask);
    for (;;) {
      const at = 3 * slot;
      const x = t[at + 2];
      if (x === 0 || (t[at] === lo && t[at + 1] === hi)) return x;
      slot = (slot + 1) & mask;
    }
  }

  setHalves(hi: number, lo: number, value: number): void {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    const mask = this.capacity - 1;
    const t = this.slots;
    let slot = AddressIndex.slotOf(hi, lo, mask);
    for (;;) {
      const at = 3 * slot;
      if (t[at + 2] === 0) {
        this.size++;
        break;
      }
      if (t[at] === lo && t[at + 1] === hi) break;
      slot = (slot + 1) & mask;
    }
    const at = 3 * slot;
    t[at] = lo;
    t[at + 1] = hi;
    t[at + 2] = value;
  }

  /** The value for address `v` (an integer below 2^53), or 0 when absent. */
  get(v: number): number {
    return this.getHalves(highHalf(v), v | 0);
  }

  set(v: number, value: number): void {
    this.setHalves(highHalf(v), v | 0, value);
  }

  private grow(): void {
    const old = this.slots;
    this.capacity *= 2;
    this.slots = new Int32Array(3 * this.capacity);
    this.size = 0;
    for (let at = 0; at < old.length; at += 3) if (old[at + 2] !== 0) this.setHalves(old[at + 1], old[at], old[at + 2]);
  }
}
