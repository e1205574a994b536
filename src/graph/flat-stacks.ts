// Stacks as ranges of location ids in one Int32Array: the analysis's per-frame passes then read
// integers in order instead of chasing a Location object per frame (a million frames in a 24k-stack dump).
import { giveInts, takeInts } from '../model/int-recycler.js';
import type { IntPool } from '../model/interner.js';
import type { Location } from '../model/profile.js';
import type { LocationTable } from '../model/locations.js';
import type { StackStore } from '../model/stack-store.js';
import { sampleOfStack, type Stack } from './stacks.js';

/** Finds the Location of an id met in a stack. */
export interface LocationsById {
  location(id: number): Location;
}

export class FlatStacks implements LocationsById {
  /** Location ids, leaf first: stack i is ids[starts[i] .. ends[i]); see `ids`. */
  private readonly idArray: IntPool;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Where the ids come from when all stacks are one dump's: its own table, nothing copied. */
  private readonly store?: StackStore;
  /** The run's Locations, when some stacks are dumps' (ids of one run all come from it). */
  private readonly table?: LocationTable;
  /** Location by id, for stacks gathered from their Location lists. */
  private readonly byId: Location[] = [];
  private released = false;

  constructor(stacks: readonly Stack[]) {
    // Recycled (every slot is written below): on a 1 GB dump, pages the parse touched already.
    this.starts = takeInts(stacks.length);
    this.ends = takeInts(stacks.length);
    const store = oneStore(stacks);
    if (store) {
      this.store = store;
      this.table = store.locations;
      this.idArray = store.table.data;
      for (let i = 0; i < stacks.length; i++) {
        const e = sampleOfStack(stacks[i])!.entry;
        this.starts[i] = store.table.startOf(e);
        this.ends[i] = this.starts[i] + store.table.lengthOf(e);
      }
      return;
    }
    // Several dumps (--base, or profiles added up): ids copied from each dump's table where the
    // dumps share one LocationTable, as a run's do; other stacks from their Location lists.
    const first = stacks.find((s) => sampleOfStack(s) !== undefined);
    this.table = first && sampleOfStack(first)!.store.locations;
    const sampleIn = (s: Stack) => {
      const sample = sampleOfStack(s);
      return sample && sample.store.locations === this.table ? sample : undefined;
    };
    let frames = 0;
    for (let i = 0; i < stacks.length; i++) {
      const s = stacks[i];
      const sample = sampleIn(s);
      frames += sample ? sample.store.table.lengthOf(sample.entry) : s.locations.length;
    }
    this.idArray = takeInts(frames);
    const ids = this.idArray;
    const byId = this.byId;
    let at = 0;
    for (let i = 0; i < stacks.length; i++) {
      const s = stacks[i];
      this.starts[i] = at;
      const sample = sampleIn(s);
      if (sample) {
        const t = sample.store.table;
        const from = t.startOf(sample.entry);
        ids.set(t.data.subarray(from, from + t.lengthOf(sample.entry)), at);
        at += t.lengthOf(sample.entry);
      } else {
        const locs = s.locations;
        for (let j = 0; j < locs.length; j++) {
          const l = locs[j];
          const id = l.id;
          if (byId[id] === undefined) byId[id] = l;
          ids[at++] = id;
        }
      }
      this.ends[i] = at;
    }
  }

  /** Location ids, leaf first: stack i is ids[starts[i] .. ends[i]). Gone once released. */
  get ids(): IntPool {
    if (this.released) throw new Error('FlatStacks read after release()');
    return this.idArray;
  }

  get count(): number {
    return this.starts.length;
  }

  /** All frames: what an interning table of the stacks holds at most. */
  get frames(): number {
    let n = 0;
    for (let i = 0; i < this.starts.length; i++) n += this.ends[i] - this.starts[i];
    return n;
  }

  location(id: number): Location {
    return this.byId[id] ?? this.table!.byId(id);
  }

  /** True when the ids are a dump's own table (release() then frees nothing, and they stay valid). */
  get inPlace(): boolean {
    return this.store !== undefined;
  }

  /** Done reading: gathered ids go to the next table made (see takeInts); a dump's stay its own. */
  release(): void {
    if (this.released || this.store) return;
    this.released = true;
    // Gathered ids are always a takeInts array; the check only narrows the type.
    if (this.idArray instanceof Int32Array) giveInts(this.idArray);
  }
}

/** The store every stack comes from, if they are all one dump's samples. */
function oneStore(stacks: readonly Stack[]): StackStore | undefined {
  const store = stacks.length === 0 ? undefined : sampleOfStack(stacks[0])?.store;
  if (!store) return undefined;
  for (let i = 1; i < stacks.length; i++) {
    if (sampleOfStack(stacks[i])?.store !== store) return undefined;
  }
  return store;
}

/**
 * Stacks as ranges of one id array with a value each, stack i leaf first at
 * ids[starts[i] .. ends[i]): what a report that reads every frame of every stack can take in place,
 * with no Location list per stack (a million stacks 60 deep made 500 MB of them).
 */
export interface StackRanges extends LocationsById {
  readonly count: number;
  readonly ids: IntPool;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly values: Float64Array;
}

/** The ranges of `stacks` (ids gathered into a FlatStacks that is never released). */
export function rangesOf(stacks: readonly Stack[]): StackRanges {
  const flat = new FlatStacks(stacks);
  const values = new Float64Array(stacks.length);
  for (let i = 0; i < stacks.length; i++) values[i] = stacks[i].value;
  return { count: stacks.length, ids: flat.ids, starts: flat.starts, ends: flat.ends, values, location: (id) => flat.location(id) };
}
