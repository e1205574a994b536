// The default analysis in one pass: allocator frames trimmed (removeAllocatorFrames), then keys
// reduced and summed (flatAndCumOf), with no Stack made in between. Adding is done in exactly
// flatAndCumOf's order (of each stack trimmed alone when no value is below zero, of the trimmed
// stacks otherwise), so the doubles are identical (a property test compares the two).
import { IntSequenceTable, type IntPool } from '../model/interner.js';
import { addsDirectly, FlatCumSums, PathMaker, sumFlatCum, type FlatCum } from './build.js';
import { RemadePaths } from './remade-paths.js';
import { AllocatorFrames, TrimmedStacks } from './frames.js';
import { sampleOfStack } from './stacks.js';
import type { StackStore } from '../model/stack-store.js';
import { grownToHold } from '../model/grow.js';
import { giveInts, takeInts } from '../model/int-recycler.js';
import { FlatStacks, rangesOf, type StackRanges } from './flat-stacks.js';
import type { KeyNumbering, TranslateContext } from './granularity.js';
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
  /**
   * Each stack's trim and path from earlier calls on stacks of the same store (a series' dumps,
   * one after another, under one numbering and trimmer): see ReductionCache.
   */
  cache?: ReductionCache;
}

export function trimAndReduce(input: readonly Stack[], ctx: TranslateContext, o: TrimReduceOptions = {}): TrimmedReduction {
  const trimmer = o.trimmer;
  const remakeFrames = o.remakeFrames ?? REMAKE_PATHS_FRAMES;
  const flat = new FlatStacks(input);
  if (o.cache && flat.inPlace && flat.frames <= remakeFrames && o.cache.fits(input, ctx, trimmer)) return o.cache.reduce(input, flat, ctx, trimmer);
  const values = valuesOf(input);
  if (addsDirectly(values)) {
    // No value below zero: each stack's path is added as it is made (stackSums), and level 1 is
    // made only if a report asks for the trimmed stacks (`--text` never does).
    let t: TrimmedLists | undefined;
    return reductionOf(input, flat, () => stackSums(values, flat, ctx, trimmer), () => (t ??= levelOne(values, flat, ctx, trimmer)));
  }
  const t = levelOne(values, flat, ctx, trimmer);
  // Level 2 when the sums are first read: `collapsed` reads only the trimmed stacks, and the key
  // paths were two thirds of its analysis (2 s of a 1 GB dump's).
  return reductionOf(input, flat, () => keyPathSums(flat, ctx, remakeFrames, t), () => t);
}

/** Each stack's value (the sample type's, read once). */
function valuesOf(input: readonly Stack[]): Float64Array {
  const values = new Float64Array(input.length);
  for (let i = 0; i < input.length; i++) values[i] = input[i].value;
  return values;
}

/** Level 1: stacks equal once trimmed, as removeAllocatorFrames merges them (`values[i]` stack i's). */
function levelOne(values: Float64Array, flat: FlatStacks, ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): TrimmedLists {
  const n = values.length;
  const trimmedIds = new TrimmedStacks(flat, trimmer);
  // Per trimmed stack (there are at most as many as stacks): typed arrays sized once, where
  // growing JS arrays by push copied them and left the copies to the collector. The Int32 ones
  // recycled: slot e is written before it is read.
  const firstInput = takeInts(n);
  const keepFromOf = takeInts(n);
  const trimmedValues = new Float64Array(n);
  /** Per trimmed stack: the leaf's inline levels the trimmer cuts (see TrimReduceOptions.trimmer). */
  const cutOf = trimmer ? new Uint8Array(n) : undefined;
  let nTrimmed = 0;
  for (let i = 0; i < n; i++) {
    const e = trimmedIds.add(i);
    const keepFrom = trimmedIds.keepFrom;
    if (!trimmedIds.added) {
      trimmedValues[e] += values[i];
      continue;
    }
    trimmedValues[e] = 0 + values[i];
    firstInput[e] = i;
    keepFromOf[e] = keepFrom - flat.starts[i];
    nTrimmed++;
    if (cutOf) cutOf[e] = leafCutOf(flat, i, keepFrom, trimmedIds.trimmedFrom, ctx, trimmer);
  }
  trimmedIds.release();
  return { nTrimmed, firstInput, keepFromOf, cutOf, trimmedValues };
}

/**
 * The flat and cum sums with no value below zero: each stack trimmed as level 1 trims it and its
 * path added as it is made, stack by stack (see addsDirectly), `values[i]` stack i's. Keys are
 * met in the order level 2 meets them. Where level 1 would merge stacks (equal once trimmed),
 * their values go into the rows one by one, in another order of additions, as jeprof's own Perl
 * hash order is. No table of trimmed stacks or of paths (61 MB of key ids on the 250 MB dump), and
 * on 1 GB no second making of every path (RemadePaths): 250 MB --text analysis 0.63-0.79 ->
 * 0.36-0.37 s, 1 GB 3.4 -> 1.9 s.
 */
