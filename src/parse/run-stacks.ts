// The stacks of a run's dumps in one table: a series' dumps of one process repeat the same stack
// lines dump after dump (redis's 200 interval dumps: 12,100 stack lines, 83 distinct), so each
// distinct stack is interned once, and a stack line met before, byte for byte, is not parsed again.
import type { IntSequenceTable } from '../model/interner.js';
import { stackTableFor } from './stack-lines.js';
import type { LocationTable } from '../model/locations.js';
import { StackStore } from '../model/stack-store.js';
import { grownToHold } from '../model/grow.js';

/** A run's stack table and the stack lines already read (the bytes after `@`, by stack number). */
export class RunStacks {
  private tableMade?: IntSequenceTable;
  private storeMade?: StackStore;
  /** Remembered line bytes end to end; line k is bytes[starts[k], starts[k] + lens[k]). */
  private bytes = Buffer.alloc(1 << 16);
  private used = 0;
  private starts = new Int32Array(256);
  private lens = new Int32Array(256);
  private hashes = new Int32Array(256);
  private stackOf = new Int32Array(256);
  private size = 0;
  /** Line number + 1 per slot, 0 when empty; kept at most half full. */
  private slots = new Int32Array(512);
  /** The hash of the last line looked up (find), which remember() files it under. */
  private lastHash = 0;
  /** The last dump's map section, bytes and text (LineReader.rest): dumps of one process mostly repeat it. */
  readonly lastMap: { bytes?: Buffer; text?: string } = {};
  /** The read buffer the run's dumps share, one after another (see LineReader); lines are copied out of it. */
  readBuffer?: Buffer;

  /** `maxLineBytes`: lines are remembered up to this many bytes in all (memory stays bounded). */
  constructor(
    readonly locations: LocationTable,
    private readonly maxLineBytes = 64 << 20,
  ) {}

  /** The run's table, made by the first dump read (sized from its size, as a lone dump's is). */
  table(fileBytes: number): IntSequenceTable {
    this.tableMade ??= stackTableFor(fileBytes);
    return this.tableMade;
  }

  store(fileBytes: number): StackStore {
    this.storeMade ??= new StackStore(this.table(fileBytes), this.locations);
    return this.storeMade;
  }

  /** The stack number of the line b[start, end) if it was read before, else -1. */
  find(b: Uint8Array, start: number, end: number): number {
    const len = end - start;
    // Every third byte and the last few: each 15-byte address of a stack line still weighs in
    // five times, and the comparison below, not the hash, decides.
    let h = 0x811c9dc5 ^ len;
    for (let i = start; i < end; i += 3) h = Math.imul(h ^ b[i], 0x01000193);
    for (let i = Math.max(start, end - 4); i < end; i++) h = Math.imul(h ^ b[i], 0x01000193);
    h ^= h >>> 15;
    this.lastHash = h;
    const mask = this.slots.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const k = this.slots[slot] - 1;
      if (k < 0) return -1;
      if (this.hashes[k] !== h || this.lens[k] !== len) continue;
      const at = this.starts[k];
      if (this.bytes.compare(b, start, end, at, at + len) === 0) return this.stackOf[k];
    }
  }

  /** Notes that the line b[start, end), just looked up by find(), is stack `stack`. */
  remember(b: Uint8Array, start: number, end: number, stack: number): void {
    const len = end - start;
    if (this.used + len > this.maxLineBytes) return;
    if (this.used + len > this.bytes.length) {
      const bigger = Buffer.alloc(Math.max(this.bytes.length * 2, this.used + len));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    this.bytes.set(b.subarray(start, end), this.used);
    const k = this.size++;
    if (k >= this.starts.length) {
      this.starts = grownToHold(this.starts, k);
      this.lens = grownToHold(this.lens, k);
      this.hashes = grownToHold(this.hashes, k);
      this.stackOf = grownToHold(this.stackOf, k);
    }
    this.starts[k] = this.used;
    this.lens[k] = len;
    this.hashes[k] = this.lastHash;
    this.stackOf[k] = stack;
    this.used += len;
    if (this.size * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      for (let j = 0; j < this.size; j++) this.place(j);
    } else {
      this.place(k);
    }
  }

  private place(k: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[k] & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = k + 1;
  }
}
