// Gives equal sequences one canonical entry without building a joined key string per stack:
// with tens of thousands of stacks 40 frames deep, those strings were most of the garbage the
// collector had to chase. Elements are numbered, sequences hashed, collisions compared.

export class SequenceInterner<K, V> {
  private readonly buckets = new Map<number, { seq: readonly K[]; value: V }[]>();
  private readonly numbers = new Map<K, number>();
  size = 0;

  /** `numberOf` gives elements that already carry a unique number (a Location's id) their own. */
  constructor(private readonly numberOf?: (k: K) => number) {}

  private num(k: K): number {
    if (this.numberOf) return this.numberOf(k);
    let n = this.numbers.get(k);
    if (n === undefined) {
      n = this.numbers.size;
      this.numbers.set(k, n);
    }
    return n;
  }

  /**
   * The value stored for `seq`, creating it with `make` the first time. A new entry keeps a copy
   * of `seq`, so callers may reuse their array.
   */
  intern(seq: readonly K[], make: () => V): V {
    let h = 0x811c9dc5 ^ seq.length;
    for (let i = 0; i < seq.length; i++) h = Math.imul(h ^ this.num(seq[i]), 0x01000193);
    // Keep the hash a small integer (31-bit on pointer-compressed V8) so Map does not box it.
    h &= 0x3fffffff;
    let bucket = this.buckets.get(h);
    if (bucket) {
      for (const e of bucket) if (this.same(e.seq, seq)) return e.value;
    } else {
      bucket = [];
      this.buckets.set(h, bucket);
    }
    const value = make();
    bucket.push({ seq: seq.slice(), value });
    this.size++;
    return value;
  }

  private same(a: readonly K[], b: readonly K[]): boolean {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
}