function stackSums(values: Float64Array, flat: FlatStacks, ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): FlatCum {
  const allocator = new AllocatorFrames();
  const maker = new PathMaker(ctx);
  const sums = new FlatCumSums(maker.numbering);
  for (let i = 0; i < values.length; i++) {
    const trimmedFrom = trimmer ? trimmer.keepFrom(flat, i) : flat.starts[i];
    const keepFrom = allocator.keepFrom(flat, i, trimmedFrom);
    maker.make(flat.ids, keepFrom, flat.ends[i], flat, leafCutOf(flat, i, keepFrom, trimmedFrom, ctx, trimmer));
    sums.add(maker.path, 0, maker.n, values[i]);
  }
  return sums.result();
}

/**
 * The leaf's inline levels the trimmer cuts from stack i kept from `keepFrom` (see
 * TrimReduceOptions.trimmer): only when jeprof's removal kept its leaf where the trimmer cut to.
 */
function leafCutOf(flat: FlatStacks, i: number, keepFrom: number, trimmedFrom: number, ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): number {
  return trimmer && keepFrom === trimmedFrom && keepFrom < flat.ends[i] && ctx.granularity !== 'address-only' ? trimmer.leafCut(flat.ids[keepFrom], flat) : 0;
}

/** Level 1's trimmed stacks, as level 2 takes them: trimmed stack e is input[firstInput[e]] less its first keepFromOf[e] frames. */
interface TrimmedLists {
  nTrimmed: number;
  firstInput: Int32Array;
  keepFromOf: Int32Array;
  /** The leaf's inline levels the trimmer cuts, per trimmed stack (see TrimReduceOptions.trimmer). */
  cutOf?: Uint8Array;
  trimmedValues: Float64Array;
}

/**
 * Level 2: the flat and cum sums of the trimmed stacks' key paths, as flatAndCumOf makes them:
 * added stack by stack when no value is below zero (addsDirectly), else trimmed stacks with equal
 * key paths first added up, paths numbered in trimmed-stack order. Keys and Run# numbers are given
 * in that order too, whenever this runs. Releases `flat`.
 */
function keyPathSums(flat: FlatStacks, ctx: TranslateContext, remakeFrames: number, t: TrimmedLists): FlatCum {
  const { nTrimmed, firstInput, keepFromOf, cutOf, trimmedValues } = t;
  const maker = new PathMaker(ctx);
  if (addsDirectly(trimmedValues, nTrimmed)) {
    // Values below zero that level 1 has cancelled (--base on stacks that did not change): each
    // path added as it is made, as stackSums does, with no table of paths.
    const sums = new FlatCumSums(maker.numbering);
    for (let e = 0; e < nTrimmed; e++) {
      const i = firstInput[e];
      maker.make(flat.ids, flat.starts[i] + keepFromOf[e], flat.ends[i], flat, cutOf ? cutOf[e] : 0);
      sums.add(maker.path, 0, maker.n, trimmedValues[e]);
    }
    flat.release();
    return sums.result();
  }
  const frames = flat.frames;
  const paths = frames > remakeFrames ? undefined : new IntSequenceTable(nTrimmed, frames);
  const remade = paths ? undefined : new RemadePaths(nTrimmed);
  const pathOf = takeInts(nTrimmed);
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
  for (let e = 0; e < nTrimmed; e++) {
    makeTrimmed(e);
    pathOf[e] = paths ? paths.intern(maker.path, maker.n) : remade!.intern(maker.path, maker.n, e, sameAs);
  }
  const nPathsAll = paths ? paths.size : remade!.size;
  const values = pathValues(nPathsAll, nTrimmed, pathOf, trimmedValues);
  giveInts(pathOf);
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
    remade!.release();
  }
  // A dump's own ids stay valid (release frees nothing then): the ranges can point into them.
  flat.release();
  return flatCum;
}

/**
 * Each path's value: its trimmed stacks' final values added in trimmed-stack order (paths are
 * numbered by first appearance in that order, pathOf[e] trimmed stack e's).
 */
function pathValues(nPaths: number, nTrimmed: number, pathOf: Int32Array, trimmedValues: Float64Array): Float64Array {
  const values = new Float64Array(nPaths);
  let made = 0;
  for (let e = 0; e < nTrimmed; e++) {
    const p = pathOf[e];
    if (p === made) values[made++] = 0 + trimmedValues[e];
    else values[p] += trimmedValues[e];
  }
  return values;
}

