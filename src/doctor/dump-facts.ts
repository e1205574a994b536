// What a dump says about how it was made: jemalloc's sampling rate, whether prof_accum was on,
// its per-thread rows, how many stacks and how deep.
import { THREAD_LABEL, type Profile } from '../model/profile.js';

export interface DumpFacts {
  file: string;
  /** 2^lg_prof_sample from the `heap_v2/<n>` header, in bytes; 0 when not sampled. */
  sampleBytes: number;
  /** lg_prof_sample, when the rate is a power of two. */
  lgSample?: number;
  /** The alloc columns `[n: s]` hold data: the run had prof_accum:true (alloc_* reports work). */
  accum: boolean;
  /** Per-thread rows (`tN:` lines under the stacks) and the threads they name. */
  threadRows: number;
  threads: number;
  /** Stacks with a count line of all threads (`t*:`). */
  stacks: number;
  /** Frames in the deepest stack. */
  deepest: number;
  /** In-use bytes (unsampled estimate). */
  inuseBytes: number;
}

/** Facts of one parsed dump; its per-thread rows must have been kept as samples. */
export function dumpFacts(file: string, p: Profile): DumpFacts {
  const facts: DumpFacts = { file, sampleBytes: p.period, accum: false, threadRows: 0, threads: 0, stacks: 0, deepest: 0, inuseBytes: 0 };
  const lg = Math.log2(p.period);
  if (Number.isInteger(lg)) facts.lgSample = lg;
  const threads = new Set<string>();
  for (const s of p.samples) {
    const thread = s.labels.get(THREAD_LABEL);
    if (thread !== undefined) {
      facts.threadRows++;
      threads.add(thread);
      continue;
    }
    facts.stacks++;
    facts.deepest = Math.max(facts.deepest, s.locations.length);
    facts.inuseBytes += s.values[3];
    // values: alloc_objects, alloc_space, inuse_objects, inuse_space.
    if (s.values[0] !== 0 || s.values[1] !== 0) facts.accum = true;
  }
  facts.threads = threads.size;
  return facts;
}
