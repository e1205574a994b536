// Weighted stacks: the one value per stack that every report of jeprof works from.
import { SequenceInterner } from '../model/interner.js';
import { THREAD_LABEL, type Location, type Profile } from '../model/profile.js';
import { storedSample, type PooledSample } from '../model/stack-store.js';

export interface Stack {
  /** Leaf first. */
  locations: Location[];
  /** The selected sample type's value (bytes or objects), possibly negative after --base. */
  value: number;
}

/** A stack of a dump's sample, its Location list made only if something reads it. */
export class PooledStack implements Stack {
  constructor(
    readonly sample: PooledSample,
    public value: number,
  ) {}

  get locations(): Location[] {
    return this.sample.locations;
  }
}

/** The stacks of one sample type; `thread` picks jemalloc's per-thread rows, else the all-threads rows. */
export function stacksOf(profile: Profile, sampleIndex: number, thread?: string): Stack[] {
  const out: Stack[] = [];
  // Indexed, not for-of: once per run over every sample (see disambiguationMap).
  for (let i = 0; i < profile.samples.length; i++) {
    const s = profile.samples[i];
    if (s.labels.get(THREAD_LABEL) !== thread) continue;
    // A dump's sample keeps its stack in the dump's table (the analysis reads the ids there), and
    // its values in the dump's rows.
    const stored = storedSample(s);
    out.push(stored ? new PooledStack(stored, stored.valueAt(sampleIndex)) : { locations: s.locations, value: s.values[sampleIndex] });
  }
  return out;
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
