// Sums count lines per (stack, thread) in file order, as jeprof's AddEntries does.
import { emptyHeapProfile, THREAD_LABEL, type Location, type Profile, type Sample } from '../model/profile.js';
import type { LocationTable } from '../model/locations.js';
import { parseStack } from './stack.js';

export class SampleAccumulator {
  private readonly samples = new Map<string, Sample>();
  private readonly stacks = new Map<string, { id: number; locations: Location[]; problem?: string }>();
  maxAddress = 0n;
  private readonly used = new Set<Location>();

  constructor(private readonly table: LocationTable) {}

  /** Parses a stack text once, however often it repeats. `problem` names a malformed address. */
  stack(text: string): { id: number; locations: Location[]; problem?: string } {
    let st = this.stacks.get(text);
    if (!st) {
      const r = parseStack(text, this.table);
      st = { id: this.stacks.size, locations: r.locations, problem: r.problem };
      this.stacks.set(text, st);
    }
    return st;
  }

  /**
   * Adds heap values [alloc_objects, alloc_space, inuse_objects, inuse_space] to a stack.
   * `thread` undefined = the all-threads row (t*), else a per-thread row.
   */
  add(stack: { id: number; locations: Location[] }, thread: string | undefined, values: number[]): void {
    // Stacks are keyed by their text in the file; two spellings of one address list (0x, case,
    // leading zeros) are still one stack, as in jeprof where the key is the normalised address list.
    const key = stack.locations.map((l) => l.id).join(',') + (thread === undefined ? '' : `|${thread}`);
    const have = this.samples.get(key);
    if (have) {
      for (let i = 0; i < 4; i++) have.values[i] += values[i];
      return;
    }
    const labels = new Map<string, string>();
    if (thread !== undefined) labels.set(THREAD_LABEL, thread);
    this.samples.set(key, { locations: stack.locations, values: values.slice(), labels });
    for (const l of stack.locations) {
      if (!this.used.has(l)) {
        this.used.add(l);
        if (l.address > this.maxAddress) this.maxAddress = l.address;
      }
    }
  }

  toProfile(period: number): Profile {
    const p = emptyHeapProfile(period);
    p.samples = [...this.samples.values()];
    p.locations = [...this.used];
    return p;
  }
}
