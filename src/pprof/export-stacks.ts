// The stacks a `top` report works from, with all four values: allocator frames removed, then
// --retain/--exclude, --focus, --ignore, as jeprof's reports do (graph/analyze.ts filterStacks).
import { filterStacks, type AnalyzeOptions } from '../graph/analyze.js';
import { FlatStacks } from '../graph/flat-stacks.js';
import { TrimmedStacks } from '../graph/frames.js';
import { stacksOf, totalOf, type Stack } from '../graph/stacks.js';
import { THREAD_LABEL, type Profile, type Sample } from '../model/profile.js';
import { storedSample } from '../model/stack-store.js';
import { exportStacksOf, type ExportReport, type ExportStacks } from './to-pprof.js';

export type StackFilters = Pick<AnalyzeOptions, 'focus' | 'ignore' | 'retain' | 'exclude'>;

/**
 * The export keeps the stacks as jeprof's reports see them, allocator frames gone, not the raw
 * ones: then `go tool pprof -top` shows jeprof's flat values (pprof's own drop_frames would
 * prune by other rules: full names, every inline level, not past the first user frame), and the
 * export is "what top reports". Allocator frames are jemalloc's and libstdc++'s own few frames,
 * the same in every stack, that tell a user nothing about who allocated.
 */
export function exportReport(profile: Profile, thread: string | undefined, filters: StackFilters): ExportReport {
  const types = profile.sampleTypes.length;
  if (filters.focus || filters.ignore || filters.retain || filters.exclude) {
    const perType = profile.sampleTypes.map((_, i) => stacksOf(profile, i, thread));
    return { thread, stacks: exportStacksOf(filteredStacks(perType, filters), types), totals: perType.map((stacks) => totalOf(stacks)) };
  }
  // stacksOf's samples, in its order, with all their values.
  const samples = profile.samples.filter((s) => s.labels.get(THREAD_LABEL) === thread);
  const totals = new Array<number>(types).fill(0);
  return { thread, stacks: trimmedStacks(stacksOf(profile, 0, thread), samples, types, totals), totals };
}

/**
 * removeAllocatorFrames for all sample types in one pass: stacks equal once trimmed are added
 * together, each value in input order from `0 + first`, the very additions removeAllocatorFrames
 * makes for one type (so each double is the one `top` adds up). `totals` gets each type's sum over
 * all the samples, from 0 in sample order, as totalOf adds them. A trimmed stack is a range of the
 * flat ids, not a copy: 24,000 small arrays cost more than the trimming itself.
 */
function trimmedStacks(input: Stack[], samples: readonly Sample[], types: number, totals: number[]): ExportStacks {
  const flat = new FlatStacks(input);
  const seen = new TrimmedStacks(flat);
  const starts = new Int32Array(input.length);
  const ends = new Int32Array(input.length);
  const values = new Float64Array(input.length * types);
  let count = 0;
  for (let i = 0; i < input.length; i++) {
    const e = seen.add(i);
    // A dump's sample's values read in place: its `values` makes an array at each read (24,000
    // of them per read of the bench profile's samples; some 12 ms with the Totals' four reads).
    const stored = storedSample(samples[i]);
    const own = stored ? undefined : samples[i].values;
    const at = e * types;
    const added = seen.added;
    if (added) {
      starts[e] = seen.keepFrom;
      ends[e] = flat.ends[i];
      count++;
    }
    for (let t = 0; t < types; t++) {
      const v = stored ? stored.valueAt(t) : own![t];
      // totalOf's sums: from 0, in sample order.
      totals[t] += v;
      if (added) values[at + t] = 0 + v;
      else values[at + t] += v;
    }
  }
  seen.release();
  // The flat ids stay (the ranges point into them): no flat.release(), the collector takes them.
  return { count, ids: flat.ids, starts, ends, values };
}

/**
 * With filters, each sample type goes through filterStacks itself: what merges and what is dropped
 * depends on the frames only, so the lists come out in the same order.
 */
function filteredStacks(perType: ReturnType<typeof stacksOf>[], filters: StackFilters): { locationIds: number[]; values: number[] }[] {
  const filtered = perType.map((stacks) => filterStacks(stacks, filters));
  const first = filtered[0];
  return first.map((s, k) => {
    const values = filtered.map((f) => {
      // Cannot happen (see above); a mismatch would export wrong numbers, so it stops the run.
      if (f.length !== first.length || f[k].locations.length !== s.locations.length) throw new Error('sample types filtered differently');
      return f[k].value;
    });
    return { locationIds: s.locations.map((l) => l.id), values };
  });
}
