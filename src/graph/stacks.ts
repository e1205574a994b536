// Weighted stacks: the one value per stack that every report of jeprof works from.
import { SequenceInterner } from '../model/interner.js';
import { THREAD_LABEL, type Location, type Profile, type Sample } from '../model/profile.js';
import { PooledSample, storedSample } from '../model/stack-store.js';

export interface Stack {
  /** Leaf first. */
  locations: Location[];
  /** The selected sample type's value (bytes or objects), possibly negative after --base. */
  value: number;
}

/**
 * A stack of a dump's sample, its Location list made only if something reads it, and its value
 * read from the sample's row: a number field of its own held a boxed double, 24 bytes a stack
 * (Node has no pointer compression), 25 MB of a 1 GB dump's run. Only for a sample type other
 * than the one its dump's samples give themselves (see stackOf).
 */
export class PooledStack implements Stack {
  /** `index`: the sample type whose value is the stack's. */
  constructor(
    readonly sample: PooledSample,
    private readonly index: number,
  ) {}

  get value(): number {
    return this.sample.valueAt(this.index);
  }

  /** Nothing assigns one today (merges make new stacks): this one stack then keeps its own. */
  set value(v: number) {
    Object.defineProperty(this, 'value', { value: v, writable: true, enumerable: true, configurable: true });
  }

  get locations(): Location[] {
    return this.sample.locations;
  }
}

/** The stacks of one sample type; `thread` picks jemalloc's per-thread rows, else the all-threads rows. */
export function stacksOf(profile: Profile, sampleIndex: number, thread?: string): Stack[] {
  const samples = profile.samples;
  // Most often every sample is taken: map makes the list at its final size, where a million
  // pushes left some 16 MB of outgrown copies that the collector met only during the analysis.
  if (allOfThread(samples, thread)) return samples.map((s) => stackOf(s, sampleIndex));
  const out: Stack[] = [];
  // Indexed, not for-of: once per run over every sample (see disambiguationMap).
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    if (s.labels.get(THREAD_LABEL) === thread) out.push(stackOf(s, sampleIndex));
  }
  return out;
}

/**
 * A sample's stack: a dump's keeps its ids in the dump's table (the analysis reads them there) and
 * its values in the dump's rows. A dump's sample is its own stack for the first sample type asked
 * of its dump (all a run but pprof's export asks for), a PooledStack around it for any other.
 */
function stackOf(s: Sample, sampleIndex: number): Stack {
  const stored = storedSample(s);
  if (!stored) return { locations: s.locations, value: s.values[sampleIndex] };
  const store = stored.store;
  if (store.stackValueIndex === -1) store.stackValueIndex = sampleIndex;
  return store.stackValueIndex === sampleIndex ? stored : new PooledStack(stored, sampleIndex);
}

/** The dump sample a stack reads, when it is one: its location ids can then be read in place. */
export function sampleOfStack(s: Stack): PooledSample | undefined {
  return s instanceof PooledSample ? s : s instanceof PooledStack ? s.sample : undefined;
}

/** Whether every sample is of `thread` (undefined: the all-threads rows). */
function allOfThread(samples: readonly Sample[], thread: string | undefined): boolean {
  // A dump's samples share one labels map per thread: each map is asked once.
  let last: Map<string, string> | undefined;
  for (let i = 0; i < samples.length; i++) {
    const labels = samples[i].labels;
    if (labels === last) continue;
    if (labels.get(THREAD_LABEL) !== thread) return false;
    last = labels;
  }
  return true;
}

/** Adds stacks that became equal (jeprof's AddEntry after a rewrite), keeping first-seen order. */
export function mergeStacks(stacks: Iterable<Stack>): Stack[] {
  const interner = new SequenceInterner<Location, Stack>((l) => l.id);
  const out: Stack[] = [];
  for (const s of stacks) {
    let fresh = false;
    const have = interner.intern(s.locations, () => {
      fresh = true;
      return { locations: s.locations, value: 0 + s.value };
    });
    if (fresh) out.push(have);
    else have.value += s.value;
  }
  return out;
}

/** The sum of all values, jeprof's TotalProfile. */
export function totalOf(stacks: readonly Stack[]): number {
  let t = 0;
  // Indexed: a for-of step in code V8 has not optimised yet makes an object.
  for (let i = 0; i < stacks.length; i++) t += stacks[i].value;
  return t;
}
