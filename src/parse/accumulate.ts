// Sums count lines per (stack, thread) in file order, as jeprof's AddEntries does.
import { emptyHeapProfile, THREAD_LABEL, type Location, type Profile } from '../model/profile.js';
import { PooledSample, SampleOrigin, StackStore, ValueRows } from '../model/stack-store.js';
import type { LocationTable } from '../model/locations.js';
import type { IntSequenceTable } from '../model/interner.js';
import { giveInts } from '../model/int-recycler.js';
import { grownToHold } from '../model/grow.js';
import type { RunStacks } from './run-stacks.js';
import type { ParsedPart } from './parsed-part.js';
import { rowsFor, stackTableFor, StackLines, type ParsedStack } from './stack-lines.js';

/**
 * Frees a merged part's buffers now: each is moved into a throwaway copy that the next young
 * collection takes. Left to themselves they outlived the merge in the old generation, and a 1 GB
 * dump's analysis met its peak with 60 to 100 MB of them still held (peak RSS 525 MiB, not 450).
 */
function releasePart(part: ParsedPart): void {
  // Its segments of ids are let go one by one as they are merged (see mergePart).
  for (const a of [part.addresses, part.starts, part.lens, part.segmentEnds, part.events, part.values]) release(a);
}

function release(a: ArrayBufferView): void {
  // A detached buffer (a second release) has no bytes left to move.
  if (a.buffer.byteLength > 0) structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
}

export class SampleAccumulator {
  /** Value row + 1 by stack number (0: none yet): index 0 for the all-threads rows, then one per thread. */
  private byStack: Int32Array[] = [new Int32Array(1024)];
  /** The samples' values, four a row; see ValueRows. */
  private readonly rows: ValueRows;
  private readonly threadSlots = new Map<string, number>();
  /** Every sample in the order its first count line came, all-threads rows first. */
  private readonly ordered: PooledSample[][] = [[]];
  private readonly origins = new Map<string, SampleOrigin>();
  private readonly lines: StackLines;
  /** One number per distinct location list, so two spellings of one stack share their samples. */
  private readonly ids: IntSequenceTable;
  /** Where samples find their stacks: the interning table, handed over as it is. */
  private readonly store: StackStore;
  private scratch = new Int32Array(64);
  maxAddress = 0n;
  /** used[location id] = 1 once a counted stack used it; usedList keeps them in first-use order. */
  private used = new Uint8Array(1024);
  private readonly usedList: Location[] = [];
  /** counted[stack number] = 1 once the stack had a count line. */
  private counted = new Uint8Array(1024);

  /** How many of the table's Locations were told to onNewLocation so far. */
  private told: number;

  constructor(
    private readonly table: LocationTable,
    fileBytes = 0,
    /** Told of each Location the stacks make, as they are read (see ParseOptions). */
    private readonly onNewLocation?: (loc: Location) => void,
    /** The run's stack table and lines read before (see ParseOptions.runStacks). */
    private readonly run?: RunStacks,
  ) {
    this.told = table.all.length;
    // A run's dumps share one table (RunStacks): each distinct stack is interned once.
    this.ids = run ? run.table(fileBytes) : stackTableFor(fileBytes);
    this.lines = new StackLines(table, this.ids);
    this.store = run ? run.store(fileBytes) : new StackStore(this.ids, table);
    this.rows = new ValueRows(4, rowsFor(fileBytes));
  }

  /** A stack line's addresses as text. `problem` names a malformed address. */
  stack(text: string): ParsedStack {
    const st = this.lines.fromText(text);
    if (this.onNewLocation) this.tellNew();
    return st;
  }

  /** Tells onNewLocation of the Locations made since last told. */
  private tellNew(): void {
    const all = this.table.all;
    for (; this.told < all.length; this.told++) this.onNewLocation!(all[this.told]);
  }

  /**
   * A stack line's addresses straight from bytes (after the `@`): the stack's number, or -1 when
   * the line is not plain enough for the fast path and must go through stack() as text.
   */
  stackBytes(b: Uint8Array, start: number, end: number): number {
    const run = this.run;
    if (run) {
      // A line an earlier dump of the run had, byte for byte, is the same stack: not read again.
      const known = run.find(b, start, end);
      if (known >= 0) return known;
    }
    const id = this.lines.fromBytes(b, start, end);
    if (id < 0) return -1;
    if (this.onNewLocation && this.told < this.table.all.length) this.tellNew();
    if (run) run.remember(b, start, end, id);
    return id;
  }

