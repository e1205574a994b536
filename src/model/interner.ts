// Gives equal sequences one canonical number without a joined key string or an object per stack:
// with tens of thousands of stacks 40 frames deep, those were most of what the collector chased.
// Sequences live end to end in one Int32Array (or Uint16Array, see `narrow`); an
// open-addressing table finds them by hash.
import { giveInts, takeInts } from './int-recycler.js';

/** A table's stored numbers: 16-bit while a narrow table's numbers all fit, else 32-bit. */
export type IntPool = Int32Array | Uint16Array;

/** The largest number a narrow table stores in 16 bits. */
const NARROW_MAX = 0xffff;

/** Numbers distinct integer sequences 0, 1, 2, ... in first-seen order. */
export class IntSequenceTable {
  private pool: IntPool;
  private poolUsed = 0;
  private starts: Int32Array;
  private lens: Int32Array;
  private hashes: Int32Array;
  /** Entry number + 1 per slot, 0 when empty; kept at most half full. */
  private slots: Int32Array;
  size = 0;
  /** True when the last intern() call added a new sequence. */
  added = false;
  private released = false;
  /** Finds nothing by content any more (seal): reads go on, interning does not. */
  private sealed = false;
  /** Entries are ranges of the caller's array (`shared`), not copies. */
  private readonly inPlace: boolean;

  /**
   * Sized for `entries` sequences of `ints` numbers in all when the caller knows (a filter of n
   * stacks makes at most n): growing by doubling copies everything about twice over.
   * With `shared`, every sequence interned must be a range of that array, which must not change
   * while the table is used: entries then point into it, and nothing is copied (a million frames
   * were 4 MB of fresh memory, about 13 ms of page faults on a VM).
   * With `narrow` (not with `shared`), numbers are kept in 16 bits until the first one that does
   * not fit is interned, then all are copied to 32 bits once: a dump's location ids are below
   * 65,536 (distinct PCs) in most dumps, and a 1 GB dump's 61 million frames were 246 MB at 32.
   */
  constructor(entries = 256, ints = 4096, shared?: IntPool, narrow = false) {
    const e = Math.max(16, entries);
    this.inPlace = shared !== undefined;
    // Not recycled when narrow: the recycler holds Int32Arrays (a parser's table is kept anyway).
    this.pool = shared ?? (narrow ? new Uint16Array(Math.max(64, ints)) : takeInts(Math.max(64, ints)));
    // All three the same length: growEntries goes by starts.length.
    this.starts = takeInts(e);
    this.lens = takeInts(e);
    this.hashes = takeInts(e);
    // A recycled array holds stale numbers: slots must start empty.
    this.slots = takeInts(slotCount(e)).fill(0);
  }

  /**
   * Hands the table's arrays to the next table made (see takeInts); the table is unusable after.
   * Call it only where nothing can read the table again.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const a of [this.starts, this.lens, this.hashes, this.slots]) giveInts(a);
    if (!this.inPlace && this.pool instanceof Int32Array) giveInts(this.pool);
  }

  /**
   * Done adding: the arrays that only serve finding sequences by content (hashes and slots) go to
   * the next table made, and the entries stay readable. A parsed dump keeps its table for as long
   * as its samples live, and the analysis's first table is as big: on a 1 GB dump it takes these
   * 25 MB of pages already touched instead of touching as many afresh.
   */
  seal(): void {
    if (this.sealed || this.released) return;
    this.sealed = true;
    giveInts(this.hashes);
    giveInts(this.slots);
    // Too small to be recycled, so release() cannot give the old ones a second time.
    this.hashes = new Int32Array(0);
    this.slots = new Int32Array(0);
  }

