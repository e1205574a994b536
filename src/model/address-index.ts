// A hash table from addresses held as doubles (up to 2^53) to positive integers: a Map keyed by
// a 47-bit double or a BigInt hashes and boxes the key on every lookup, this does neither.

const TWO_32 = 4294967296;

export class AddressIndex {
  private keys = new Float64Array(1024);
  private values = new Int32Array(1024);
  private size = 0;

  private static slotHash(v: number): number {
    const lo = v >>> 0;
    const hi = (v - lo) / TWO_32;
    const h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
    return h ^ (h >>> 13);
  }

  /** The value for `v`, or 0 when absent (so values must be positive). */
  get(v: number): number {
    const mask = this.keys.length - 1;
    let slot = AddressIndex.slotHash(v) & mask;
    for (;;) {
      const x = this.values[slot];
      if (x === 0 || this.keys[slot] === v) return x;
      slot = (slot + 1) & mask;
    }
  }

  set(v: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let slot = AddressIndex.slotHash(v) & mask;
    while (this.values[slot] !== 0 && this.keys[slot] !== v) slot = (slot + 1) & mask;
    if (this.values[slot] === 0) this.size++;
    this.keys[slot] = v;
    this.values[slot] = value;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Float64Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (values[i] !== 0) this.set(keys[i], values[i]);
  }
}
