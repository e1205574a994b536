// Numbers distinct reduced key paths without keeping their key ids: each path is remembered by the
// stack it was first made from (its hash, length and that stack's number), and made again from that
// stack when a new path's hash matches it, or when the sums want it. A 1 GB dump's million distinct
// paths held some 220 MB of key ids in an IntSequenceTable; this keeps 12 bytes a path and makes
// each path once more (about 1 s of CPU a million, measured in the README's Performance section).
import { rehashed, sequenceHash, slotCount } from '../model/interner.js';
import { giveInts, takeInts } from '../model/int-recycler.js';
import { grownToHold } from '../model/grow.js';

export class RemadePaths {
  private hashes: Int32Array;
  private lens: Int32Array;
  private reps: Int32Array;
  /** Entry number + 1 per slot, 0 when empty; kept at most half full. */
  private slots: Int32Array;
  size = 0;
  /** True when the last intern() call added a new path. */
  added = false;

  constructor(entries = 1024) {
    const e = Math.max(16, entries);
    // Recycled, as an IntSequenceTable's are (see takeInts): entries are written before read.
    this.hashes = takeInts(e);
    this.lens = takeInts(e);
    this.reps = takeInts(e);
    this.slots = takeInts(slotCount(e)).fill(0);
  }

  /** Hands the arrays to the next table made; unusable after. */
  release(): void {
    for (const a of [this.hashes, this.lens, this.reps, this.slots]) giveInts(a);
  }

  /**
   * The number of the path path[0..n), a new one (remembered by `rep`) the first time. `same(rep)`
   * tells whether the path made from an earlier entry's rep equals this one; it is asked only
   * when hash and length match.
   */
  intern(path: ArrayLike<number>, n: number, rep: number, same: (rep: number) => boolean): number {
    const h = sequenceHash(path, n);
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const e = this.slots[slot] - 1;
      if (e < 0) break;
      if (this.hashes[e] === h && this.lens[e] === n && same(this.reps[e])) {
        this.added = false;
        return e;
      }
      slot = (slot + 1) & mask;
    }
    const e = this.size++;
    if (e === this.reps.length) this.growEntries();
    this.hashes[e] = h;
    this.lens[e] = n;
    this.reps[e] = rep;
    this.slots[slot] = e + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    this.added = true;
    return e;
  }

  /** What entry e was first made from. */
  repOf(e: number): number {
    return this.reps[e];
  }

  private growEntries(): void {
    this.hashes = grownToHold(this.hashes, this.size);
    this.lens = grownToHold(this.lens, this.size);
    this.reps = grownToHold(this.reps, this.size);
  }

  private rehash(): void {
    this.slots = rehashed(this.hashes, this.size, new Int32Array(this.slots.length * 2));
  }}
