// The default analysis in one pass: allocator frames trimmed (removeAllocatorFrames), then keys
// reduced and summed (flatAndCumOf), with no Stack made in between. Adding is done in exactly the
// two-step order, so the doubles are identical (a property test compares the two).
import { IntSequenceTable } from '../model/interner.js';
import { PathMaker, sumFlatCum, type FlatCum } from './build.js';
import { TrimmedStacks } from './frames.js';
import { FlatStacks } from './flat-stacks.js';
import type { TranslateContext } from './granularity.js';
import type { Stack } from './stacks.js';

export interface TrimmedReduction {
  flatCum: FlatCum;
  /** removeAllocatorFrames(input), made on demand: only the graph-shaped reports need it. */
  trimmed(): Stack[];
}

export function trimAndReduce(input: readonly Stack[], ctx: TranslateContext): TrimmedReduction {
  const flat = new FlatStacks(input);
  // Level 1: stacks equal once trimmed, as removeAllocatorFrames merges them.
  const trimmedIds = new TrimmedStacks(flat);
  const firstInput: number[] = [];
  const keepFromOf: number[] = [];
  const trimmedValues: number[] = [];
  // Level 2: trimmed stacks with equal key paths, as flatAndCumOf merges them.
  const maker = new PathMaker(ctx);
  const paths = new IntSequenceTable(input.length, flat.frames);
  const pathOf: number[] = [];
  for (let i = 0; i < input.length; i++) {
    const s = input[i];
    const e = trimmedIds.add(i);
    const keepFrom = trimmedIds.keepFrom;
    if (!trimmedIds.added) {
      trimmedValues[e] += s.value;
      continue;
    }
    trimmedValues.push(0 + s.value);
    firstInput.push(i);
    keepFromOf.push(keepFrom - flat.starts[i]);
    // A new trimmed stack gets its path now, so paths are numbered in trimmed-stack order, the
    // order flatAndCumOf would see them in.
    maker.make(flat.ids, keepFrom, flat.ends[i], flat);
    pathOf.push(paths.intern(maker.path, maker.n));
  }
  trimmedIds.release();
  flat.release();
  // Each path's value: its trimmed stacks' final values added in trimmed-stack order.
  const values: number[] = [];
  for (let e = 0; e < pathOf.length; e++) {
    const p = pathOf[e];
    if (p === values.length) values.push(0 + trimmedValues[e]);
    else values[p] += trimmedValues[e];
  }
  const flatCum = sumFlatCum(maker.numbering.names, values, paths);
  paths.release();
  let trimmed: Stack[] | undefined;
  return {
    flatCum,
    trimmed: () =>
      (trimmed ??= firstInput.map((first, e) => {
        const locs = input[first].locations;
        return { locations: keepFromOf[e] === 0 ? locs : locs.slice(keepFromOf[e]), value: trimmedValues[e] };
      })),
  };
}
