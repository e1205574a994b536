// The call tree's one lookup per frame: (parent node, name id) to child node, open addressing in one typed array.
import { takeInts } from '../model/int-recycler.js';

/**
 * A hash table of int pairs to ints. A Map keyed by parent * names + name was the slowest part
 * of a 24,000-stack report: past 2^31 its keys are heap numbers, hashed and boxed each time.
 * Each slot is [parent + 1 (0: empty), name, child], side by side so a probe reads one cache line.
 */
export class ChildIndex {
  private slots: Int32Array;
  private mask: number;
  private size = 0;

  /** `capacity`: how many entries to expect (more grow the table). */
  constructor(capacity = 1024) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    // Recycled when one of the size is free (pages already touched), then emptied.
    this.slots = takeInts(n * 3).fill(0);
    this.mask = n - 1;
  }

  /** The child of `parent` named `name`; when there is none, `make` becomes it and is returned. */
  childOr(parent: number, name: number, make: number): number {
    const slots = this.slots;
    const h = Math.imul(parent ^ Math.imul(name, 0x85ebca77), 0x9e3779b1);
    let i = (h ^ (h >>> 16)) & this.mask;
    for (;;) {
      const p = slots[i * 3];
      if (p === 0) break;
      if (p === parent + 1 && slots[i * 3 + 1] === name) return slots[i * 3 + 2];
      i = (i + 1) & this.mask;
    }
    slots[i * 3] = parent + 1;
    slots[i * 3 + 1] = name;
    slots[i * 3 + 2] = make;
    if (++this.size * 2 > this.mask) this.grow();
    return make;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.size = 0;
    for (let i = 0; i < old.length; i += 3) if (old[i] !== 0) this.childOr(old[i] - 1, old[i + 1], old[i + 2]);
  }
}