  /**
   * The number of `seq[from..from + len)`, a new one the first time. The table keeps its own
   * copy, so `seq` may be a longer array the caller goes on changing (or another table's data).
   */
  intern(seq: ArrayLike<number>, len: number = seq.length, from = 0): number {
    this.live();
    if (this.sealed) throw new Error('IntSequenceTable: intern() after seal()');
    const h = sequenceHash(seq, len, from);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = this.slots[slot] - 1;
      if (e < 0) break;
      if (this.hashes[e] === h && this.lens[e] === len && this.equals(e, seq, len, from)) {
        this.added = false;
        return e;
      }
      slot = (slot + 1) & mask;
    }
    const e = this.size++;
    if (e === this.starts.length) this.growEntries();
    if (this.inPlace) {
      if (seq !== this.pool) throw new Error('IntSequenceTable: a sequence outside its shared array');
      this.starts[e] = from;
    } else {
      this.copyIn(e, seq, len, from);
    }
    this.lens[e] = len;
    this.hashes[e] = h;
    this.slots[slot] = e + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    this.added = true;
    return e;
  }

  /**
   * Stores `seq[from..from + len)` as a new entry without looking for an equal one: for callers
   * whose sequences are distinct already or need not be (a pprof file's stacks). The entry is
   * found by content only if interned, so do not mix the two on one table.
   */
  append(seq: ArrayLike<number>, len: number = seq.length, from = 0): number {
    if (this.released) throw new Error('IntSequenceTable used after release()');
    if (this.inPlace) throw new Error('IntSequenceTable: append() copies, a shared table cannot');
    if (this.sealed) throw new Error('IntSequenceTable: append() after seal()');
    const e = this.size++;
    if (e === this.starts.length) this.growEntries();
    this.copyIn(e, seq, len, from);
    this.lens[e] = len;
    this.added = true;
    return e;
  }

  /** Copies a sequence to the end of the pool as entry `e`'s numbers. */
  private copyIn(e: number, seq: ArrayLike<number>, len: number, from: number): void {
    if (this.poolUsed + len > this.pool.length) this.growPool(Math.max(this.pool.length * 2, this.poolUsed + len));
    let pool = this.pool;
    const at = this.poolUsed;
    // Which bits the numbers use, gathered as they are copied: no pass of its own over each sequence.
    let bits = 0;
    for (let i = 0; i < len; i++) {
      const v = seq[from + i];
      bits |= v;
      pool[at + i] = v;
    }
    // A narrow pool kept the low 16 bits of a number past them (or of a negative one): it widens,
    // and the sequence is copied again.
    if (pool instanceof Uint16Array && (bits < 0 || bits > NARROW_MAX)) {
      this.widen();
      pool = this.pool;
      for (let i = 0; i < len; i++) pool[at + i] = seq[from + i];
    }
    this.starts[e] = at;
    this.poolUsed += len;
  }

  /** A pool of `n` numbers of the same width, holding the numbers stored so far. */
  private growPool(n: number): void {
    const old = this.pool;
    const bigger = old instanceof Uint16Array ? new Uint16Array(n) : takeInts(n);
    bigger.set(old.subarray(0, this.poolUsed));
    // The old one is not recycled: see growEntries.
    this.pool = bigger;
  }

  /**
   * From 16 to 32 bits, once: the new pool is as long as the old (untouched pages of it cost
   * nothing, as for the first), and the old one is left to the collector.
   */
  private widen(): void {
    const wide = new Int32Array(this.pool.length);
    wide.set(this.pool.subarray(0, this.poolUsed));
    this.pool = wide;
  }

  /**
   * Every stored number, entry e at [startOf(e), startOf(e) + lengthOf(e)): for hot loops, which
   * a subarray view per entry would make allocate. Valid until the next intern() (which may
   * widen a narrow table's pool to a new array).
   */
  get data(): IntPool {
    this.live();
    return this.pool;
  }

  /** How many numbers the stored sequences hold in all (copied ones; 0 for a shared table). */
  get used(): number {
    return this.poolUsed;
  }

  startOf(e: number): number {
    this.live();
    return this.starts[e];
  }

  lengthOf(e: number): number {
    this.live();
    return this.lens[e];
  }

  /** The stored sequence of entry `e` (a view; do not keep it across intern() calls). */
  sequence(e: number): IntPool {
    this.live();
    return this.pool.subarray(this.starts[e], this.starts[e] + this.lens[e]);
  }

  /** Its arrays went to the next table (release): a read now would see another table's numbers. */
  private live(): void {
    if (this.released) throw new Error('IntSequenceTable read after release()');
  }

  private equals(e: number, seq: ArrayLike<number>, len: number, from: number): boolean {
    const p = this.pool;
    const s = this.starts[e];
    for (let i = 0; i < len; i++) if (p[s + i] !== seq[from + i]) return false;
    return true;
  }

  /**
   * Outgrown arrays are left to the collector, not recycled: smaller than anything this table
   * takes again, they were held for nothing (16 MB of every size a 1 GB dump's parser table went
   * through, while the analysis's tables touched as many new pages).
   */
  private growEntries(): void {
    const n = this.starts.length * 2;
    const grow = (a: Int32Array) => {
      const b = takeInts(n);
      b.set(a);
      return b;
    };
    this.starts = grow(this.starts);
    this.lens = grow(this.lens);
    this.hashes = grow(this.hashes);
  }

  private rehash(): void {
    // The old slots are not recycled: see growEntries.
    this.slots = rehashed(this.hashes, this.size, takeInts(this.slots.length * 2).fill(0));
  }}

/** FNV-1a over seq[from..from + len) with the length mixed in: the hash both sequence tables use. */
export function sequenceHash(seq: ArrayLike<number>, len: number, from = 0): number {
  let h = 0x811c9dc5 ^ len;
  for (let i = 0; i < len; i++) h = Math.imul(h ^ seq[from + i], 0x01000193);
  return h ^ (h >>> 15);
}

/** Slots (a power of two) for an open-addressing table of `entries`, kept at most half full. */
export function slotCount(entries: number): number {
  let slots = 32;
  while (slots < 2 * entries + 2) slots *= 2;
  return slots;
}

/** Fills the empty `slots` with entries 0..size-1 (as entry + 1) by their hashes, linear probing; returns it. */
export function rehashed(hashes: Int32Array, size: number, slots: Int32Array): Int32Array {
  const mask = slots.length - 1;
  for (let e = 0; e < size; e++) {
    let slot = hashes[e] & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = e + 1;
  }
  return slots;
}

/** Interns sequences of objects that carry a unique integer (a Location's id) to one value each. */
export class SequenceInterner<K, V> {
  private readonly table = new IntSequenceTable();
  private readonly values: V[] = [];
  private scratch = new Int32Array(64);

  constructor(private readonly numberOf: (k: K) => number) {}

  get size(): number {
    return this.table.size;
  }

  /** The value stored for `seq`, creating it with `make` the first time. */
  intern(seq: readonly K[], make: () => V): V {
    if (seq.length > this.scratch.length) this.scratch = new Int32Array(seq.length * 2);
    for (let i = 0; i < seq.length; i++) this.scratch[i] = this.numberOf(seq[i]);
    return this.internNumbers(this.scratch, seq.length, 0, make);
  }

  /** intern() of a sequence given by its objects' numbers, nums[from .. from + len). */
  internNumbers(nums: ArrayLike<number>, len: number, from: number, make: () => V): V {
    const e = this.table.intern(nums, len, from);
    if (this.table.added) this.values.push(make());
    return this.values[e];
  }
}
