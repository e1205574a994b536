// The default analysis in one pass: allocator frames trimmed (removeAllocatorFrames), then keys
// reduced and summed (flatAndCumOf), with no Stack made in between. Adding is done in exactly the
// two-step order, so the doubles are identical (a property test compares the two).
import { IntSequenceTable } from '../model/interner.js';
import { PathMaker, sumFlatCum, type FlatCum } from './build.js';
import { TrimmedStacks } from './frames.js';
import { FlatStacks } from './flat-stacks.js';
import type { TranslateContext } from './granularity.js';
import type { Stack } from './stacks.js';
import type { AllocatorTrimmer } from './allocator-trim.js';

export interface TrimmedReduction {
  flatCum: FlatCum;
  /** removeAllocatorFrames(input), made on demand: only the graph-shaped reports need it. */
  trimmed(): Stack[];
}

/**
 * `trimmer`: --trim-allocator's trim as part of level 1, on the ids (no Stack made): the stack's
 * innermost allocator PCs go before jeprof's removal, and when the leaf left is the one it cut
 * to, so do that leaf's innermost allocator inline levels (its first keys). Only flatCum has it:
 * trimmed() gives jeprof's trim alone.
 */
export function trimAndReduce(input: readonly Stack[], ctx: TranslateContext, trimmer?: AllocatorTrimmer): TrimmedReduction {
  const flat = new FlatStacks(input);
  // Level 1: stacks equal once trimmed, as removeAllocatorFrames merges them.
  const trimmedIds = new TrimmedStacks(flat, trimmer);
  // Per trimmed stack (there are at most as many as stacks): typed arrays sized once, where
  // growing JS arrays by push copied them and left the copies to the collector.
  const firstInput = new Int32Array(input.length);
  const keepFromOf = new Int32Array(input.length);
  const trimmedValues = new Float64Array(input.length);
  const pathOf = new Int32Array(input.length);
  let nTrimmed = 0;
  // Level 2: trimmed stacks with equal key paths, as flatAndCumOf merges them.
  const maker = new PathMaker(ctx);
  const paths = new IntSequenceTable(input.length, flat.frames);
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    const e = trimmedIds.add(i);
    const keepFrom = trimmedIds.keepFrom;
    if (!trimmedIds.added) {
      trimmedValues[e] += s.value;
      continue;
    }
    trimmedValues[e] = 0 + s.value;
    firstInput[e] = i;
    keepFromOf[e] = keepFrom - flat.starts[i];
    nTrimmed++;
    // A new trimmed stack gets its path now, so paths are numbered in trimmed-stack order, the
    // order flatAndCumOf would see them in.
    const cut = trimmer && keepFrom === trimmedIds.trimmedFrom && keepFrom < flat.ends[i] && ctx.granularity !== 'address-only' ? trimmer.leafCut(flat.location(flat.ids[keepFrom])) : 0;
    maker.make(flat.ids, keepFrom, flat.ends[i], flat, cut);
    pathOf[e] = paths.intern(maker.path, maker.n);
  }
  trimmedIds.release();
  flat.release();
  // Each path's value: its trimmed stacks' final values added in trimmed-stack order.
  const values = new Float64Array(paths.size);
  let nPaths = 0;
  for (let e = 0; e < nTrimmed; e++) {
    const p = pathOf[e];
    if (p === nPaths) values[nPaths++] = 0 + trimmedValues[e];
    else values[p] += trimmedValues[e];
  }
  const flatCum = sumFlatCum(maker.numbering, values, paths);
  paths.release();
  let trimmed: Stack[] | undefined;
  return {
    flatCum,
    trimmed: () => {
      if (!trimmed) {
        trimmed = [];
        for (let e = 0; e < nTrimmed; e++) {
          const locs = input[firstInput[e]].locations;
          trimmed.push({ locations: keepFromOf[e] === 0 ? locs : locs.slice(keepFromOf[e]), value: trimmedValues[e] });
        }
      }
      return trimmed;
    },
  };
}