/** The TrimmedReduction of the trimmed stacks `lists` gives; `sums` makes their flat/cum when first read. */
function reductionOf(input: readonly Stack[], flat: FlatStacks, sums: () => FlatCum, lists: () => TrimmedLists): TrimmedReduction {
  const inPlace = flat.inPlace;
  let trimmed: Stack[] | undefined;
  let flatCum: FlatCum | undefined;
  return {
    get flatCum() {
      return (flatCum ??= sums());
    },
    trimmedRanges: () => {
      if (!inPlace) return rangesOf(trimmedStacks());
      const { nTrimmed, firstInput, keepFromOf, trimmedValues } = lists();
      // Recycled (every slot is written): level 1's table gave back arrays of this size.
      const starts = takeInts(nTrimmed);
      const ends = takeInts(nTrimmed);
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
      const { nTrimmed, firstInput, keepFromOf, trimmedValues } = lists();
      trimmed = [];
      for (let e = 0; e < nTrimmed; e++) {
        const locs = input[firstInput[e]].locations;
        trimmed.push({ locations: keepFromOf[e] === 0 ? locs : locs.slice(keepFromOf[e]), value: trimmedValues[e] });
      }
    }
    return trimmed;
  }
}

/**
 * trimAndReduce's per-stack work kept across calls: a series' dumps share one stack table (see
 * RunStacks) and mostly the same stacks, so each stack is trimmed, and its path made, once. Per
 * call only the sums are made, in the order trimAndReduce adds them (trimmed stacks and paths
 * numbered by first appearance in this input), so the doubles are the same. Valid for one
 * numbering (granularity and renames) and one trimmer; a path with a Callback...::Run frame is
 * never kept (its Run# number is the call's own), and is made again each time, in the same order.
 */
export class ReductionCache {
  private store?: StackStore;
  private numbering?: KeyNumbering;
  private trimmer?: AllocatorTrimmer;
  private granularity?: TranslateContext['granularity'];
  private readonly allocator = new AllocatorFrames();
  /** By stack entry: its trimmed list's number in `trims` + 1 (0 not yet trimmed). */
  private trimOf = new Int32Array(256);
  /** By stack entry: how many of its frames the trim drops. */
  private keepOff = new Int32Array(256);
  /** By stack entry: the leaf's inline levels the trimmer cuts. */
  private cutOf = new Uint8Array(256);
  /** By stack entry: its path's number in `paths` + 1 (0 not kept). */
  private pathOf = new Int32Array(256);
  /**
   * Trimmed lists as ranges of the store's own ids (made at the first call, see fits): copies of
   * them were a second stack table, 160 ms and 80 MB on a series of one 250 MB dump.
   */
  private trims?: IntSequenceTable;
  /** The id array the trims point into; a store whose array is another (it grew) is not served. */
  private ids?: IntPool;
  private readonly paths = new IntSequenceTable(256, 4096);
  /** Per call: local number of a trimmed list / path, valid where its stamp is the call's. */
  private localTrim = new Int32Array(256);
  private trimStamp = new Int32Array(256);
  private localPath = new Int32Array(256);
  private pathStamp = new Int32Array(256);
  private stamp = 0;

  /** Whether input's stacks can use this cache: one store, the same numbering, trimmer and granularity as before. */
  fits(input: readonly Stack[], ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): boolean {
    const store = input.length === 0 ? undefined : sampleOfStack(input[0])?.store;
    if (!ctx.numbering || !store) return false;
    if (this.store === undefined) {
      this.store = store;
      this.ids = store.table.data;
      this.trims = new IntSequenceTable(input.length, 0, this.ids);
      this.numbering = ctx.numbering;
      this.trimmer = trimmer;
      this.granularity = ctx.granularity;
    }
    return this.store === store && this.ids === store.table.data && this.numbering === ctx.numbering && this.trimmer === trimmer && this.granularity === ctx.granularity;
  }

