// jeprof's FilterAndPrint up to printing: total, allocator frames, filters, granularity, flat/cum.
import { flatAndCumOf, type FlatCum } from './build.js';
import { focusStacks, ignoreStacks } from './filter.js';
import { filterFrames, removeAllocatorFrames } from './frames.js';
import type { AllocatorTrimmer } from './allocator-trim.js';
import type { Granularity, KeyNumbering, TranslateContext } from './granularity.js';
import { rangesOf, type StackRanges } from './flat-stacks.js';
import { totalOf, type Stack } from './stacks.js';
import { trimAndReduce, type ReductionCache } from './trim-reduce.js';

export interface AnalyzeOptions {
  granularity: Granularity | 'address-only';
  focus?: RegExp;
  ignore?: RegExp;
  retain?: RegExp;
  exclude?: RegExp;
  renames: Map<string, string>;
  runIds: Map<string, number>;
  /** See TranslateContext.numbering. */
  numbering?: KeyNumbering;
  /** --trim-allocator, done in the reduction (flatCum); `stacks` keeps jeprof's trim alone. */
  trimmer?: AllocatorTrimmer;
  /** Per-stack trims and paths kept from earlier analyses under the same numbering and trimmer (trend's dumps). */
  cache?: ReductionCache;
}

export interface Analysis {
  /** Sum of every stack before any frame is dropped or filtered: the `Total:` line. */
  total: number;
  /** Stacks after allocator-frame removal, --retain/--exclude, --focus and --ignore (un-reduced). */
  readonly stacks: Stack[];
  /** The same stacks as id ranges (no Location list per stack): for reports that read every frame. */
  stackRanges(): StackRanges;
  flatCum: FlatCum;
}

/** The stacks every report starts from: allocator frames gone, then --retain/--exclude, --focus, --ignore. */
export function filterStacks(input: readonly Stack[], o: Pick<AnalyzeOptions, 'focus' | 'ignore' | 'retain' | 'exclude'>): Stack[] {
  let stacks = removeAllocatorFrames(input);
  stacks = filterFrames(stacks, o.retain, o.exclude);
  if (o.focus) stacks = focusStacks(stacks, o.focus);
  if (o.ignore) stacks = ignoreStacks(stacks, o.ignore);
  return stacks;
}

export function analyze(input: readonly Stack[], o: AnalyzeOptions): Analysis {
  const total = totalOf(input);
  const ctx: TranslateContext = { granularity: o.granularity, renames: o.renames, runIds: o.runIds, numbering: o.numbering };
  if (!o.focus && !o.ignore && !o.retain && !o.exclude) {
    // Nothing between trimming and reducing: one pass, trimmed stacks made only if a report asks.
    const r = trimAndReduce(input, ctx, { trimmer: o.trimmer, cache: o.cache });
    return {
      total,
      // Made when first read (collapsed never reads it): see trimAndReduce.
      get flatCum() {
        return r.flatCum;
      },
      get stacks() {
        return r.trimmed();
      },
      stackRanges: () => r.trimmedRanges(),
    };
  }
  const stacks = filterStacks(o.trimmer ? o.trimmer.trim(input) : input, o);
  return { total, stacks, flatCum: flatAndCumOf(stacks, ctx), stackRanges: () => rangesOf(stacks) };
}
