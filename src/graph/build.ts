// Flat and cumulative values per key (jeprof's ReduceProfile, FlatProfile, CumulativeProfile).
import { IntSequenceTable, type IntPool } from '../model/interner.js';
import type { Stack } from './stacks.js';
import { FlatStacks, type LocationsById } from './flat-stacks.js';
import { IntList, KeyNumbering, translateRunFrame, type KeyOrigin, type TranslateContext } from './granularity.js';
import { grownToHold } from '../model/grow.js';

export interface ReducedStack {
  /** Distinct keys, leaf first; a key repeated by recursion is kept once, at its leaf-most place. */
  keys: string[];
  value: number;
}

export interface FlatCum {
  /** Value of stacks whose leaf-most key this is. Insertion order = first seen. */
  flat: Map<string, number>;
  /** Value of stacks that contain this key anywhere, counted once per stack. */
  cum: Map<string, number>;
  /** Which PC and frame level made a key (undefined for keys given as text, see flatAndCum). */
  origin(key: string): KeyOrigin | undefined;
}

/** Reduced stacks as integer key ids: the form the sums are made in. */
interface Reduction {
  numbering: KeyNumbering;
  paths: IntSequenceTable;
  /** values[i] is the sum for paths entry i. */
  values: number[];
}

/**
 * Makes a stack's reduced key path: its keys translated, each kept once at its leaf-most place
 * (recursion counts once), as integer ids so the per-frame work allocates nothing.
 */
export class PathMaker {
  readonly numbering: KeyNumbering;
  /** The last path made is path[0, n). */
  path = new Int32Array(256);
  n = 0;
  /** A Callback...::Run frame's keys, made for each such frame (see make). */
  private readonly runKeys = new IntList();
  /** seenAt[id] === stamp marks a key already in the current path. */
  private seenAt = new Int32Array(1024);
  private stamp = 0;

  constructor(private readonly ctx: TranslateContext) {
    this.numbering = ctx.numbering ?? new KeyNumbering();
  }

  /**
   * The path of the stack whose location ids are ids[from..to), `byId` their Locations, less its
   * first `skip` keys. Each PC's keys are read where they are cached, not gathered into a list
   * first (a 1 GB dump's 61 million frames went through translateStackIds, 0.96 s, and then
   * through a second loop); a Callback...::Run frame's, never cached, are made for it.
   */
  make(ids: ArrayLike<number>, from: number, to: number, byId: LocationsById, skip = 0): void {
    const stamp = ++this.stamp;
    const numbering = this.numbering;
    const names = numbering.names;
    const runKeys = this.runKeys;
    let path = this.path;
    let seenAt = this.seenAt;
    let n = 0;
    let keyIndex = 0;
    for (let f = from; f < to; f++) {
      const id = ids[f];
      let at = id < numbering.at.length ? numbering.at[id] : 0;
      if (at === 0) at = numbering.learn(byId.location(id), this.ctx);
      let keys: Int32Array;
      let j: number;
      let end: number;
      if (at > 0) {
        keys = numbering.cached.ids;
        j = at - 1;
        end = j + numbering.count[id];
      } else {
        runKeys.n = 0;
        translateRunFrame(ids, from, f, byId, this.ctx, numbering, runKeys);
        keys = runKeys.ids;
        j = 0;
        end = runKeys.n;
      }
      for (; j < end; j++) {
        if (keyIndex++ < skip) continue;
        const k = keys[j];
        if (k >= seenAt.length) seenAt = grownToHold(seenAt, k);
        // seenAt[k]: this stamp, in the path already; -1, a key named '' (jeprof's ReduceProfile
        // marks '' as seen from the start: no row, its bytes go to the next frame); 0, not met
        // yet (its name is looked at once); an older stamp, a key with a name.
        const seen = seenAt[k];
        if (seen === stamp || seen < 0) continue;
        if (seen === 0 && names[k].length === 0) {
          seenAt[k] = -1;
          continue;
        }
        seenAt[k] = stamp;
        if (n === path.length) path = grownToHold(path, n);
        path[n++] = k;
      }
    }
    this.path = path;
    this.seenAt = seenAt;
    this.n = n;
  }
}

/**
 * Whether the sums may be made stack by stack, without first adding up the stacks of each key path
 * (see addsDirectly): no value below zero. With `--base` some are, and jeprof adds a path's own
 * values first, so a function that changed nowhere sums to exactly 0 (+x and -x of two call
 * sites in it); added into the key's running sum one by one they could leave a last-bit rest.
 */
export function addsDirectly(values: ArrayLike<number>, n = values.length): boolean {
  for (let i = 0; i < n; i++) if (!(values[i] >= 0)) return false;
  return true;
}

/**
 * Translates and de-duplicates every stack, then adds up stacks whose key lists are equal, in
 * first-seen order (value = ((0 + a) + b) + ..., as jeprof adds them).
 */
function reduce(stacks: readonly Stack[], ctx: TranslateContext): Reduction {
  const flat = new FlatStacks(stacks);
  const maker = new PathMaker(ctx);
  const paths = new IntSequenceTable(stacks.length, flat.frames);
  const values: number[] = [];
  for (let i = 0; i < stacks.length; i++) {
    const s = stacks[i];
    maker.make(flat.ids, flat.starts[i], flat.ends[i], flat);
    const e = paths.intern(maker.path, maker.n);
    if (paths.added) values.push(0 + s.value);
    else values[e] += s.value;
  }
  flat.release();
  return { numbering: maker.numbering, paths, values };
}