  /**
   * Takes a split parse's later part (split-parse.ts) as if its lines had been read here after
   * this part's: its new Locations made in its order, its stacks interned in its order, its rows
   * added in its order, so ids, samples and every sum are a one-thread read's.
   */
  mergePart(part: ParsedPart): void {
    const n = part.addresses.length;
    const locId = new Int32Array(n + 1);
    const cased = new Map(part.cased);
    for (let w = 1; w <= n; w++) {
      const address = part.addresses[w - 1];
      const text = cased.get(w);
      locId[w] = (text === undefined ? this.table.get(address) : this.table.getCased(address, text)).id;
    }
    if (this.onNewLocation) this.tellNew();
    const stackId = new Int32Array(part.starts.length);
    const row = new Float64Array(4);
    const { events, values } = part;
    let w = 0;
    let k = 0;
    let v = 0;
    // Segment by segment, its stacks interned, its buffer let go, then the rows read so far: the
    // rows' samples are what the collector runs for, and it frees the segments let go before.
    // Stacks are numbered, and rows come, in file order, so each is merged as a one-thread read
    // would: a row waits only until its stack is interned.
    for (let seg = 0; seg < part.ids.length; seg++) {
      const ids = part.ids[seg];
      let scratch = this.scratch;
      for (const end = part.segmentEnds[seg]; w < end; w++) {
        const from = part.starts[w];
        const len = part.lens[w];
        if (len > scratch.length) scratch = new Int32Array(len * 2);
        for (let i = 0; i < len; i++) scratch[i] = locId[ids[from + i]];
        stackId[w] = this.ids.intern(scratch, len);
      }
      this.scratch = scratch;
      release(ids);
      for (; k < events.length; k++) {
        const e = events[k];
        const stack = e < 0 ? -1 - e : e;
        if (stack >= w) break;
        if (e < 0) {
          this.markCounted(stackId[stack]);
          continue;
        }
        for (let i = 0; i < 4; i++) row[i] = values[v++];
        this.add(stackId[e], undefined, row);
      }
    }
    releasePart(part);
  }

  /**
   * Adds heap values [alloc_objects, alloc_space, inuse_objects, inuse_space] to a stack (in
   * the sample's row of values). `thread` undefined = the all-threads row (t*), else a thread's row.
   */
  add(stack: number, thread: string | undefined, values: ArrayLike<number>): void {
    // Keyed by the stack's location list, not its text: two spellings of one address list (0x,
    // case, leading zeros) are one stack, as in jeprof where the key is the normalised list.
    let slot = 0;
    if (thread !== undefined) {
      let t = this.threadSlots.get(thread);
      if (t === undefined) {
        t = this.byStack.length;
        this.threadSlots.set(thread, t);
        this.byStack.push(new Int32Array(1024));
        this.ordered.push([]);
      }
      slot = t;
    }
    if (stack >= this.byStack[slot].length) this.byStack[slot] = grownToHold(this.byStack[slot], stack);
    const have = this.byStack[slot][stack] - 1;
    if (have >= 0) {
      const data = this.rows.data;
      for (let i = 0; i < 4; i++) data[4 * have + i] += values[i];
      return;
    }
    const row = this.rows.add(values);
    this.byStack[slot][stack] = row + 1;
    this.ordered[slot].push(new PooledSample(this.originFor(thread), stack, row));
    this.markCounted(stack);
  }

  /**
   * Notes that a stack had a count line: like jeprof's %pcs, only such stacks contribute their
   * PCs. add() calls it; a reader calls it alone for a row it reads but does not keep as a sample
   * (per-thread rows when no --thread report needs them).
   */
  markCounted(stack: number): void {
    if (stack >= this.counted.length) this.counted = grownToHold(this.counted, stack);
    if (this.counted[stack] === 1) return;
    this.counted[stack] = 1;
    // The stack's ids from the interner's flat array: no pointer chasing through Locations.
    const ids = this.ids.data;
    const from = this.ids.startOf(stack);
    const end = from + this.ids.lengthOf(stack);
    for (let i = from; i < end; i++) {
      const id = ids[i];
      if (id >= this.used.length) this.used = grownToHold(this.used, id);
      if (this.used[id] === 0) {
        this.used[id] = 1;
        const l = this.table.byId(id);
        this.usedList.push(l);
        if (l.address > this.maxAddress) this.maxAddress = l.address;
      }
    }
  }

  /**
   * One origin (labels, store, rows) per thread, shared by all of that thread's samples (nothing
   * mutates a sample's labels; merge copies them): a labels map per sample was 48,000 allocations
   * on a 24k-stack dump, and the three fields per sample 24 bytes of a million samples.
   */
  private originFor(thread: string | undefined): SampleOrigin {
    const key = thread ?? '';
    let o = this.origins.get(key);
    if (!o) {
      o = new SampleOrigin(this.store, thread === undefined ? new Map() : new Map([[THREAD_LABEL, thread]]), this.rows);
      this.origins.set(key, o);
    }
    return o;
  }

  toProfile(period: number): Profile {
    const p = emptyHeapProfile(period);
    if (this.ordered.length === 1) {
      // No thread rows kept: the list is the samples as they are. A copy pushed sample by sample
      // was 8 MB more on a million stacks, and twice that of outgrown copies for the collector.
      p.samples = this.ordered[0];
    } else {
      // A loop, not push(...): spreading hundreds of thousands of samples overflows the call stack.
      // Indexed: for-of in code V8 has not optimised yet makes an iterator result per sample.
      for (let k = 0; k < this.ordered.length; k++) {
        const list = this.ordered[k];
        for (let i = 0; i < list.length; i++) p.samples.push(list[i]);
      }
    }
    // No checkProfile here: every sample's list comes from the store, and add() marked each of
    // its locations used, so the profile is consistent by construction (a test checks it).
    p.locations = this.usedList;
    // A lone dump's stacks are all read: its table's lookup arrays and the row index can serve
    // the analysis's tables. A run's go on to the next dump.
    if (!this.run) {
      this.ids.seal();
      // As big as the analysis's per-stack arrays, and of no use once every row is added.
      for (const a of this.byStack) giveInts(a);
      this.byStack = [];
    }
    return p;
  }
}
