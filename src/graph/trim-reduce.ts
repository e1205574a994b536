// The default analysis in one pass: allocator frames trimmed (removeAllocatorFrames), then keys
// reduced and summed (flatAndCumOf), with no Stack made in between. Adding is done in exactly the
// two-step order, so the doubles are identical (a property test compares the two).
import { IntSequenceTable } from '../model/interner.js';
import { FlatCumSums, PathMaker, sumFlatCum, type FlatCum } from './build.js';
import { RemadePaths } from './remade-paths.js';
import { TrimmedStacks } from './frames.js';
import { FlatStacks, rangesOf, type StackRanges } from './flat-stacks.js';
import type { TranslateContext } from './granularity.js';
import type { Stack } from './stacks.js';
import type { AllocatorTrimmer } from './allocator-trim.js';

export interface TrimmedReduction {
  flatCum: FlatCum;
  /** removeAllocatorFrames(input), made on demand: only the graph-shaped reports need it. */
  trimmed(): Stack[];
  /** The same stacks as ranges of the input's ids (see StackRanges), read in place when they are one dump's. */
  trimmedRanges(): StackRanges;
}

/**
 * Above this many frames the reduced paths are not kept but made again (RemadePaths): 16 million
 * frames would be 64 MB of key ids, and memory, not the second making, is then what limits a run.
 */
export const REMAKE_PATHS_FRAMES = 1 << 24;

export interface TrimReduceOptions {
  /**
   * --trim-allocator's trim as part of level 1, on the ids (no Stack made): the stack's innermost
   * allocator PCs go before jeprof's removal, and when the leaf left is the one it cut to, so do
   * that leaf's innermost allocator inline levels (its first keys). Only flatCum has it:
   * trimmed() gives jeprof's trim alone.
   */
  trimmer?: AllocatorTrimmer;
  /** REMAKE_PATHS_FRAMES, lowered by tests to take the RemadePaths road on small input. */
  remakeFrames?: number;
}

export function trimAndReduce(input: readonly Stack[], ctx: TranslateContext, o: TrimReduceOptions = {}): TrimmedReduction {
  const trimmer = o.trimmer;
  const remakeFrames = o.remakeFrames ?? REMAKE_PATHS_FRAMES;
  const flat = new FlatStacks(input);
  // Level 1: stacks equal once trimmed, as removeAllocatorFrames merges them.
  const trimmedIds = new TrimmedStacks(flat, trimmer);
  // Per trimmed stack (there are at most as many as stacks): typed arrays sized once, where
  // growing JS arrays by push copied them and left the copies to the collector.
  const firstInput = new Int32Array(input.length);
  const keepFromOf = new Int32Array(input.length);
  const trimmedValues = new Float64Array(input.length);
  const pathOf = new Int32Array(input.length);
  /** Per trimmed stack: the leaf's inline levels the trimmer cuts (see TrimReduceOptions.trimmer). */
  const cutOf = trimmer ? new Uint8Array(input.length) : undefined;
  let nTrimmed = 0;
  // Level 2: trimmed stacks with equal key paths, as flatAndCumOf merges them.
  const maker = new PathMaker(ctx);
  const frames = flat.frames;
  const paths = frames > remakeFrames ? undefined : new IntSequenceTable(input.length, frames);
  const remade = paths ? undefined : new RemadePaths(input.length);
  /** Makes trimmed stack e's path in maker.path (flat must still be readable). */
  const makeTrimmed = (e: number) => {
    const i = firstInput[e];
    maker.make(flat.ids, flat.starts[i] + keepFromOf[e], flat.ends[i], flat, cutOf ? cutOf[e] : 0);
  };
  let spare = new Int32Array(256);
  /** Whether the path in maker.path equals trimmed stack rep's (made in a spare buffer, then swapped back). */
  const sameAs = (rep: number) => {
    const path = maker.path;
    const n = maker.n;
    maker.path = spare;
    makeTrimmed(rep);
    let same = maker.n === n;
    for (let k = 0; same && k < n; k++) same = maker.path[k] === path[k];
    spare = maker.path;
    maker.path = path;
    maker.n = n;
    return same;
  };
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
    if (cutOf) cutOf[e] = cut;
    maker.make(flat.ids, keepFrom, flat.ends[i], flat, cut);
    pathOf[e] = paths ? paths.intern(maker.path, maker.n) : remade!.intern(maker.path, maker.n, e, sameAs);
  }
  trimmedIds.release();
  // Each path's value: its trimmed stacks' final values added in trimmed-stack order.
  const nPathsAll = paths ? paths.size : remade!.size;
  const values = new Float64Array(nPathsAll);
  let nPaths = 0;
  for (let e = 0; e < nTrimmed; e++) {
    const p = pathOf[e];
    if (p === nPaths) values[nPaths++] = 0 + trimmedValues[e];
    else values[p] += trimmedValues[e];
  }
  let flatCum;
  if (paths) {
    flatCum = sumFlatCum(maker.numbering, values, paths);
    paths.release();
  } else {
    const sums = new FlatCumSums(maker.numbering);
    for (let p = 0; p < nPathsAll; p++) {
      makeTrimmed(remade!.repOf(p));
      sums.add(maker.path, 0, maker.n, values[p]);
    }
    flatCum = sums.result();
  }
  // A dump's own ids stay valid (release frees nothing then): the ranges can point into them.
  const inPlace = flat.inPlace;
  flat.release();
  let trimmed: Stack[] | undefined;
  return {
    flatCum,
    trimmedRanges: () => {
      if (!inPlace) return rangesOf(trimmedStacks());
      const starts = new Int32Array(nTrimmed);
      const ends = new Int32Array(nTrimmed);
      for (let e = 0; e < nTrimmed; e++) {
        starts[e] = flat.starts[firstInput[e]] + keepFromOf[e];
        ends[e] = flat.ends[firstInput[e]];
      }
      return { count: nTrimmed, ids: flat.ids, starts, ends, values: trimmedValues.subarray(0, nTrimmed), location: (id) => flat.location(id) };
    },
    trimmed: trimmedStacks,
  };

  function trimmedStacks(): Stack[] {
    if (!trimmed) {
      trimmed = [];
      for (let e = 0; e < nTrimmed; e++) {
        const locs = input[firstInput[e]].locations;
        trimmed.push({ locations: keepFromOf[e] === 0 ? locs : locs.slice(keepFromOf[e]), value: trimmedValues[e] });
      }
    }
    return trimmed;
  }
}
