// The stacks a `top` report works from, with all four values: allocator frames removed, then
// --retain/--exclude, --focus, --ignore, as jeprof's reports do (graph/analyze.ts filterStacks).
import { filterStacks, type AnalyzeOptions } from '../graph/analyze.js';
import { stacksOf, totalOf } from '../graph/stacks.js';
import type { Profile } from '../model/profile.js';
import type { ExportReport } from './to-pprof.js';

export type StackFilters = Pick<AnalyzeOptions, 'focus' | 'ignore' | 'retain' | 'exclude'>;

/**
 * The export keeps the stacks as jeprof's reports see them, allocator frames gone, not the raw
 * ones: then `go tool pprof -top` shows jeprof's flat values (pprof's own drop_frames would
 * prune by other rules: full names, every inline level, not past the first user frame), and the
 * export is "what top reports". Allocator frames are jemalloc's and libstdc++'s own few frames,
 * the same in every stack, that tell a user nothing about who allocated.
 *
 * Each sample type goes through the same filtering: what merges and what is dropped depends on
 * the frames only, so the lists come out in the same order, and each value is the double that
 * `top` for that type adds up, in the same order.
 */
export function exportReport(profile: Profile, thread: string | undefined, filters: StackFilters): ExportReport {
  const perType = profile.sampleTypes.map((_, i) => stacksOf(profile, i, thread));
  const totals = perType.map((stacks) => totalOf(stacks));
  const filtered = perType.map((stacks) => filterStacks(stacks, filters));
  const first = filtered[0];
  const stacks = first.map((s, k) => {
    const values = filtered.map((f) => {
      // Cannot happen (see above); a mismatch would export wrong numbers, so it stops the run.
      if (f.length !== first.length || f[k].locations.length !== s.locations.length) throw new Error('sample types filtered differently');
      return f[k].value;
    });
    return { locations: s.locations, values };
  });
  return { thread, stacks, totals };
}