  reduce(input: readonly Stack[], flat: FlatStacks, ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): TrimmedReduction {
    const stamp = ++this.stamp;
    const n = input.length;
    const values = valuesOf(input);
    // As trimAndReduce adds: stack by stack, each with its own path (stackSums), when no value is below zero.
    const direct = addsDirectly(values);
    const firstInput = new Int32Array(n);
    const keepFromOf = new Int32Array(n);
    const trimmedValues = new Float64Array(n);
    const pathOfTrimmed = new Int32Array(n);
    /** Per input stack, when direct: its path's global number. */
    const pathOfInput = direct ? new Int32Array(n) : undefined;
    /** Global path number by local path number. */
    const globalPath = new Int32Array(n);
    let nTrimmed = 0;
    let nPaths = 0;
    const maker = new PathMaker(ctx);
    const numbering = maker.numbering;
    for (let i = 0; i < n; i++) {
      const s = sampleOfStack(input[i])!.entry;
      this.hold(s);
      if (this.trimOf[s] === 0) this.trim(flat, i, s, ctx, trimmer);
      const t = this.trimOf[s] - 1;
      if (t >= this.trimStamp.length) {
        this.trimStamp = grownToHold(this.trimStamp, t);
        this.localTrim = grownToHold(this.localTrim, t);
      }
      if (this.trimStamp[t] === stamp) {
        trimmedValues[this.localTrim[t]] += values[i];
        if (pathOfInput) pathOfInput[i] = this.pathOfStack(flat, i, s, maker);
        continue;
      }
      const e = nTrimmed++;
      this.trimStamp[t] = stamp;
      this.localTrim[t] = e;
      trimmedValues[e] = 0 + values[i];
      firstInput[e] = i;
      keepFromOf[e] = this.keepOff[s];
      const p = this.pathOfStack(flat, i, s, maker);
      if (pathOfInput) pathOfInput[i] = p;
      if (p >= this.pathStamp.length) {
        this.pathStamp = grownToHold(this.pathStamp, p);
        this.localPath = grownToHold(this.localPath, p);
      }
      if (this.pathStamp[p] !== stamp) {
        this.pathStamp[p] = stamp;
        this.localPath[p] = nPaths;
        globalPath[nPaths++] = p;
      }
      pathOfTrimmed[e] = this.localPath[p];
    }
    const paths = this.paths;
    let flatCum: FlatCum;
    if (pathOfInput || addsDirectly(trimmedValues, nTrimmed)) {
      // Stack by stack (stackSums), or trimmed stack by trimmed stack (keyPathSums).
      const sums = new FlatCumSums(numbering);
      for (let k = 0; k < (pathOfInput ? n : nTrimmed); k++) {
        const p = pathOfInput ? pathOfInput[k] : globalPath[pathOfTrimmed[k]];
        const from = paths.startOf(p);
        sums.add(paths.data, from, from + paths.lengthOf(p), pathOfInput ? values[k] : trimmedValues[k]);
      }
      flatCum = sums.result();
    } else {
      const pathSums = pathValues(nPaths, nTrimmed, pathOfTrimmed, trimmedValues);
      flatCum = sumFlatCum(numbering, pathSums, { data: paths.data, startOf: (p) => paths.startOf(globalPath[p]), lengthOf: (p) => paths.lengthOf(globalPath[p]) });
    }
    const lists: TrimmedLists = { nTrimmed, firstInput, keepFromOf, trimmedValues };
    return reductionOf(input, flat, () => flatCum, () => lists);
  }

  /** Stack i's (entry s's) path's global number: kept from before, or made now (and kept unless it has a Callback...::Run frame). */
  private pathOfStack(flat: FlatStacks, i: number, s: number, maker: PathMaker): number {
    let p = this.pathOf[s] - 1;
    if (p < 0) {
      const runs = maker.numbering.runFrames;
      maker.make(flat.ids, flat.starts[i] + this.keepOff[s], flat.ends[i], flat, this.cutOf[s]);
      p = this.paths.intern(maker.path, maker.n);
      if (maker.numbering.runFrames === runs) this.pathOf[s] = p + 1;
    }
    return p;
  }

  /** Room for stack entry s in the per-stack arrays. */
  private hold(s: number): void {
    if (s < this.trimOf.length) return;
    this.trimOf = grownToHold(this.trimOf, s);
    this.keepOff = grownToHold(this.keepOff, s);
    this.cutOf = grownToHold(this.cutOf, s);
    this.pathOf = grownToHold(this.pathOf, s);
  }

  /** Trims stack i of `flat` (entry s) as TrimmedStacks.add and trimAndReduce do, and keeps the outcome. */
  private trim(flat: FlatStacks, i: number, s: number, ctx: TranslateContext, trimmer: AllocatorTrimmer | undefined): void {
    const trimmedFrom = trimmer ? trimmer.keepFrom(flat, i) : flat.starts[i];
    const keepFrom = this.allocator.keepFrom(flat, i, trimmedFrom);
    const end = flat.ends[i];
    this.trimOf[s] = 1 + this.trims!.intern(flat.ids, end - keepFrom, keepFrom);
    this.keepOff[s] = keepFrom - flat.starts[i];
    this.cutOf[s] = leafCutOf(flat, i, keepFrom, trimmedFrom, ctx, trimmer);
  }
}
