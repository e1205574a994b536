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
   * The sample type its samples give as a Stack's `value` (see PooledSample.value), fixed by the
   * first stacksOf that asks (-1 until then): a run reads one type, and a million stacks were a
   * million wrapper objects, 48 MB of a 1 GB dump's run.
   */
  stackValueIndex = -1;

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

/**
 * A dump's sample values laid end to end, `width` doubles per row: a number[] per sample was 80
 * bytes of heap (a million samples in a 1 GB dump: 80 MB, and as many objects for the collector).
 */
export class ValueRows {
  data: Float64Array;
  rows = 0;

  /** `rows`: how many to make room for at first (more are made by doubling). */
  constructor(
    readonly width: number,
    rows = 1024,
  ) {
    this.data = new Float64Array(width * Math.max(16, rows));
  }

  /** A new row holding `values` (width of them); its number. */
  add(values: ArrayLike<number>): number {
    const w = this.width;
    if ((this.rows + 1) * w > this.data.length) {
      const bigger = new Float64Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    const at = this.rows * w;
    for (let i = 0; i < w; i++) this.data[at + i] = values[i];
    return this.rows++;
  }
}

/**
 * What a dump's samples share: the stack store, the value rows, a thread's labels. Held once,
 * not as three fields of every sample: without pointer compression each field is 8 bytes, and a
 * 1 GB dump has a million samples.
 */
export class SampleOrigin {
  constructor(
    readonly store: StackStore,
    readonly labels: Map<string, string>,
    readonly rows: ValueRows | undefined,
  ) {}
}

/**
 * A sample of a parsed dump: its stack is entry `entry` of `store`. Its values are its own array,
 * or row `row` of `rows` (the parser's): then `values` makes a copy on each read, so change
 * them by assigning `values` (merge makes new samples anyway).
 */
export class PooledSample implements Sample {
  private origin: SampleOrigin;
  /** The row of the origin's rows holding the values, or the sample's own array: one field, not two. */
  private v: number | number[];

  /** `origin`: made once per dump and thread by the reader, shared by all their samples. */
  constructor(
    origin: SampleOrigin,
    readonly entry: number,
    values: number[] | number,
  ) {
    this.origin = origin;
    this.v = values;
  }

  get store(): StackStore {
    return this.origin.store;
  }

  get labels(): Map<string, string> {
    return this.origin.labels;
  }

  set labels(l: Map<string, string>) {
    this.origin = new SampleOrigin(this.origin.store, l, this.origin.rows);
  }

  get values(): number[] {
    const v = this.v;
    if (typeof v !== 'number') return v;
    const { data, width } = this.origin.rows!;
    const out: number[] = [];
    for (let i = 0; i < width; i++) out.push(data[v * width + i]);
    return out;
  }

  set values(v: number[]) {
    this.v = v;
  }

  /** values.length without a copy. */
  get valueCount(): number {
    const v = this.v;
    return typeof v !== 'number' ? v.length : this.origin.rows!.width;
  }

  /** values[i] without a copy. */
  valueAt(i: number): number {
    const v = this.v;
    if (typeof v !== 'number') return v[i];
    const rows = this.origin.rows!;
    return rows.data[v * rows.width + i];
  }

  get locations(): Location[] {
    return this.origin.store.locationsOf(this.entry);
  }

  /** The sample as a Stack (graph/stacks.ts): the value of its store's stackValueIndex. */
  get value(): number {
    return this.valueAt(this.origin.store.stackValueIndex);
  }

  /**
   * A sample is shared by every reader of its dump: a report that assigned a stack's value would
   * change the dump, so it fails loudly (in sloppy-mode code too, where a missing setter is silent).
   */
  set value(_v: number) {
    throw new TypeError("a dump's sample is shared: give the stack a value of its own (mergeStacks makes new stacks)");
  }
}

/** The sample as a dump's stored stack, when it is one: readers may then take its location ids in place. */
export function storedSample(s: Sample): PooledSample | undefined {
  return s instanceof PooledSample ? s : undefined;
}
