// Sums count lines per (stack, thread) in file order, as jeprof's AddEntries does.
import { emptyHeapProfile, THREAD_LABEL, type Location, type Profile, type Sample } from '../model/profile.js';
import type { LocationTable } from '../model/locations.js';
import { parseStack, type TokenCache } from './stack.js';
import { SequenceInterner } from '../model/interner.js';
import { checkProfile } from '../model/check.js';

export interface ParsedStack {
  id: number;
  locations: Location[];
  /** Set when an address was malformed. */
  problem?: string;
}

export class SampleAccumulator {
  private readonly samples = new Map<number, Sample>();
  private readonly threadSamples = new Map<string, Map<number, Sample>>();
  private readonly labelMaps = new Map<string, Map<string, string>>();
  private readonly stacks = new Map<string, ParsedStack>();
  private readonly tokens: TokenCache = { leaf: new Map(), caller: new Map() };
  /** One id per distinct location list, so two spellings of one stack share their samples. */
  private readonly ids = new SequenceInterner<Location, number>((l) => l.id);
  maxAddress = 0n;
  /** used[location id] = 1 once a counted stack used it; usedList keeps them in first-use order. */
  private used = new Uint8Array(1024);
  private readonly usedList: Location[] = [];
  private readonly counted = new Set<number>();

  constructor(private readonly table: LocationTable) {}

  /** Parses a stack text once, however often it repeats. `problem` names a malformed address. */
  stack(text: string): ParsedStack {
    let st = this.stacks.get(text);
    if (!st) {
      const r = parseStack(text, this.table, this.tokens);
      const id = this.ids.intern(r.locations, () => this.ids.size);
      st = { id, locations: r.locations, problem: r.problem };
      this.stacks.set(text, st);
    }
    return st;
  }

  /**
   * Adds heap values [alloc_objects, alloc_space, inuse_objects, inuse_space] to a stack.
   * `thread` undefined = the all-threads row (t*), else a per-thread row.
   */
  add(stack: ParsedStack, thread: string | undefined, values: number[]): void {
    // Keyed by the stack's location list, not its text: two spellings of one address list (0x,
    // case, leading zeros) are one stack, as in jeprof where the key is the normalised list.
    let bucket = this.samples;
    if (thread !== undefined) {
      let t = this.threadSamples.get(thread);
      if (!t) {
        t = new Map();
        this.threadSamples.set(thread, t);
      }
      bucket = t;
    }
    const have = bucket.get(stack.id);
    if (have) {
      for (let i = 0; i < 4; i++) have.values[i] += values[i];
      return;
    }
    bucket.set(stack.id, { locations: stack.locations, values: values.slice(), labels: this.labelsFor(thread) });
    // Like jeprof's %pcs, only stacks with a count line contribute their PCs.
    if (this.counted.has(stack.id)) return;
    this.counted.add(stack.id);
    for (const l of stack.locations) {
      if (l.id >= this.used.length) {
        const bigger = new Uint8Array(Math.max(l.id + 1, this.used.length * 2));
        bigger.set(this.used);
        this.used = bigger;
      }
      if (this.used[l.id] === 0) {
        this.used[l.id] = 1;
        this.usedList.push(l);
        if (l.address > this.maxAddress) this.maxAddress = l.address;
      }
    }
  }

  /**
   * One labels map per thread, shared by all of that thread's samples (nothing mutates a sample's
   * labels; merge copies them): a map per sample was 48,000 allocations on a 24k-stack dump.
   */
  private labelsFor(thread: string | undefined): Map<string, string> {
    const key = thread ?? '';
    let m = this.labelMaps.get(key);
    if (!m) {
      m = thread === undefined ? new Map() : new Map([[THREAD_LABEL, thread]]);
      this.labelMaps.set(key, m);
    }
    return m;
  }

  toProfile(period: number): Profile {
    const p = emptyHeapProfile(period);
    p.samples = [...this.samples.values()];
    // A loop, not push(...): spreading hundreds of thousands of samples overflows the call stack.
    for (const t of this.threadSamples.values()) for (const sample of t.values()) p.samples.push(sample);
    p.locations = this.usedList;
    checkProfile(p, { allowNaN: true });
    return p;
  }
}