export function reduceStacks(stacks: readonly Stack[], ctx: TranslateContext): ReducedStack[] {
  const { numbering, paths, values } = reduce(stacks, ctx);
  const names = numbering.names;
  const out = values.map((value, e) => ({ keys: Array.from(paths.sequence(e), (id) => names[id]), value }));
  paths.release();
  return out;
}

/**
 * flatAndCum(reduceStacks(stacks, ctx)), without making the reduced stacks' key lists; with no
 * value below zero (addsDirectly), each stack's path is added as it is made, in stack order.
 */
export function flatAndCumOf(stacks: readonly Stack[], ctx: TranslateContext): FlatCum {
  const values = stacks.map((s) => s.value);
  if (addsDirectly(values)) {
    const flat = new FlatStacks(stacks);
    const maker = new PathMaker(ctx);
    const sums = new FlatCumSums(maker.numbering);
    for (let i = 0; i < stacks.length; i++) {
      maker.make(flat.ids, flat.starts[i], flat.ends[i], flat);
      sums.add(maker.path, 0, maker.n, values[i]);
    }
    flat.release();
    return sums.result();
  }
  const reduced = reduce(stacks, ctx);
  const fc = sumFlatCum(reduced.numbering, reduced.values, reduced.paths);
  reduced.paths.release();
  return fc;
}

export function flatAndCum(reduced: readonly ReducedStack[]): FlatCum {
  const numbering = new KeyNumbering();
  const ids = reduced.map((r) => numbering.idsOf(r.keys));
  const starts: number[] = [];
  let at = 0;
  for (const k of ids) {
    starts.push(at);
    at += k.length;
  }
  const paths: KeyPaths = { data: Int32Array.from(ids.flat()), startOf: (e) => starts[e], lengthOf: (e) => ids[e].length };
  return sumFlatCum(numbering, reduced.map((r) => r.value), paths);
}

/** Key-id lists laid end to end (an IntSequenceTable is one): entry e is data[startOf(e) ..+ lengthOf(e)). */
export interface KeyPaths {
  readonly data: IntPool;
  startOf(e: number): number;
  lengthOf(e: number): number;
}

/** The sums over reduced stacks: entry e of `paths` holds the e-th one's key ids (of `numbering`), `values[e]` its value. */
export function sumFlatCum(numbering: KeyNumbering, values: ArrayLike<number>, paths: KeyPaths): FlatCum {
  const sums = new FlatCumSums(numbering);
  for (let e = 0; e < values.length; e++) {
    const from = paths.startOf(e);
    sums.add(paths.data, from, from + paths.lengthOf(e), values[e]);
  }
  return sums.result();
}

/**
 * Flat and cum per key, added path by path in the order given (jeprof's FlatProfile and
 * CumulativeProfile): for callers that have each reduced path only for a moment. The numbering
 * may learn keys between two adds (paths made as they are added).
 */
export class FlatCumSums {
  private flat: Float64Array;
  private cum: Float64Array;
  // Maps keep insertion order and reports break ties by it: note each key's first appearance.
  private inFlat: Uint8Array;
  private inCum: Uint8Array;
  private readonly flatOrder: number[] = [];
  private readonly cumOrder: number[] = [];

  constructor(private readonly numbering: KeyNumbering) {
    const n = Math.max(64, numbering.names.length);
    this.flat = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.inFlat = new Uint8Array(n);
    this.inCum = new Uint8Array(n);
  }

  /** A reduced path, ids[from..to) leaf first, of value v. */
  add(ids: ArrayLike<number>, from: number, to: number, v: number): void {
    if (from === to) return;
    if (this.flat.length < this.numbering.names.length) this.grow();
    const leaf = ids[from];
    if (this.inFlat[leaf] === 0) {
      this.inFlat[leaf] = 1;
      this.flatOrder.push(leaf);
    }
    this.flat[leaf] += v;
    const cum = this.cum;
    const inCum = this.inCum;
    for (let i = from; i < to; i++) {
      const k = ids[i];
      if (inCum[k] === 0) {
        inCum[k] = 1;
        this.cumOrder.push(k);
      }
      cum[k] += v;
    }
  }

  /** Room for every key the numbering has now (keys are numbered densely from 0). */
  private grow(): void {
    const last = this.numbering.names.length - 1;
    this.flat = grownToHold(this.flat, last);
    this.cum = grownToHold(this.cum, last);
    this.inFlat = grownToHold(this.inFlat, last);
    this.inCum = grownToHold(this.inCum, last);
  }

  /**
   * Each map is made when first read: a series reads one of the two per dump (trend's flat, or
   * its --cum), and the other was a Map per dump made for nothing.
   */
  result(): FlatCum {
    const { numbering, flatOrder, cumOrder, flat: flatSums, cum: cumSums } = this;
    let flat: Map<string, number> | undefined;
    let cum: Map<string, number> | undefined;
    return {
      get flat() {
        return (flat ??= keyedMap(numbering.names, flatOrder, flatSums));
      },
      get cum() {
        return (cum ??= keyedMap(numbering.names, cumOrder, cumSums));
      },
      origin: (key) => numbering.originOf(key),
    };
  }
}

/** The map name -> sum in `order`, set one by one: a [key, value] pair per key was 40,000 arrays on a big dump. */
function keyedMap(names: readonly string[], order: readonly number[], sums: Float64Array): Map<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < order.length; i++) m.set(names[order[i]], sums[order[i]]);
  return m;
}
