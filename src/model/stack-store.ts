// A dump's stacks kept as the parser interned them, location-id sequences in one Int32Array,
// with a stack's Location list made only when something reads it: a 24k-stack dump's lists were
// 6 MB of fresh memory, and the default analysis reads the ids instead.
import type { IntSequenceTable } from './interner.js';
import type { LocationTable } from './locations.js';
import type { Location, Sample } from './profile.js';

export class StackStore {
  /** Location list per stack, once made: every sample of a stack shares it. */
  private readonly lists: (Location[] | undefined)[] = [];
  private scratch: Location[] = [];

  /**
   * `table` is the parser's: its entries never change once made (it only adds new ones, until
   * the parse ends), so a sample can refer to its entry from the start.
   */
  constructor(
    readonly table: IntSequenceTable,
    readonly locations: LocationTable,
  ) {}

  locationsOf(entry: number): Location[] {
    let list = this.lists[entry];
    if (list === undefined) {
      const ids = this.table.data;
      const from = this.table.startOf(entry);
      const n = this.table.lengthOf(entry);
      // Filled in a scratch array, then sliced: slice gives a packed array of exactly n slots,
      // where pushing over-allocates and new Array(n) is holey (slower for every later reader).
      const scratch = this.scratch;
      for (let i = 0; i < n; i++) {
        const l = this.locations.byId(ids[from + i]);
        if (i < scratch.length) scratch[i] = l;
        else scratch.push(l);
      }
      list = scratch.slice(0, n);
      this.lists[entry] = list;
    }
    return list;
  }
}

/** A sample of a parsed dump: its stack is entry `entry` of `store`. */
export class PooledSample implements Sample {
  constructor(
    readonly store: StackStore,
    readonly entry: number,
    public values: number[],
    public labels: Map<string, string>,
  ) {}

  get locations(): Location[] {
    return this.store.locationsOf(this.entry);
  }
}

/** The sample as a dump's stored stack, when it is one: readers may then take its location ids in place. */
export function storedSample(s: Sample): PooledSample | undefined {
  return s instanceof PooledSample ? s : undefined;
}
